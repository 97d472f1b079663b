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
  /** The tab that opened this one, as the browser named it when the message was sent (the tab may be closed since). */
  openerTabId: number | null;
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
  if (tabId === undefined) return null;
  const opener = sender.tab?.openerTabId;
  return { trust: 'page', tabId, url: pageUrl(sender.url, sender), openerTabId: typeof opener === 'number' && opener >= 0 ? opener : null };
}

/**
 * The URL a page's message counts as from. An about:blank or about:srcdoc frame (the hook runs there too,
 * matchOriginAsFallback) has its creator's origin, which Chromium gives as `sender.origin`; an opaque origin
 * ("null": a sandboxed frame) stays what it is, never watched.
 */
function pageUrl(url: string, sender: Runtime.MessageSender): string {
  const origin = (sender as { origin?: unknown }).origin;
  if (/^https?:/.test(url) || typeof origin !== 'string' || !/^https?:\/\//.test(origin)) return url;
  return `${origin}/`;
}
