/**
 * The page hook: runs in the page's own world (MAIN) at document_start on
 * watched sites, and wraps `fetch` and `XMLHttpRequest` to see token responses
 * that the page's JavaScript receives (SPA and PKCE clients).
 *
 * Rules it lives by (DESIGN: privacy and safety invariants):
 * - The page sees exactly what it would without Tokenscope: the same Response
 *   object, the same errors, the same timing; wrappers are Proxies of the
 *   originals, so `fetch.name`, `length` and `prototype` are unchanged.
 * - It decides from method, URL and request body whether a request can be a
 *   token exchange before touching its response, and clones only those.
 * - Everything it does is inside try/catch: a failure here never reaches the page.
 */
import { isTokenEndpointUrl } from '../core/candidate.js';
import { basicAuthorization } from '../core/headers.js';
import { PAGE_LIMITS } from '../core/limits.js';
import type { PageExchange } from '../protocol/page-exchange.js';
import { isCandidateRequest, report } from './followed.js';
import { wrapOpen } from './front-channel.js';
import {
  type DiscoveryPlan,
  followDiscovery,
  followXhrDiscovery,
  planDiscovery,
  watchChallenge,
  watchXhrChallenge,
} from './discovery-capture.js';
import { connectToRelay, expectExchange, postSignInStep, postWindowOpen, reportBearer } from './hook-port.js';
import { cloneOf, thenOf } from './natives.js';
import { bodyText, headerOf } from './request-read.js';
import { MAX_RESPONSE_BYTES, readCapped, xhrResponseText } from './response-read.js';
import { watchUnreachableContexts } from './unreachable-contexts.js';
import { hookWorkers } from './worker-wrap.js';

const INSTALLED = Symbol.for('tokenscope.page-hook');

type Pending = Omit<PageExchange, 'status' | 'responseBody' | 'responseContentType' | 'bodyNote'>;

function absolute(url: string): string {
  try {
    // In a Web Worker (worker-hook.ts) there is no document: the worker's own base.
    return new URL(url, globalThis.document?.baseURI ?? globalThis.location?.href).href;
  } catch {
    return url;
  }
}

function mcpVersionOf(input: Parameters<typeof fetch>[0], init: RequestInit | undefined): string | null {
  return headerOf(init?.headers, 'mcp-protocol-version') ?? (input instanceof Request ? input.headers.get('mcp-protocol-version') : null);
}

interface FetchPlan {
  discovery?: undefined;
  pending: Pending;
  /** A Request's own body, read from a copy; null when the body was known at the call. */
  requestBody: Promise<string | null> | null;
}

/** A call that is no candidate: only its answer's status is watched (a 401 challenge), with the Authorization it carried. */
interface WatchPlan {
  discovery?: undefined;
  pending?: undefined;
  authorization: string | null;
}

/** What to capture of a fetch call, decided before it goes out; a `WatchPlan` for every call that is not a candidate. */
function planFetchCapture(args: Parameters<typeof fetch>): FetchPlan | { discovery: DiscoveryPlan; pending?: undefined } | WatchPlan {
  const [input, init] = args;
  const isRequest = typeof Request !== 'undefined' && input instanceof Request;
  const url = absolute(isRequest ? input.url : String(input));
  const method = (init?.method ?? (isRequest ? input.method : 'GET')).toUpperCase();
  const contentType = headerOf(init?.headers, 'content-type') ?? (isRequest ? input.headers.get('content-type') : null);
  const sentAuthorization = headerOf(init?.headers, 'authorization') ?? (isRequest ? input.headers.get('authorization') : null);
  // RFC 9449 s4: a DPoP call's proof header, read only when its use is reported.
  reportBearer(url, method, sentAuthorization, () => headerOf(init?.headers, 'dpop') ?? (isRequest ? input.headers.get('dpop') : null));
  const initBody = method === 'POST' && init && 'body' in init ? bodyText(init.body) : null;
  // Discovery (RFC 9728, RFC 8414, RFC 7591): a metadata GET by its URL, a registration by its body; headers read only then.
  const discovery = planDiscovery(url, method, initBody, () => mcpVersionOf(input, init));
  if (discovery) return { discovery };
  const watch = { authorization: sentAuthorization };
  if (method !== 'POST') return watch;
  const authorization = basicAuthorization(sentAuthorization);
  // RFC 9449 s4: the DPoP proof header, only the header itself (what the analysis reads of it is decided in the core).
  const dpop = headerOf(init?.headers, 'dpop') ?? (isRequest ? input.headers.get('dpop') : null);
  const base = {
    url,
    method,
    startedAt: new Date().toISOString(),
    requestContentType: contentType,
    requestAuthorization: authorization,
    ...(dpop ? { requestDpop: dpop } : {}),
  };
  if (init?.body !== undefined && init?.body !== null) {
    return isCandidateRequest(method, url, initBody) ? { pending: { ...base, requestBody: initBody }, requestBody: null } : watch;
  }
  if (isRequest && input.body !== null && (isTokenEndpointUrl(url) || /x-www-form-urlencoded|json/i.test(contentType ?? ''))) {
    // A Request carries its own body: read a copy (the page's stays untouched), decide once it is read.
    const requestBody = input
      .clone()
      .text()
      .then((text) => (text.length <= PAGE_LIMITS.requestBody ? text : null))
      .catch(() => null);
    return { pending: { ...base, requestBody: null }, requestBody };
  }
  return isCandidateRequest(method, url, null) ? { pending: { ...base, requestBody: null }, requestBody: null } : watch;
}

