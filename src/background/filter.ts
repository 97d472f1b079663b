/**
 * Firefox's response capture: `webRequest.filterResponseData` in the background
 * sees a token endpoint's response as the browser's network layer delivers it,
 * whoever made the request (the page's fetch/XHR, a form post, a frame).
 *
 * What it lives by:
 * - Only token-request candidates (a POST passing `isCandidateRequest`) to a
 *   watched host get a filter; every other request gets none at all.
 * - The blocking listener decides synchronously, from a list of granted origins
 *   kept in memory and updated on every permission change. Only before that list
 *   is first read (the first requests after the background starts) does it hold
 *   a candidate request until the list is in.
 * - Every chunk goes on to the page at once and unchanged; a copy is kept up to
 *   `PAGE_LIMITS.responseBody` bytes, past which the data still flows but is no
 *   longer copied. The bytes are joined and decoded once, at the end, so UTF-8
 *   characters split across chunks come out whole. They are decoded as the
 *   browser decodes an XHR's responseText: a byte order mark first, else the
 *   charset the response's Content-Type names, else (none, or a label the
 *   TextDecoder does not know) UTF-8.
 * - The exchange is stored like every other source's (`storeCapture`, keyed by
 *   method, URL and response body), so the page hook's report of the same exchange
 *   merges with it; source `filter`, verification `verified`, site from the
 *   requesting document.
 */
import type { Browser, WebRequest } from 'webextension-polyfill';
import { isCandidateRequest } from '../core/candidate.js';
import { decodeBody } from '../core/decode.js';
import { basicAuthorization, headerValue } from '../core/headers.js';
import { PAGE_LIMITS } from '../core/limits.js';
import { originOf } from '../core/match-pattern.js';
import type { CapturedExchange } from '../core/types.js';
import type { WorkerDeps } from './deps.js';
import { storeCapture } from './store-capture.js';
import { type GrantedOrigins, isWatched } from './watched-sites.js';
import { requestBodyText } from './request-body.js';

export const BODY_OVER_LIMIT = 'Body over the size limit not captured';

/** Request types a token exchange can come as: fetch/XHR, a form post (frame), and the rest. */
const TYPES: WebRequest.ResourceType[] = ['xmlhttprequest', 'main_frame', 'sub_frame', 'other'];
/** A filtered request that never ends (no stop, no error) is forgotten after this long. */
const STALE_MS = 5 * 60_000;
/**
 * The stream can end before the (non-blocking) onHeadersReceived event reaches
 * the background: they travel apart. Wait this long for the status, then store without it.
 */
const HEADERS_WAIT_MS = 2_000;

interface Pending {
  url: string;
  method: string;
  startedAt: number;
  tabId: number;
  site: string;
  /** The URL of the page that made the request (it must be watched too). */
  page: string;
  requestBody: string | null;
  requestHeaders: Record<string, string>;
  status: number | null;
  contentType: string | null;
  headersSeen: boolean;
  chunks: Uint8Array[];
  size: number;
  over: boolean;
  /** Set when the stream ended: what stores it once the headers are in (or the wait is over). */
  finish: (() => void) | null;
}

export interface FilterCapture {
  /** Resolves once the granted origins were first read. */
  ready: Promise<void>;
  /** Requests with a filter attached that have not ended yet (for tests). */
  pending(): number;
  /** Stores still in progress (for tests: wait for them). */
  idle(): Promise<void>;
}

export interface FilterOptions {
  /** Bytes of a response kept for analysis; past it the data flows on uncopied. */
  limit?: number;
  /** How long an ended stream waits for its response headers. */
  headersWaitMs?: number;
}

/** Whether this browser lets an extension read response bodies (Firefox). */
export function canFilterResponses(browser: Browser): boolean {
  return typeof (browser.webRequest as Partial<Browser['webRequest']> | undefined)?.filterResponseData === 'function';
}

/**
 * Both must be watched: the token endpoint (the filter needs its host) and the page that asked (a watched
 * identity provider must not expose the logins of every unwatched app that uses it). Decided synchronously.
 */
