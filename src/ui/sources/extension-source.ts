/** The extension's view source: messages to the worker, live through storage and permission events. */
import type { Browser } from 'webextension-polyfill';
import { sitePattern } from '../../core/match-pattern.js';
import type { ViewState } from '../../protocol/view-state.js';
import { sendMessage } from '../../platform/messaging.js';
import { PANEL_MEMORY_PREFIX } from '../devtools/panel-memory.js';
import type { ViewSource } from './view-source.js';

/**
 * The extension's source. `prefetch`: ask the worker for the first view right away, while the page
 * is still starting (the popup opens faster than if it waited for its first render to ask); `asked`: that
 * request, already made by the popup's boot script (popup/boot.ts) before this module loaded.
 */
export function extensionSource(browser: Browser, tabId: number | null, prefetch?: number, asked?: Promise<ViewState>): ViewSource {
  const request = (limit?: number) => sendMessage(browser, { type: 'get-view', tabId, ...(limit ? { limit } : {}) });
  let early: { limit: number; view: Promise<ViewState> } | null = prefetch ? { limit: prefetch, view: asked ?? request(prefetch) } : null;
  return {
    load: (limit) => {
      if (early && early.limit === limit) {
        const { view } = early;
        early = null;
        return view;
      }
      early = null;
      return request(limit);
    },
    subscribe(onChange) {
      // The DevTools panel's own memory (devtools/panel-memory.ts) changes nothing a view shows.
      const listener = (changes: Record<string, unknown>, area: string) => {
        if (area === 'session' && Object.keys(changes).some((key) => !key.startsWith(PANEL_MEMORY_PREFIX))) onChange();
      };
      const permissionListener = () => onChange();
      browser.storage.onChanged.addListener(listener);
      browser.permissions.onAdded.addListener(permissionListener);
      browser.permissions.onRemoved.addListener(permissionListener);
      return () => {
        browser.storage.onChanged.removeListener(listener);
        browser.permissions.onAdded.removeListener(permissionListener);
        browser.permissions.onRemoved.removeListener(permissionListener);
      };
    },
    async clear(scope) {
      await sendMessage(browser, { type: 'clear', tabId: scope === 'tab' ? tabId : null });
    },
    watch(url) {
      const pattern = sitePattern(url);
      return pattern ? browser.permissions.request({ origins: [pattern] }) : Promise.resolve(false);
    },
    allowFrameNavigations() {
      return browser.permissions.request({ permissions: ['webNavigation'] });
    },
    unwatch(pattern) {
      return browser.permissions.remove({ origins: [pattern] });
    },
    async revealToken(exchangeId, fingerprint) {
      if (tabId === null) return null;
      return (await sendMessage(browser, { type: 'reveal-token', tabId, exchangeId, fingerprint })).value;
    },
    exportReport(showTokens) {
      return sendMessage(browser, { type: 'export-report', tabId, showTokens });
    },
  };
}