/** Once the page's fetch settles: copy the response before the page reads it, and report the exchange. */
function followFetch(result: Promise<Response>, plan: FetchPlan): void {
  const request = plan.pending;
  const bodyPromise = plan.requestBody ?? Promise.resolve(request.requestBody);
  // A Request to a token-like URL is a candidate whatever its body; one to another URL is decided by its body.
  const decided = plan.requestBody === null || isTokenEndpointUrl(request.url);
  thenOf(
    result,
    (response: Response) => {
      let copy: Response;
      try {
        // Now, before the page reads its body; with the browser's clone, whatever the page put on the prototype.
        copy = cloneOf(response);
      } catch {
        return; // The body was already used or locked: nothing to capture, nothing changed for the page.
      }
      void bodyPromise.then((text) => {
        if (!decided && !isCandidateRequest(request.method, request.url, text)) {
          void copy.body?.cancel().catch(() => {});
          return;
        }
        request.requestBody = text;
        const contentType = response.headers.get('content-type');
        const reported = { ...request, status: response.status, responseContentType: contentType };
        readCapped(copy, MAX_RESPONSE_BYTES).then(
          ({ text: body, note }) => report({ ...reported, responseBody: body, bodyNote: note }),
          () => report({ ...reported, responseBody: null, bodyNote: 'The response body could not be read.' }),
        );
      });
    },
    () =>
      void bodyPromise.then((text) =>
        report({
          ...request,
          requestBody: text,
          status: null,
          responseBody: null,
          responseContentType: null,
          bodyNote: 'The request failed before a response arrived.',
        }),
      ),
  );
}

