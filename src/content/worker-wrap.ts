/**
 * Token calls made from a page's dedicated Web Workers (Auth0's SPA SDK makes every /oauth/token call from a
 * `blob:` worker once refresh tokens are on). Runs in the page hook (MAIN world): wraps the `Worker` constructor
 * so a worker whose script the page made as a Blob starts with the worker hook (worker-hook-entry.ts: the page
 * hook's own fetch/XHR wrappers, bundled by scripts/build.mjs and embedded here as a string), then runs the page's
 * script unchanged: `importScripts` for a classic worker, a static `import` for a module worker. The worker hook sends
 * its captures back over a private MessageChannel whose port goes to the worker as the first message, before the
 * page holds the worker; the page hook passes them on marked as a worker's (hook-port.ts), and the relay never
 * vouches for them (the document's Resource Timing does not see a worker's requests): they stay page-reported.
 *
 * Only `blob:` workers whose Blob this hook saw made (URL.createObjectURL, script types, at most 2 MB) are
 * hooked; every other worker (a same-origin or `data:` URL, a Blob made before the hook) starts exactly as
 * without Tokenscope. A same-origin URL would need a `blob:` bootstrap, which a page's CSP may refuse where
 * the original was allowed (and report to the site); a `data:` worker has an opaque origin a bootstrap would change.
 * Those are noted as contexts whose token calls are not seen (unreachable-contexts.ts), for the views to say so.
 * What a page could still tell: docs/ARCHITECTURE.md "Workers, frames and popups".
 */
import { BoundedMap } from '../core/bounded-map.js';
import { forwardWorkerMessage } from './hook-port.js';
import { noteUnreachable } from './unreachable-contexts.js';

declare const __WORKER_HOOK_SOURCE__: string | undefined;

/** The worker hook's source, inlined by the build; empty in a build without it (then no worker is hooked). */
const WORKER_HOOK_SOURCE = typeof __WORKER_HOOK_SOURCE__ === 'string' ? __WORKER_HOOK_SOURCE__ : '';
/** The marker of the port message (the worker hook checks it; the page never sees it). */
export const WORKER_PORT_MESSAGE = 'tokenscope/worker-port/v1';
export const WORKER_LOADED_MESSAGE = 'tokenscope/worker-loaded/v1';

const SCRIPT_TYPE = /^$|javascript|ecmascript/i;
const MAX_SCRIPT_BYTES = 2 * 1024 * 1024;
const MAX_BLOBS = 64;
/** blob: URLs the page made for script Blobs, newest last; forgotten when the page revokes them. */
const scriptBlobs = new BoundedMap<string, Blob>(MAX_BLOBS);
/** The originals, for the hook's own URLs (never remembered, never seen by the page's wrappers). */
let createUrl: (blob: Blob) => string = () => '';
let revokeUrl: (url: string) => void = () => {};

function rememberBlob(url: unknown, object: unknown): void {
  if (typeof url !== 'string' || !(object instanceof Blob)) return;
  if (!SCRIPT_TYPE.test(object.type) || object.size > MAX_SCRIPT_BYTES) return;
  scriptBlobs.set(url, object);
}

function wrapObjectUrls(): Array<[object, object]> {
  const create = URL.createObjectURL;
  const revoke = URL.revokeObjectURL;
  if (typeof create !== 'function' || typeof revoke !== 'function') return [];
  createUrl = (blob) => Reflect.apply(create, URL, [blob]);
  revokeUrl = (url) => Reflect.apply(revoke, URL, [url]);
  URL.createObjectURL = new Proxy(create, {
    apply(target, thisArg, args: [Blob]) {
      const url: string = Reflect.apply(target, thisArg, args);
      try {
        rememberBlob(url, args[0]);
      } catch {
        // Never in the page's way.
      }
      return url;
    },
  });
  URL.revokeObjectURL = new Proxy(revoke, {
    apply(target, thisArg, args: [string]) {
      try {
        scriptBlobs.delete(String(args[0]));
      } catch {
        // Never in the page's way.
      }
      return Reflect.apply(target, thisArg, args);
    },
  });
  return [
    [URL.createObjectURL, create],
    [URL.revokeObjectURL, revoke],
  ];
}