function watches(origins: GrantedOrigins, url: string, page: string): boolean {
  const list = origins.now();
  return origins.known && isWatched(list, url) && isWatched(list, page);
}

/** What every filtered request shares. */
interface Filtering {
  webRequest: Browser['webRequest'];
  origins: GrantedOrigins;
  requests: Map<string, Pending>;
  limit: number;
  headersWaitMs: number;
  store(pending: Pending): void;
}

function join(chunks: Uint8Array[], size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** The exchange as the core reads it, from what the network layer delivered. */
function filteredExchange(pending: Pending, limit: number): CapturedExchange {
  const body = pending.over ? null : decodeBody(join(pending.chunks, pending.size), pending.contentType);
  const note = pending.over ? `${BODY_OVER_LIMIT} (${pending.size} bytes, over the ${limit}-byte limit).` : null;
  return {
    url: pending.url,
    method: pending.method,
    status: pending.status,
    startedAt: new Date(pending.startedAt).toISOString(),
    source: 'filter',
    request: { headers: pending.requestHeaders, body: pending.requestBody },
    response: { contentType: pending.contentType ?? '', body, ...(note ? { bodyNote: note } : {}) },
  };
}

function newPending(details: WebRequest.OnBeforeRequestDetailsType, page: string, requestBody: string | null): Pending {
  return {
    url: details.url,
    method: details.method.toUpperCase(),
    startedAt: details.timeStamp,
    tabId: details.tabId,
    site: originOf(page) ?? 'unknown',
    page,
    requestBody,
    requestHeaders: {},
    status: null,
    contentType: null,
    headersSeen: false,
    chunks: [],
    size: 0,
    over: false,
    finish: null,
  };
}

/** Keep a copy of one chunk, up to the limit (a copy: the buffer is handed on with write()). */
function keepChunk(pending: Pending, data: ArrayBuffer, limit: number): void {
  try {
    if (!pending.over && pending.size + data.byteLength <= limit) pending.chunks.push(new Uint8Array(data.slice(0)));
    else if (!pending.over) {
      pending.over = true;
      pending.chunks = [];
    }
    pending.size += data.byteLength;
  } catch {
    pending.over = true;
    pending.chunks = [];
  }
}

/** The stream ended: the page gets the end of its response first; the exchange is stored once its headers are in. */
function onStreamEnd(filtering: Filtering, requestId: string, pending: Pending, filter: WebRequest.StreamFilter): void {
  filter.close();
  let timer: ReturnType<typeof setTimeout> | undefined;
  pending.finish = () => {
    clearTimeout(timer);
    pending.finish = null;
    if (filtering.requests.get(requestId) !== pending) return;
    filtering.requests.delete(requestId);
    // A site removed while the response was on its way: nothing from it is kept.
    if (!watches(filtering.origins, pending.url, pending.page)) return;
    try {
      filtering.store(pending);
    } catch {
      // Never in the page's way; the page hook still reports the same exchange.
    }
  };
  if (pending.headersSeen) pending.finish();
  else timer = setTimeout(() => pending.finish?.(), filtering.headersWaitMs);
}

/** Attach a stream filter to a candidate request from a watched page to a watched host. */
function attach(filtering: Filtering, details: WebRequest.OnBeforeRequestDetailsType, requestBody: string | null): void {
  const page = details.documentUrl ?? details.originUrl ?? '';
  if (!watches(filtering.origins, details.url, page)) return;
  let filter: WebRequest.StreamFilter;
  try {
    filter = filtering.webRequest.filterResponseData(details.requestId);
  } catch {
    return; // The request cannot be filtered (already answered from elsewhere): nothing changes for the page.
  }
  const { requests } = filtering;
  const now = Date.now();
  for (const [id, old] of requests) if (now - old.startedAt > STALE_MS) requests.delete(id);
  const pending = newPending(details, page, requestBody);
  requests.set(details.requestId, pending);

  filter.ondata = (event) => {
    keepChunk(pending, event.data, filtering.limit);
    try {
      filter.write(event.data);
    } catch {
      // Should never happen; if it does, step aside: the rest of the response flows to the page without us.
      requests.delete(details.requestId);
      try {
        filter.disconnect();
      } catch {
        // Already closed.
      }
    }
  };
  filter.onstop = () => onStreamEnd(filtering, details.requestId, pending, filter);
  filter.onerror = () => {
    // The request failed or was cancelled: the page sees the failure; nothing to store.
    requests.delete(details.requestId);
  };
}

/** The blocking listener: a filter for each candidate POST, decided synchronously once the granted origins are known. */
function listenForRequests(filtering: Filtering): void {
  filtering.webRequest.onBeforeRequest.addListener(
    (details): WebRequest.BlockingResponseOrPromiseOrVoid => {
      if (details.tabId < 0 || details.method.toUpperCase() !== 'POST') return undefined;
      const body = requestBodyText(details.requestBody ?? undefined);
      if (!isCandidateRequest(details.method, details.url, body)) return undefined;
      if (filtering.origins.known) {
        attach(filtering, details, body);
        return undefined;
      }
      // Only while the background starts: hold this candidate until the granted list is in.
      return filtering.origins.ready.then(() => {
        attach(filtering, details, body);
        return {};
      });
    },
    { urls: ['<all_urls>'], types: TYPES },
    ['blocking', 'requestBody'],
  );
}

/** The request's content type, Basic client authentication and DPoP proof (as the page hook reports them); the response's status and type. */
function listenForHeaders(filtering: Filtering): void {
  const { webRequest, requests } = filtering;
  webRequest.onSendHeaders.addListener(
    (details) => {
      const pending = requests.get(details.requestId);
      if (!pending) return;
      const contentType = headerValue(details.requestHeaders, 'content-type');
      const authorization = basicAuthorization(headerValue(details.requestHeaders, 'authorization'));
      if (contentType) pending.requestHeaders['content-type'] = contentType;
      if (authorization) pending.requestHeaders.authorization = authorization;
      // RFC 9449 s4: the token request's DPoP proof (public; the core reads its key thumbprint and claims).
      const dpop = headerValue(details.requestHeaders, 'dpop');
      if (dpop) pending.requestHeaders.dpop = dpop;
    },
    { urls: ['<all_urls>'], types: TYPES },
    ['requestHeaders'],
  );
  // The last response's headers, after any redirect.
  webRequest.onHeadersReceived.addListener(
    (details) => {
      const pending = requests.get(details.requestId);
      if (!pending) return undefined;
      pending.status = details.statusCode;
      pending.contentType = headerValue(details.responseHeaders, 'content-type');
      pending.headersSeen = true;
      pending.finish?.();
      return undefined;
    },
    { urls: ['<all_urls>'], types: TYPES },
    ['responseHeaders'],
  );
}

/**
 * Add the listeners (synchronously: a suspended background is woken by them).
 * Returns null where the browser has no `filterResponseData` (Chromium).
 */
export function startFilterCapture(deps: WorkerDeps, options: FilterOptions = {}): FilterCapture | null {
  const { browser } = deps;
  if (!canFilterResponses(browser)) return null;
  const limit = options.limit ?? PAGE_LIMITS.responseBody;
  /** Every store begun so far (for `idle`). */
  let stores: Promise<unknown> = Promise.resolve();
  const filtering: Filtering = {
    webRequest: browser.webRequest,
    origins: deps.origins,
    requests: new Map(),
    limit,
    headersWaitMs: options.headersWaitMs ?? HEADERS_WAIT_MS,
    store(pending) {
      const exchange = filteredExchange(pending, limit);
      const capture = { tabId: pending.tabId, site: pending.site, seenBy: ['filter' as const], verification: 'verified' as const };
      // No page side holds this capture to send it again: its write is queued at once (the store orders writes
      // itself), not behind the badges of the captures before it; a background stopped before the write loses it.
      const written = storeCapture(deps, exchange, capture).catch(() => undefined);
      stores = Promise.all([stores, written]);
    },
  };
  listenForRequests(filtering);
  listenForHeaders(filtering);
  return {
    ready: filtering.origins.ready,
    pending: () => filtering.requests.size,
    idle: async () => {
      for (let last: Promise<unknown> | null = null; last !== stores; ) {
        last = stores;
        await last;
      }
    },
  };
}
