/**
 * The worker hook: the first code a hooked Web Worker runs (worker-wrap.ts puts it before the page's script).
 * The page hook's own fetch/XHR wrappers, on the worker's global; captures go to the page hook over the private
 * port that arrives as the worker's first message (kept until then). That message never reaches the page's code.
 * Bundled by scripts/build.mjs into a string the page hook embeds.
 */
import { sendThrough } from './hook-port.js';
import { wrapNetwork } from './page-hook.js';
import { WORKER_LOADED_MESSAGE, WORKER_PORT_MESSAGE } from './worker-wrap.js';

const held: unknown[] = [];
let port: MessagePort | null = null;

try {
  sendThrough((message) => {
    if (port) port.postMessage(message);
    else if (held.length < 100) held.push(message);
  });
  const onFirst = (event: MessageEvent) => {
    const data = event.data as { tokenscope?: unknown } | null;
    if (data?.tokenscope !== WORKER_PORT_MESSAGE || event.ports.length !== 1) return;
    event.stopImmediatePropagation();
    self.removeEventListener('message', onFirst);
    port = event.ports[0] as MessagePort;
    for (const message of held.splice(0)) port.postMessage(message);
    // A classic worker's script has run by the time messages are delivered: its URL can go.
    port.postMessage({ tokenscope: WORKER_LOADED_MESSAGE });
  };
  self.addEventListener('message', onFirst);
  wrapNetwork();
} catch {
  // Never in the worker's way.
}
