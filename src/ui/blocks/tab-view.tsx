/** A loaded view: the bar, the notices and exchanges, then the report and data actions and the lists. */
import type { ComponentChildren } from 'preact';
import type { ViewState } from '../../protocol/view-state.js';
import type { ViewActions } from '../hooks/use-actions.js';
import type { ImportState } from '../hooks/use-import.js';
import { Later } from '../components/later.js';
import { useFileDrop } from '../hooks/use-file-drop.js';
import { DataActions } from './data-actions.js';
import { ExchangeList } from './exchange-list.js';
import { ImportProgress } from './import-progress.js';
import { OtherTabs } from './other-tabs.js';
import { ReportActions } from './report-actions.js';
import { TopBar } from './top-bar.js';
import { ViewNotices } from './view-notices.js';
import { WatchedSites } from './watched-sites.js';

export interface TabViewProps {
  view: ViewState;
  /** 'popup' or 'panel': the panel has room for more. */
  mode: 'popup' | 'panel';
  /** Where rule explanations live (a page inside the extension). */
  rulesUrl: string;
  /** Set for a view of an imported file: its name. */
  importedFrom: string | undefined;
  /** A file being imported, if one is. */
  importing?: ImportState | null;
  actions: ViewActions;
  /** The last action's failure, if it failed. */
  actionError: string | null;
  includeTokens: boolean;
}

/** The foot of a view (popup and panel): report and data actions, then the other tabs and the watched sites. */
export function ViewFooter({
  view,
  importedFrom,
  actions,
  includeTokens,
  children,
}: Pick<TabViewProps, 'view' | 'importedFrom' | 'actions' | 'includeTokens'> & { children?: ComponentChildren }) {
  const hasExchanges = view.report.exchanges.length > 0;
  return (
    <footer class="foot">
      <ReportActions hasExchanges={hasExchanges} includeTokens={includeTokens} actions={actions} />
      <DataActions hasExchanges={hasExchanges} canClear={!importedFrom} actions={actions} />
      {!importedFrom ? (
        <div class="lists">
          <OtherTabs tabs={view.otherTabs} />
          <WatchedSites view={view} onRemove={actions.unwatch} />
        </div>
      ) : null}
      {children}
    </footer>
  );
}

export function TabView({ view, mode, rulesUrl, importedFrom, importing, actions, actionError, includeTokens }: TabViewProps) {
  const { dragging, dropHandlers } = useFileDrop(actions.importFile);
  return (
    <div class={`app app-${mode}${dragging ? ' dragging' : ''}`} {...dropHandlers}>
      <TopBar view={view} importedFrom={importedFrom} actions={actions} />
      <main>
        {importing ? <ImportProgress importing={importing} onCancel={actions.cancelImport} /> : null}
        <ViewNotices view={view} actionError={actionError} actions={actions} />
        <ExchangeList view={view} importedFrom={importedFrom} rulesUrl={rulesUrl} onShowOlder={actions.showOlder} />
      </main>
      {/* Below the exchanges: on a full store, far below the first screen, so it comes in after the first paint. */}
      <Later now={view.report.exchanges.length === 0} height={160}>
        {() => (
          <ViewFooter view={view} importedFrom={importedFrom} actions={actions} includeTokens={includeTokens}>
            <p class="muted drop-hint">Drop a HAR file here to analyze it.</p>
          </ViewFooter>
        )}
      </Later>
    </div>
  );
}
