/**
 * The relay: an isolated-world content script that passes the page hook's
 * messages to the worker. It trusts nothing: it forwards only messages from
 * this window carrying the hook's marker, and refuses oversize ones with a note.
 * The worker validates everything again and takes the tab and site from the
 * sender, never from the message.
 */
import browser from 'webextension-polyfill';
import { PAGE_LIMITS } from '../core/limits.js';
import { CHANNEL_ACK, CHANNEL_OFFER, PAGE_BEARER_MESSAGE, PAGE_MESSAGE, RELAY_READY } from '../protocol/channel.js';
import { sendMessage } from '../platform/messaging.js';

/** Rough size of a message: the sum of its string fields (all a page can make large). */
function roughSize(value: unknown, depth = 0): number {
  if (typeof value === 'string') return value.length;
  if (depth > 3 || typeof value !== 'object' || value === null) return 0;
  let size = 0;
  for (const key of Object.keys(value).slice(0, 50)) size += key.length + roughSize((value as Record<string, unknown>)[key], depth + 1);
  return size;
}

const MAX_MESSAGE = PAGE_LIMITS.responseBody + PAGE_LIMITS.requestBody + PAGE_LIMITS.url + 4096;

const STARTED = Symbol.for('tokenscope.relay');

/** One message from the hook, over the private channel: validated roughly here, fully by the worker. */
function forward(data: unknown): void {
  if (typeof data !== 'object' || data === null) return;
  const marker = (data as { tokenscope?: unknown }).tokenscope;
  if (marker === PAGE_BEARER_MESSAGE) {
    const use = (data as { use?: unknown }).use;
    if (roughSize(use) <= PAGE_LIMITS.url + 256) void sendMessage(browser, { type: 'page-bearer', use }).catch(() => {});
    return;
  }
  if (marker !== PAGE_MESSAGE) return;
  const exchange = (data as { exchange?: unknown }).exchange;
  const size = roughSize(exchange);
  if (size > MAX_MESSAGE) {
    void sendMessage(browser, { type: 'page-refused', reason: 'an exchange over the size limit', size }).catch(() => {});
    return;
  }
  void sendMessage(browser, { type: 'page-exchange', exchange }).catch(() => {});
}

export function startRelay(): void {
  const host = globalThis as unknown as Record<symbol, boolean>;
  if (host[STARTED]) return; // Registered and injected on demand: relay once.
  host[STARTED] = true;
  let port: MessagePort | null = null;
  // The hook's offer of a private channel (protocol.ts CHANNEL_OFFER): the first port is taken, others ignored.
  window.addEventListener('message', (event: MessageEvent) => {
    if (port || event.source !== window || (event.data as { tokenscope?: unknown } | null)?.tokenscope !== CHANNEL_OFFER) return;
    const offered = event.ports[0];
    if (!offered) return;
    port = offered;
    port.onmessage = (message: MessageEvent) => forward(message.data);
    port.postMessage({ tokenscope: CHANNEL_ACK });
  });
  // A hook that started before this relay offered its port to nobody: ask again.
  window.postMessage({ tokenscope: RELAY_READY }, '*');
}