const requestUrl = (input: Parameters<typeof fetch>[0]) => absolute(input instanceof Request ? input.url : String(input));
const requestMethod = ([input, init]: Parameters<typeof fetch>) =>
  (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();

function wrapFetch(): void {
  const original = globalThis.fetch;
  if (typeof original !== 'function') return;
  globalThis.fetch = new Proxy(original, {
    apply(target, thisArg, args: Parameters<typeof fetch>) {
      let plan: ReturnType<typeof planFetchCapture> | null = null;
      try {
        plan = planFetchCapture(args);
      } catch {
        plan = null;
      }
      if (plan?.pending) expectExchange();
      const result: Promise<Response> = Reflect.apply(target, thisArg, args);
      try {
        if (plan?.discovery) followDiscovery(result, plan.discovery);
        else if (plan?.pending) followFetch(result, plan);
        else watchChallenge(result, () => requestUrl(args[0]), requestMethod(args), plan?.authorization ?? null);
      } catch {
        // Never in the page's way.
      }
      return result;
    },
  });
}

interface XhrRecord {
  method: string;
  url: string;
  contentType: string | null;
  /** The Authorization header as set (Basic kept for the client id; Bearer passed to the relay, which reports its fingerprint). */
  authorization: string | null;
  /** The DPoP proof header as set (RFC 9449 s4). */
  dpop?: string;
  /** The `MCP-Protocol-Version` header as set (an MCP client's discovery). */
  mcpProtocolVersion?: string;
}

/** Report an XMLHttpRequest token exchange when it ends: its answer as the page got it, or that it failed. */
function followXhrExchange(xhr: XMLHttpRequest, request: Pending): void {
  xhr.addEventListener(
    'loadend',
    () => {
      try {
        if (xhr.status === 0) {
          report({
            ...request,
            status: null,
            responseBody: null,
            responseContentType: null,
            bodyNote: 'The request failed or was aborted before a response arrived.',
          });
          return;
        }
        const contentType = xhr.getResponseHeader('content-type');
        xhrResponseText(xhr).then(
          ({ text, note }) =>
            report({ ...request, status: xhr.status, responseBody: text, responseContentType: contentType, bodyNote: note }),
          () => {},
        );
      } catch {
        // Never in the page's way.
      }
    },
    { once: true },
  );
}

function wrapXhr(): void {
  if (typeof XMLHttpRequest === 'undefined') return;
  const proto = XMLHttpRequest.prototype;
  const records = new WeakMap<XMLHttpRequest, XhrRecord>();
  proto.open = new Proxy(proto.open, {
    apply(target, xhr: XMLHttpRequest, args: unknown[]) {
      try {
        records.set(xhr, { method: String(args[0]).toUpperCase(), url: absolute(String(args[1])), contentType: null, authorization: null });
      } catch {
        // Never in the page's way.
      }
      return Reflect.apply(target, xhr, args);
    },
  });
  proto.setRequestHeader = new Proxy(proto.setRequestHeader, {
    apply(target, xhr: XMLHttpRequest, args: unknown[]) {
      try {
        const record = records.get(xhr);
        const name = String(args[0]).toLowerCase();
        if (record && name === 'content-type') record.contentType = String(args[1]);
        if (record && name === 'authorization') record.authorization = String(args[1]);
        if (record && name === 'dpop') record.dpop = String(args[1]);
        if (record && name === 'mcp-protocol-version') record.mcpProtocolVersion = String(args[1]);
      } catch {
        // Never in the page's way.
      }
      return Reflect.apply(target, xhr, args);
    },
  });
  proto.send = new Proxy(proto.send, {
    apply(target, xhr: XMLHttpRequest, args: unknown[]) {
      try {
        const record = records.get(xhr);
        // RFC 9449 s4: the proof header as set, read only when a DPoP use is reported (as for fetch).
        if (record) reportBearer(record.url, record.method, record.authorization, () => record.dpop ?? null);
        const body = bodyText(args[0]);
        // Discovery (RFC 9728, RFC 8414, RFC 7591) as for fetch: a metadata GET by its URL, a registration by its body.
        const discovery = record
          ? planDiscovery(record.url, record.method, record.method === 'POST' ? body : null, () => record.mcpProtocolVersion ?? null)
          : null;
        if (record && discovery) followXhrDiscovery(xhr, discovery, xhrResponseText);
        else if (record && isCandidateRequest(record.method, record.url, body)) {
          expectExchange();
          const request: Pending = {
            url: record.url,
            method: record.method,
            startedAt: new Date().toISOString(),
            requestBody: body,
            requestContentType: record.contentType,
            requestAuthorization: basicAuthorization(record.authorization),
            ...(record.dpop ? { requestDpop: record.dpop } : {}),
          };
          followXhrExchange(xhr, request);
        } else if (record) watchXhrChallenge(xhr, record.url, record.method, record.authorization);
      } catch {
        // Never in the page's way.
      }
      return Reflect.apply(target, xhr, args);
    },
  });
}

/**
 * `String(fetch)` on a Proxy says `function () { [native code] }`, without the name; pages and their
 * libraries test for `function fetch() { [native code] }`. Function.prototype.toString answers for each
 * wrapper with its original, and for itself with itself.
 */
function disguiseWrappers(pairs: Array<[object, object]>): void {
  const originals = new WeakMap<object, object>(pairs);
  const nativeToString = Function.prototype.toString;
  const disguised = new Proxy(nativeToString, {
    apply(target, thisArg: object, args: []) {
      return Reflect.apply(target, originals.get(thisArg) ?? thisArg, args);
    },
  });
  originals.set(disguised, nativeToString);
  Function.prototype.toString = disguised;
}

/**
 * Wrap this global's fetch and XHR (a document's, or a Web Worker's: worker-hook.ts) and disguise the wrappers,
 * together with `extra` [wrapper, original] pairs installed by the caller.
 */
export function wrapNetwork(extra: Array<[object, object]> = []): void {
  const originals =
    typeof XMLHttpRequest === 'undefined'
      ? []
      : [XMLHttpRequest.prototype.open, XMLHttpRequest.prototype.setRequestHeader, XMLHttpRequest.prototype.send];
  const originalFetch = globalThis.fetch;
  wrapFetch();
  wrapXhr();
  const pairs: Array<[object, object]> = [[globalThis.fetch, originalFetch], ...extra];
  if (typeof XMLHttpRequest !== 'undefined') {
    const proto = XMLHttpRequest.prototype;
    pairs.push(
      [proto.open, originals[0] as object],
      [proto.setRequestHeader, originals[1] as object],
      [proto.send, originals[2] as object],
    );
  }
  disguiseWrappers(pairs);
}

/** Install once per document (the hook may be injected both by registration and on demand). */
export function installPageHook(): void {
  const host = window as unknown as Record<symbol, boolean>;
  if (host[INSTALLED]) return;
  Object.defineProperty(window, INSTALLED, { value: true, enumerable: false });
  const workerPairs = [...hookWorkers(), ...watchUnreachableContexts()];
  // window.open is a window's: wrapped here, not in wrapNetwork, which a worker's hook runs too. The document's
  // own URL and its navigations are read by the relay (front-channel.ts says why).
  wrapNetwork([...workerPairs, ...wrapOpen(postSignInStep, postWindowOpen)]);
  connectToRelay();
}
