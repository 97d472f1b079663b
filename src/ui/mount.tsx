/** Start a view in an extension page: the extension's source for one tab, rendered into `#app`. */
import { type ComponentType, render } from 'preact';
import type { Browser } from 'webextension-polyfill';
import { App } from './app.js';
import type { PanelViewProps } from './blocks/panel-view.js';
import type { ViewState } from '../protocol/view-state.js';
import { FIRST_SHOWN, PANEL_SHOWN } from './view-limits.js';
import { extensionSource } from './sources/extension-source.js';

/**
 * `panelView`: the panel's list-and-detail view (the panel's entry hands it in; the popup's bundle leaves it out);
 * `asked`: the first view, already asked for by the popup's boot script (popup/early-view.ts).
 */
export function mountView(
  browser: Browser,
  tabId: number | null,
  mode: 'popup' | 'panel',
  panelView?: ComponentType<PanelViewProps>,
  asked?: Promise<ViewState>,
): void {
  const root = document.getElementById('app');
  if (root)
    render(
      <App
        source={extensionSource(browser, tabId, mode === 'panel' ? PANEL_SHOWN : FIRST_SHOWN, asked)}
        rulesUrl={browser.runtime.getURL('rules.html')}
        mode={mode}
        panelView={panelView}
      />,
      root,
    );
}
