/**
 * Where a view gets its state. The popup and the DevTools panel use the
 * extension's (messages to the worker, live through storage change events);
 * tests and the HAR import hand in plain data through the same interface.
 */
import type { Browser } from 'webextension-polyfill';
import type { ViewState } from '../core/protocol.js';
import { sitePattern } from '../core/match-pattern.js';
import { sendMessage } from '../platform/messaging.js';

export interface ViewSource {
  load(): Promise<ViewState>;
  /** Calls back when the state may have changed; returns the unsubscribe function. */
  subscribe(onChange: () => void): () => void;
  clear(scope: 'tab' | 'all'): Promise<void>;
  /** Ask the user for the site's host permission (needs the click's user gesture). */
  watch(url: string): Promise<boolean>;
  unwatch(pattern: string): Promise<boolean>;
}

export function extensionSource(browser: Browser, tabId: number | null): ViewSource {
  return {
    load: () => sendMessage(browser, { type: 'get-view', tabId }),
    subscribe(onChange) {
      const listener = (_changes: unknown, area: string) => {
        if (area === 'session') onChange();
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
    unwatch(pattern) {
      return browser.permissions.remove({ origins: [pattern] });
    },
  };
}
