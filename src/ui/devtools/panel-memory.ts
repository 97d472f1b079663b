/**
 * The DevTools panel's memory for one tab, in `storage.session` under `panel:<tabId>` (in memory, gone with the
 * browser session, as everything Tokenscope keeps): the selected row, the filter and the list's width. Writes are
 * coalesced to one per frame (dragging the splitter changes the width many times a second).
 */
import type { Browser } from 'webextension-polyfill';
import type { PanelMemory, RememberedPanel } from '../hooks/use-panel-state.js';

export const PANEL_MEMORY_PREFIX = 'panel:';

export function panelMemory(browser: Browser, tabId: number | null): PanelMemory | undefined {
  if (tabId === null) return undefined;
  const key = `${PANEL_MEMORY_PREFIX}${tabId}`;
  let pending: RememberedPanel | null = null;
  return {
    async load() {
      const items = await browser.storage.session.get(key);
      return (items[key] as RememberedPanel | undefined) ?? null;
    },
    save(state) {
      const first = pending === null;
      pending = state;
      if (!first) return;
      requestAnimationFrame(() => {
        const latest = pending;
        pending = null;
        if (latest) void browser.storage.session.set({ [key]: latest }).catch(() => {});
      });
    },
  };
}
