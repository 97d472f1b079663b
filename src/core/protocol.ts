/**
 * The one message protocol between the page hook, the relay, the DevTools page,
 * the views and the worker. Senders and handlers are typed from `Messages`;
 * whatever comes from a page is validated here (shape and size) before anything
 * else looks at it.
 */
import type { BearerUse, CaptureSource, CapturedExchange, Report } from './types.js';

/** The marker on window.postMessage data from the page hook to the relay. */
export const PAGE_MESSAGE = 'tokenscope/page-exchange/v1';
/** The marker for a Bearer token the page sent (its fingerprint only), from the page hook to the relay. */
export const PAGE_BEARER_MESSAGE = 'tokenscope/page-bearer/v1';
/**
 * The handshake that gives the hook and the relay a private MessageChannel: the hook offers a port
 * (with the window message carrying only this marker), the relay takes the first one and says so over
 * it; a relay that starts after the hook asks for a new offer. Captured data goes through the port
 * only, never through window messages, which every script on the page can listen to.
 */
export const CHANNEL_OFFER = 'tokenscope/channel-offer/v1';
export const RELAY_READY = 'tokenscope/relay-ready/v1';
export const CHANNEL_ACK = 'tokenscope/channel-ack/v1';

/** Caps on what a page may send: a token response is a few KB; nothing honest comes near these. */
export const PAGE_LIMITS = {
  url: 8 * 1024,
  method: 16,
  requestBody: 64 * 1024,
  responseBody: 256 * 1024,
  contentType: 256,
  header: 8 * 1024,
} as const;

/** The string fields of a page exchange and their caps, in characters. */
export const PAGE_FIELD_LIMITS: ReadonlyArray<readonly [keyof PageExchange, number]> = [
  ['url', PAGE_LIMITS.url],
  ['method', PAGE_LIMITS.method],
  ['startedAt', 64],
  ['requestBody', PAGE_LIMITS.requestBody],
  ['requestContentType', PAGE_LIMITS.contentType],
  ['requestAuthorization', PAGE_LIMITS.header],
  ['responseBody', PAGE_LIMITS.responseBody],
  ['responseContentType', PAGE_LIMITS.contentType],
  ['bodyNote', 500],
];

/** An exchange as the page hook (or the DevTools page) reports it. Untrusted until validated. */
export interface PageExchange {
  url: string;
  method: string;
  status: number | null;
  startedAt: string;
  requestBody: string | null;
  requestContentType: string | null;
  /** `Authorization` request header, only when it is Basic (the client id is read from it, the secret fingerprinted). */
  requestAuthorization: string | null;
  responseBody: string | null;
  responseContentType: string | null;
  /** Why the body is missing (too large, binary, the request failed). */
  bodyNote: string | null;
}

/** How sure Tokenscope is that an exchange happened as reported. */
export type Verification = 'verified' | 'page-reported' | 'devtools' | 'imported';

/** Where and how an exchange was captured, kept beside the report's contract fields. */
export interface CaptureInfo {
  tabId: number;
  /** Origin of the page (the watched site) the exchange came from. */
  site: string;
  seenBy: CaptureSource[];
  verification: Verification;
}

export interface StoredExchange {
  key: string;
  capture: CaptureInfo;
  exchange: CapturedExchange;
}

export interface TabNote {
  tabId: number;
  at: string;
  message: string;
}

/** Everything a view needs for one tab, computed by the worker (views never re-derive analysis). */
export interface ViewState {
  tabId: number | null;
  tabUrl: string | null;
  /** Origin of the tab's page, when it is a web page. */
  site: string | null;
  isWatched: boolean;
  watchedSites: string[];
  /** The tab's report; its `exchanges` are the newest `limit` ones, its `summary` counts them all. */
  report: Report;
  /** How many exchanges the tab has in all. */
  totalExchanges: number;
  /** Capture info per exchange id of `report`. */
  captures: Record<string, CaptureInfo>;
  /** Exchanges dropped because the store was full, over the whole store. */
  dropped: number;
  capacity: number;
  notes: TabNote[];
  /** Token-endpoint hosts this tab talked to that are not watched (offer to watch them). */
  suggestedHosts: string[];
  /** Other tabs with captured exchanges. */
  otherTabs: Array<{ tabId: number; site: string; exchanges: number; high: number }>;
}

