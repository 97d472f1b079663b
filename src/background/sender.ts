/**
 * Who sent a message, decided once before any handler runs (DESIGN: check the sender before
 * dispatching). Only this extension's own scripts count; the tab and the page URL come from the
 * browser's `sender`, never from the message.
 */
import type { Browser, Runtime } from 'webextension-polyfill';

/** Our content script (the relay) in a web page: untrusted, the page can forge what it relays. */
export interface PageSender {
  trust: 'page';
  tabId: number;
  url: string;
}

/** An extension page (popup, DevTools page and panel): privileged. */
export interface ExtensionSender {
  trust: 'extension';
  url: string;
}

/** The sender narrowed to one trust group, or null for anyone else (another extension, a web page). */
export function checkSender(browser: Browser, sender: Runtime.MessageSender): PageSender | ExtensionSender | null {
  if (sender.id !== browser.runtime.id || typeof sender.url !== 'string') return null;
  if (sender.url.startsWith(browser.runtime.getURL(''))) return { trust: 'extension', url: sender.url };
  const tabId = sender.tab?.id;
  return tabId === undefined ? null : { trust: 'page', tabId, url: sender.url };
}
