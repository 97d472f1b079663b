/**
 * The view: one tab's token exchanges, grouped by resource server, findings
 * first. Fed by a ViewSource, so the popup, the DevTools panel, an imported
 * file and tests render the same components from different transports.
 * `App` only wires: which source is shown, its state, the user's actions.
 */
import type { ComponentType } from 'preact';
import { useCallback, useMemo, useState } from 'preact/hooks';
import type { PanelViewProps } from './blocks/panel-view.js';
import { TabView } from './blocks/tab-view.js';
import { Notice } from './components/notice.js';
import { useActions, type ViewActions } from './hooks/use-actions.js';
import { useImport } from './hooks/use-import.js';
import { FIRST_SHOWN, PANEL_SHOWN, useView } from './hooks/use-view.js';
import type { ViewSource } from './sources/view-source.js';
import { type TokenActions, TokenActionsContext } from './token-actions.js';

export interface AppProps {
  /** The tab's source; an imported file is shown in its place until "Back to this tab". */
  source: ViewSource;
  /** Where rule explanations live (a page inside the extension). */
  rulesUrl: string;
  /** 'popup' or 'panel': the panel has room for more. */
  mode: 'popup' | 'panel';
  /**
   * The panel's list-and-detail view, handed in by the panel's entry (so its code is in the panel's bundle, not the
   * popup's); without it the panel shows the popup's layout.
   */
  panelView?: ComponentType<PanelViewProps>;
}

export function App({ source, rulesUrl, mode, panelView: PanelView }: AppProps) {
  const [imported, setImported] = useState<ViewSource | null>(null);
  const active = imported ?? source;
  const { view, error, showOlder, showFirst } = useView(active, mode === 'panel' ? PANEL_SHOWN : FIRST_SHOWN);
  const { act, actionError, includeTokens, actions } = useActions(source, active);
  const openImported = useCallback(
    (next: ViewSource) => {
      setImported(next);
      showFirst();
    },
    [showFirst],
  );
  const { importFile, importing, cancelImport } = useImport(act, openImported);
  const tokenActions: TokenActions = useMemo(
    () => ({ reveal: (exchangeId, fingerprint) => active.revealToken(exchangeId, fingerprint) }),
    [active],
  );

  if (error) return <Notice tone="warn">Tokenscope could not load this tab: {error}</Notice>;
  if (!view)
    return (
      <p class={`loading app-${mode}`} aria-busy="true">
        Loading…
      </p>
    );
  const viewActions: ViewActions = { ...actions, importFile, cancelImport, backToTab: () => setImported(null), showOlder };
  const shown = {
    view,
    rulesUrl,
    importedFrom: active.importedFrom,
    importing,
    actions: viewActions,
    actionError,
    includeTokens,
  };
  return (
    <TokenActionsContext.Provider value={tokenActions}>
      {mode === 'panel' && PanelView ? <PanelView {...shown} /> : <TabView {...shown} mode={mode} />}
    </TokenActionsContext.Provider>
  );
}