interface WorkerPlan {
  bootstrapUrl: string;
  /** The URLs the bootstrap loads: revoked once the worker's script has run. */
  ownUrls: string[];
}

/** How to start this worker with the hook; null when it is not one the hook takes (it then starts untouched). */
function planWorker(args: unknown[]): WorkerPlan | null {
  if (WORKER_HOOK_SOURCE === '' || typeof args[0] !== 'string') return null;
  const blob = scriptBlobs.get(args[0]);
  if (!blob) return null;
  const options = args[1];
  const module = typeof options === 'object' && options !== null && (options as { type?: unknown }).type === 'module';
  // A URL of our own for the same Blob: the page may revoke its URL as soon as the constructor returns.
  const scriptUrl = createUrl(blob);
  const ownUrls = [scriptUrl];
  let bootstrap: Blob;
  if (module) {
    // Static imports run in order, before anything else: the hook first, then the page's module, with no await
    // between (an awaited import() would let the page's first message arrive before its module set `onmessage`).
    const hookUrl = createUrl(new Blob([WORKER_HOOK_SOURCE], { type: 'text/javascript' }));
    ownUrls.push(hookUrl);
    bootstrap = new Blob([`import ${JSON.stringify(hookUrl)};\nimport ${JSON.stringify(scriptUrl)};\n`], { type: 'text/javascript' });
  } else {
    bootstrap = new Blob([WORKER_HOOK_SOURCE, `\nimportScripts(${JSON.stringify(scriptUrl)});\n`], { type: 'text/javascript' });
  }
  return { bootstrapUrl: createUrl(bootstrap), ownUrls };
}

function connect(worker: Worker, plan: WorkerPlan, postMessage: Worker['postMessage']): void {
  const channel = new MessageChannel();
  channel.port1.onmessage = (event: MessageEvent) => {
    const data = event.data as { tokenscope?: unknown } | null;
    if (data?.tokenscope === WORKER_LOADED_MESSAGE) {
      for (const url of plan.ownUrls.splice(0)) revokeUrl(url);
      return;
    }
    forwardWorkerMessage(data);
  };
  Reflect.apply(postMessage, worker, [{ tokenscope: WORKER_PORT_MESSAGE }, [channel.port2]]);
}

function wrapWorker(): Array<[object, object]> {
  const Original = globalThis.Worker;
  if (typeof Original !== 'function') return [];
  const postMessage = Original.prototype.postMessage;
  const wrapped = new Proxy(Original, {
    construct(target, args: unknown[], newTarget) {
      let plan: WorkerPlan | null = null;
      try {
        plan = planWorker(args);
      } catch {
        plan = null;
      }
      if (!plan) {
        noteUnreachable('worker', args[0]); // Its token calls are not seen: said in the views.
        return Reflect.construct(target, args, newTarget);
      }
      let worker: Worker;
      try {
        worker = Reflect.construct(target, [plan.bootstrapUrl, ...args.slice(1)], newTarget);
      } catch {
        // Refused (a CSP, say): start the page's worker as it asked, so it gets the browser's own answer.
        for (const url of [...plan.ownUrls, plan.bootstrapUrl]) revokeUrl(url);
        return Reflect.construct(target, args, newTarget);
      }
      revokeUrl(plan.bootstrapUrl); // Resolved at construction; not needed again.
      try {
        connect(worker, plan, postMessage);
      } catch {
        // Never in the page's way.
      }
      return worker;
    },
  });
  globalThis.Worker = wrapped;
  try {
    // `new Worker(...).constructor === Worker` stays true.
    Object.defineProperty(Original.prototype, 'constructor', { value: wrapped, writable: true, configurable: true, enumerable: false });
  } catch {
    // Left as it was.
  }
  return [[wrapped, Original]];
}

/** Wrap what starts workers; returns [wrapper, original] pairs for the page hook to disguise. */
export function hookWorkers(): Array<[object, object]> {
  if (WORKER_HOOK_SOURCE === '') return [];
  try {
    return [...wrapObjectUrls(), ...wrapWorker()];
  } catch {
    return [];
  }
}