/** Every message: its payload, and the reply the worker sends. */
export interface Messages {
  'page-exchange': { payload: { exchange: unknown }; reply: { stored: boolean; reason?: string } };
  'page-refused': { payload: { reason: string; size: number }; reply: { noted: boolean } };
  /** A token the page sent as `Authorization: Bearer` (fingerprint only), once per token and host. */
  'page-bearer': { payload: { use: unknown }; reply: { recorded: boolean } };
  'devtools-exchange': { payload: { tabId: number; exchange: unknown }; reply: { stored: boolean; reason?: string } };
  /** `limit`: how many exchanges (newest first) to send in full; the summary always counts them all. */
  'get-view': { payload: { tabId: number | null; limit?: number }; reply: ViewState };
  clear: { payload: { tabId: number | null }; reply: { cleared: number } };
  /** One token's value, for the view's reveal and copy (extension pages only). */
  'reveal-token': { payload: { tabId: number; exchangeId: string; fingerprint: string }; reply: { value: string | null } };
  /** The tab's report for export; token values only when asked. */
  'export-report': { payload: { tabId: number | null; showTokens: boolean }; reply: Report };
}

export type MessageName = keyof Messages;
export type Message<N extends MessageName = MessageName> = { type: N } & Messages[N]['payload'];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

type Checked = { ok: true; exchange: PageExchange } | { ok: false; reason: string; oversize: boolean };

function optionalString(value: unknown, name: string, max: number): { value: string | null } | { error: string; oversize: boolean } {
  if (value === null || value === undefined) return { value: null };
  if (typeof value !== 'string') return { error: `${name} is not a string`, oversize: false };
  if (value.length > max) return { error: `${name} is ${value.length} characters, over the ${max} limit`, oversize: true };
  return { value };
}

/** Validate an exchange reported by a page or the DevTools page: exact shape, every field within its cap. */
export function checkPageExchange(value: unknown): Checked {
  if (!isObject(value)) return { ok: false, reason: 'the exchange is not an object', oversize: false };
  const fields = PAGE_FIELD_LIMITS;
  const out: Record<string, unknown> = {};
  for (const [name, max] of fields) {
    const checked = optionalString(value[name], name, max);
    if ('error' in checked) return { ok: false, reason: checked.error, oversize: checked.oversize };
    out[name] = checked.value;
  }
  if (typeof out.url !== 'string' || !/^https?:\/\//i.test(out.url)) return { ok: false, reason: 'url is not an http(s) URL', oversize: false };
  if (typeof out.method !== 'string' || !/^[A-Za-z]+$/.test(out.method)) return { ok: false, reason: 'method is not an HTTP method', oversize: false };
  if (typeof out.startedAt !== 'string' || Number.isNaN(Date.parse(out.startedAt))) return { ok: false, reason: 'startedAt is not a time', oversize: false };
  const status = value.status;
  if (status !== null && !(typeof status === 'number' && Number.isInteger(status) && status >= 0 && status < 1000)) {
    return { ok: false, reason: 'status is not an HTTP status', oversize: false };
  }
  const known = new Set([...fields.map(([name]) => name), 'status']);
  const extra = Object.keys(value).filter((key) => !known.has(key as keyof PageExchange));
  if (extra.length > 0) return { ok: false, reason: `unexpected fields: ${extra.slice(0, 5).join(', ')}`, oversize: false };
  return { ok: true, exchange: { ...(out as Omit<PageExchange, 'status'>), status: status as number | null } as PageExchange };
}

/** Validate a Bearer use reported by a page: an http(s) URL, a method, a SHA-256 fingerprint, a time. */
export function checkBearerUse(value: unknown): BearerUse | null {
  if (!isObject(value)) return null;
  const { url, method, fingerprint, at } = value;
  if (typeof url !== 'string' || url.length > PAGE_LIMITS.url || !/^https?:\/\//i.test(url)) return null;
  if (typeof method !== 'string' || !/^[A-Za-z]{1,16}$/.test(method)) return null;
  if (typeof fingerprint !== 'string' || !/^sha256:[0-9a-f]{64}$/.test(fingerprint)) return null;
  if (typeof at !== 'string' || at.length > 64 || Number.isNaN(Date.parse(at))) return null;
  if (Object.keys(value).length !== 4) return null;
  return { url, method: method.toUpperCase(), fingerprint, at: new Date(at).toISOString() };
}

/** A validated page exchange as the core's captured exchange. */
export function toCapturedExchange(page: PageExchange, source: CaptureSource): CapturedExchange {
  const headers: Record<string, string> = {};
  if (page.requestContentType) headers['content-type'] = page.requestContentType;
  if (page.requestAuthorization && /^Basic\s/i.test(page.requestAuthorization)) headers.authorization = page.requestAuthorization;
  return {
    url: page.url,
    method: page.method.toUpperCase(),
    status: page.status,
    startedAt: new Date(page.startedAt).toISOString(),
    source,
    request: { headers, body: page.requestBody },
    response: { contentType: page.responseContentType ?? '', body: page.responseBody, ...(page.bodyNote ? { bodyNote: page.bodyNote } : {}) },
  };
}
