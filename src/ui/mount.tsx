/** Start a view in an extension page: the extension's source for one tab, rendered into `#app`. */
import { type ComponentType, render } from 'preact';
import type { Browser } from 'webextension-polyfill';
import { App } from './app.js';
import type { PanelViewProps } from './blocks/panel-view.js';
import { FIRST_SHOWN, PANEL_SHOWN } from './hooks/use-view.js';
import { extensionSource } from './sources/extension-source.js';

/** `panelView`: the panel's list-and-detail view (the panel's entry hands it in; the popup's bundle leaves it out). */
export function mountView(
  browser: Browser,
  tabId: number | null,
  mode: 'popup' | 'panel',
  panelView?: ComponentType<PanelViewProps>,
): void {
  const root = document.getElementById('app');
  if (root)
    render(
      <App
        source={extensionSource(browser, tabId, mode === 'panel' ? PANEL_SHOWN : FIRST_SHOWN)}
        rulesUrl={browser.runtime.getURL('rules.html')}
        mode={mode}
        panelView={panelView}
      />,
      root,
    );
}
