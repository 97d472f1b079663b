/**
 * The relay: an isolated-world content script that passes the page hook's
 * messages to the worker. It trusts nothing: it reads only the hook's private
 * port, refuses oversize messages with a note, and turns a Bearer token into
 * its fingerprint before anything leaves the page. The worker validates
 * everything again and takes the tab and site from the sender, never from the message.
 *
 * It talks to the runtime directly, without webextension-polyfill: `sendMessage`
 * returns a promise in Firefox (`browser`) and in Chromium MV3 (`chrome`).
 */
import { MAX_BEARER_CHARS, PAGE_LIMITS } from '../core/limits.js';
import { fingerprint } from '../core/sha256.js';
import { CHANNEL_ACK, CHANNEL_OFFER, PAGE_BEARER_MESSAGE, PAGE_MESSAGE, RELAY_READY } from '../protocol/channel.js';
import type { Message, MessageName } from '../protocol/messages.js';

interface Runtime {
  sendMessage(message: unknown): Promise<unknown>;
}

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

/**
 * The extension runtime, taken once at start. `browser` counts only when its `sendMessage` is a function:
 * an element with id "browser" on the page also shows up as `window.browser` in this world.
 */
function extensionRuntime(): Runtime {
  const scope = globalThis as { browser?: { runtime?: Partial<Runtime> }; chrome?: { runtime: Runtime } };
  const runtime = scope.browser?.runtime;
  return typeof runtime?.sendMessage === 'function' ? (runtime as Runtime) : (scope.chrome as { runtime: Runtime }).runtime;
}

function send<N extends MessageName>(runtime: Runtime, message: Message<N>): void {
  try {
    void runtime.sendMessage(message).catch(() => {});
  } catch {
    // The extension was reloaded or removed: this relay is orphaned.
  }
}

/** A Bearer token the page sent: hashed here, so only its fingerprint reaches the worker. */
function forwardBearer(runtime: Runtime, bearer: unknown): void {
  if (typeof bearer !== 'object' || bearer === null) return;
  const { url, method, token, at } = bearer as Record<string, unknown>;
  if (typeof token !== 'string' || token === '' || token.length > MAX_BEARER_CHARS) return;
  if (roughSize({ url, method, at }) > PAGE_LIMITS.url + 256) return;
  send(runtime, { type: 'page-bearer', use: { url, method, fingerprint: fingerprint(token), at } });
}

/** One message from the hook, over the private channel: validated roughly here, fully by the worker. */
function forward(runtime: Runtime, data: unknown): void {
  if (typeof data !== 'object' || data === null) return;
  const marker = (data as { tokenscope?: unknown }).tokenscope;
  if (marker === PAGE_BEARER_MESSAGE) {
    forwardBearer(runtime, (data as { bearer?: unknown }).bearer);
    return;
  }
  if (marker !== PAGE_MESSAGE) return;
  const exchange = (data as { exchange?: unknown }).exchange;
  const size = roughSize(exchange);
  if (size > MAX_MESSAGE) {
    send(runtime, { type: 'page-refused', reason: 'an exchange over the size limit', size });
    return;
  }
  send(runtime, { type: 'page-exchange', exchange });
}

export function startRelay(): void {
  const host = globalThis as unknown as Record<symbol, boolean>;
  if (host[STARTED]) return; // Registered and injected on demand: relay once.
  host[STARTED] = true;
  const runtime = extensionRuntime();
  let port: MessagePort | null = null;
  // The hook's offer of a private channel (protocol/channel.ts CHANNEL_OFFER): the first port is taken, others ignored.
  window.addEventListener('message', (event: MessageEvent) => {
    if (port || event.source !== window || (event.data as { tokenscope?: unknown } | null)?.tokenscope !== CHANNEL_OFFER) return;
    const offered = event.ports[0];
    if (!offered) return;
    port = offered;
    port.onmessage = (message: MessageEvent) => forward(runtime, message.data);
    port.postMessage({ tokenscope: CHANNEL_ACK });
  });
  // A hook that started before this relay offered its port to nobody: ask again.
  window.postMessage({ tokenscope: RELAY_READY }, '*');
}
