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
 * - The exchange is stored like every other source's: `exchangeKey` (method, URL,
 *   response body), so the page hook's report of the same exchange merges with
 *   it; source `filter`, verification `verified`, site from the requesting document.
 */
import type { Browser, WebRequest } from 'webextension-polyfill';
import { isCandidateRequest } from '../core/candidate.js';
import { originOf } from '../core/match-pattern.js';
import type { StoredExchange } from './store.js';
import { PAGE_LIMITS } from '../core/limits.js';
import type { CapturedExchange } from '../core/types.js';
import { grantedOrigins, isWatched } from './watched-sites.js';
import { wireBody } from './wire.js';
import { exchangeKey, updateBadge, type WorkerDeps } from './worker.js';
import { decodeBody } from '../core/decode.js';

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

function headerValue(headers: WebRequest.HttpHeaders | undefined, name: string): string | null {
  const found = headers?.find((header) => header.name.toLowerCase() === name);
  return found?.value ?? null;
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

/**
 * Add the listeners (synchronously: a suspended background is woken by them).
 * Returns null where the browser has no `filterResponseData` (Chromium).
 */
export function startFilterCapture(deps: WorkerDeps, options: FilterOptions = {}): FilterCapture | null {
  const { browser } = deps;
  if (!canFilterResponses(browser)) return null;
  const limit = options.limit ?? PAGE_LIMITS.responseBody;
  const headersWaitMs = options.headersWaitMs ?? HEADERS_WAIT_MS;
  const webRequest = browser.webRequest;
  const requests = new Map<string, Pending>();
  let stores: Promise<unknown> = Promise.resolve();

  // The granted origins, kept in memory so the blocking listener never waits for them.
  let origins: string[] | null = null;
  let generation = 0;
  const refresh = (): Promise<void> => {
    const mine = ++generation;
    return grantedOrigins(browser).then(
      (granted) => {
        if (mine === generation) origins = granted;
      },
      () => {
        if (origins === null) origins = [];
      },
    );
  };
  const ready = refresh();
  browser.permissions.onAdded.addListener(() => void refresh());
  browser.permissions.onRemoved.addListener((removed) => {
    // Stop at once for the removed origins; then read the whole list again.
    const gone = new Set(removed.origins ?? []);
    if (origins) origins = origins.filter((origin) => !gone.has(origin));
    void refresh();
  });

  function store(pending: Pending): void {
    const exchange = filteredExchange(pending, limit);
    const stored: StoredExchange = {
      key: exchangeKey(exchange),
      capture: { tabId: pending.tabId, site: pending.site, seenBy: ['filter'], verification: 'verified' },
      exchange,
    };
    stores = stores
      .then(() => deps.store.add(stored))
      .then(() => updateBadge(deps, pending.tabId))
      .catch(() => undefined);
  }

  function attach(details: WebRequest.OnBeforeRequestDetailsType, requestBody: string | null): void {
    // Both must be watched: the token endpoint (the filter needs its host) and the page that asked (a watched
    // identity provider must not expose the logins of every unwatched app that uses it).
    const page = details.documentUrl ?? details.originUrl ?? '';
    if (!origins || !isWatched(origins, details.url) || !isWatched(origins, page)) return;
    let filter: WebRequest.StreamFilter;
    try {
      filter = webRequest.filterResponseData(details.requestId);
    } catch {
      return; // The request cannot be filtered (already answered from elsewhere): nothing changes for the page.
    }
    const now = Date.now();
    for (const [id, old] of requests) if (now - old.startedAt > STALE_MS) requests.delete(id);
    const pending: Pending = {
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
    requests.set(details.requestId, pending);

    filter.ondata = (event) => {
      const data = event.data;
      try {
        // A copy first: the buffer is handed on with write().
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
      try {
        filter.write(data);
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
    filter.onstop = () => {
      filter.close(); // The page gets the end of its response before any work of ours.
      let timer: ReturnType<typeof setTimeout> | undefined;
      pending.finish = () => {
        clearTimeout(timer);
        pending.finish = null;
        if (requests.get(details.requestId) !== pending) return;
        requests.delete(details.requestId);
        // A site removed while the response was on its way: nothing from it is kept.
        if (!origins || !isWatched(origins, pending.url) || !isWatched(origins, pending.page)) return;
        try {
          store(pending);
        } catch {
          // Never in the page's way; the page hook and the wire log still have their part.
        }
      };
      if (pending.headersSeen) pending.finish();
      else timer = setTimeout(() => pending.finish?.(), headersWaitMs);
    };
    filter.onerror = () => {
      // The request failed or was cancelled: the page sees the failure; nothing to store.
      requests.delete(details.requestId);
    };
  }

  webRequest.onBeforeRequest.addListener(
    (details): WebRequest.BlockingResponseOrPromiseOrVoid => {
      if (details.tabId < 0 || details.method.toUpperCase() !== 'POST') return undefined;
      const body = wireBody(details.requestBody ?? undefined);
      if (!isCandidateRequest(details.method, details.url, body)) return undefined;
      if (origins !== null) {
        attach(details, body);
        return undefined;
      }
      // Only while the background starts: hold this candidate until the granted list is in.
      return ready.then(() => {
        attach(details, body);
        return {};
      });
    },
    { urls: ['<all_urls>'], types: TYPES },
    ['blocking', 'requestBody'],
  );

  // The request's content type and a Basic client authentication, as the page hook reports them.
  webRequest.onSendHeaders.addListener(
    (details) => {
      const pending = requests.get(details.requestId);
      if (!pending) return;
      const contentType = headerValue(details.requestHeaders, 'content-type');
      const authorization = headerValue(details.requestHeaders, 'authorization');
      if (contentType) pending.requestHeaders['content-type'] = contentType;
      if (authorization && /^Basic\s/i.test(authorization)) pending.requestHeaders.authorization = authorization;
    },
    { urls: ['<all_urls>'], types: TYPES },
    ['requestHeaders'],
  );

  // Status and content type of the response (the last one, after any redirect).
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

  return {
    ready,
    pending: () => requests.size,
    idle: async () => {
      for (let last: Promise<unknown> | null = null; last !== stores; ) {
        last = stores;
        await last;
      }
    },
  };
}
