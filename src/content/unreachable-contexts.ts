/**
 * Contexts of a watched page whose token calls the hook cannot see, said instead of left out (docs/ARCHITECTURE.md
 * "Workers, frames and popups"): a Web Worker started from a URL or from a Blob the hook did not see made
 * (worker-wrap.ts leaves it untouched), a shared worker, the site's service worker. Their requests are not in the
 * document's Resource Timing either (probed in Chromium 156), so what can be said is that the context exists: the
 * worker hears it (`page-unread`, kind `context`) and the views name it with what gets its token calls.
 *
 * Nothing here changes what the page sees: `SharedWorker` and `ServiceWorkerContainer.prototype.register` are
 * Proxies that only note the script URL the page passed (a string; anything else is not converted, which could run
 * page code) and call the original; the service worker that controls the page is read, never touched.
 */
import type { UnreadSent } from '../protocol/channel.js';
import { postUnread } from './hook-port.js';

const noted = new Set<string>();

/** Note a context once per document; `url` as the page gave it (resolved against the document). */
export function noteUnreachable(context: UnreadSent['context'], url: unknown): void {
  try {
    if (typeof url !== 'string') return;
    const absolute = /^(?:data|blob):/i.test(url) ? url.slice(0, 5) : new URL(url, document.baseURI).href;
    const key = `${context} ${absolute.split(/[?#]/)[0]}`;
    if (noted.has(key) || noted.size > 50) return;
    noted.add(key);
    postUnread({ kind: 'context', context, url: absolute, at: new Date().toISOString() });
  } catch {
    // Never in the page's way.
  }
}

function wrapSharedWorker(): Array<[object, object]> {
  const Original = globalThis.SharedWorker;
  if (typeof Original !== 'function') return [];
  const wrapped = new Proxy(Original, {
    construct(target, args: unknown[], newTarget) {
      noteUnreachable('shared-worker', args[0]);
      return Reflect.construct(target, args, newTarget);
    },
  });
  globalThis.SharedWorker = wrapped;
  try {
    Object.defineProperty(Original.prototype, 'constructor', { value: wrapped, writable: true, configurable: true, enumerable: false });
  } catch {
    // Left as it was.
  }
  return [[wrapped, Original]];
}

function watchServiceWorker(): Array<[object, object]> {
  // Reading navigator.serviceWorker throws in an opaque origin (a sandboxed frame).
  const container = navigator.serviceWorker;
  if (!container) return [];
  const controller = container.controller;
  if (controller) noteUnreachable('service-worker', controller.scriptURL);
  container.addEventListener('controllerchange', () => noteUnreachable('service-worker', container.controller?.scriptURL));
  const proto = ServiceWorkerContainer.prototype;
  const original = proto.register;
  proto.register = new Proxy(original, {
    apply(target, thisArg, args: unknown[]) {
      noteUnreachable('service-worker', args[0]);
      return Reflect.apply(target, thisArg, args);
    },
  });
  return [[proto.register, original]];
}

/** Install the notes; returns [wrapper, original] pairs for the page hook to disguise. */
export function watchUnreachableContexts(): Array<[object, object]> {
  const pairs: Array<[object, object]> = [];
  for (const install of [wrapSharedWorker, watchServiceWorker]) {
    try {
      pairs.push(...install());
    } catch {
      // Not available here.
    }
  }
  return pairs;
}
