/**
 * The page hook's end of the private channel to the relay (handshake in protocol/channel.ts): captured
 * exchanges and Bearer tokens go to the relay only, never as window messages: once the relay named its secret
 * event type, as that event, synchronously (a page that moves on at once cannot take them along); before, and
 * for what a reloaded relay hands back, through the port. The relay keeps each capture until the worker
 * answered for it; if its extension is reloaded, it hands them back (RELAY_GONE) and the hook passes them to
 * the next relay.
 */
import { MAX_BEARER_CHARS } from '../core/limits.js';
import {
  BEARER_TAKEN,
  type BearerSent,
  CHANNEL_ACK,
  CHANNEL_OFFER,
  PAGE_BEARER_MESSAGE,
  PAGE_EXPECT_MESSAGE,
  PAGE_MESSAGE,
  PAGE_SIGN_IN_STEP_MESSAGE,
  PAGE_WINDOW_OPEN_MESSAGE,
  PAGE_UNREAD_MESSAGE,
  RELAY_GONE,
  type SignInStepSent,
  type UnreadSent,
  RELAY_READY,
  SYNC_EVENT_PATTERN,
} from '../protocol/channel.js';
import type { PageExchange } from '../protocol/page-exchange.js';

/** The port, once a relay took it; until then messages wait here (a few at most: the relay starts at document_start too). */
let port: MessagePort | null = null;
let connected = false;
/** The relay's secret event type (protocol/channel.ts SYNC_EVENT_PATTERN says why), once it named one. */
let syncEvent: string | null = null;
/** Kept before any page script runs: a page cannot see what goes through these. */
const dispatch = typeof EventTarget === 'undefined' ? null : EventTarget.prototype.dispatchEvent;
const NativeCustomEvent = typeof CustomEvent === 'undefined' ? null : CustomEvent;
const stringify = JSON.stringify;
const apply = Reflect.apply;
const waiting: unknown[] = [];
/** Messages kept while no relay holds the port (before the first, or after an extension reload): bounded. */
const MAX_WAITING = 100;

function keep(message: unknown): void {
  if (waiting.length >= MAX_WAITING) waiting.shift();
  waiting.push(message);
}

/**
 * A relay whose extension went away (reload, update) hands back what it still held: keep those, drop that
 * relay, and offer a fresh channel to the one the new extension injects.
 */
function relayGone(from: MessagePort, returned: unknown): void {
  if (Array.isArray(returned)) for (const message of returned.slice(0, MAX_WAITING)) keep(message);
  if (port === from) {
    port = null;
    connected = false;
    syncEvent = null;
    offerChannel();
  } else if (connected && port) {
    for (const message of waiting.splice(0)) port.postMessage(message);
  }
}

function offerChannel(): void {
  try {
    const channel = new MessageChannel();
    const offered = channel.port1;
    offered.onmessage = (event: MessageEvent) => {
      const data = event.data as { tokenscope?: unknown; returned?: unknown; id?: unknown; taken?: unknown; event?: unknown } | null;
      if (data?.tokenscope === RELAY_GONE) {
        relayGone(offered, data.returned);
        return;
      }
      if (data?.tokenscope === BEARER_TAKEN) {
        bearerTaken(data.id, data.taken === true);
        return;
      }
      if (connected || data?.tokenscope !== CHANNEL_ACK) return;
      port = offered;
      connected = true;
      syncEvent = typeof data.event === 'string' && SYNC_EVENT_PATTERN.test(data.event) ? data.event : null;
      for (const message of waiting.splice(0)) port.postMessage(message);
    };
    window.postMessage({ tokenscope: CHANNEL_OFFER }, '*', [channel.port2]);
  } catch {
    // Never let the hook's own failure reach the page.
  }
}

/** Where messages go instead of the relay: set in a Web Worker (worker-hook-entry.ts), which has no relay. */
let sink: ((message: unknown) => void) | null = null;

export function sendThrough(to: (message: unknown) => void): void {
  sink = to;
}

function send(message: unknown): void {
  try {
    if (sink) {
      sink(message);
      return;
    }
    if (!connected || !port) {
      keep(message);
      return;
    }
    if (syncEvent && dispatch && NativeCustomEvent) {
      // Every init member given as an own property (none is looked up on a prototype a page could have given a
      // getter), the kept functions called through the kept Reflect.apply (not a `call` a page could replace).
      const init = { bubbles: false, cancelable: false, composed: false, detail: stringify(message) };
      apply(dispatch, window, [new NativeCustomEvent(syncEvent, init)]);
      return;
    }
    port.postMessage(message);
  } catch {
    // Never let the hook's own failure reach the page.
  }
}

/**
 * A followed request goes out now: the relay starts watching the document's Resource Timing (if it was not), so the
 * exchange can be vouched for when it comes. Not from a Web Worker's hook: a worker's requests are not in the document's.
 */
export function expectExchange(): void {
  if (!sink) send({ tokenscope: PAGE_EXPECT_MESSAGE });
}

/** An exchange the page received, to the relay. */
export function post(exchange: PageExchange): void {
  send({ tokenscope: PAGE_MESSAGE, exchange });
}

/** A front-channel step (front-channel.ts), to the relay; `windowOpen`: this page's own `window.open` call made it. */
export function postSignInStep(step: SignInStepSent, windowOpen = false): void {
  send({ tokenscope: PAGE_SIGN_IN_STEP_MESSAGE, step, ...(windowOpen ? { windowOpen: true } : {}) });
}

/** This page called `window.open` (front-channel.ts `wrapOpen`), with the URL it opened or null, to the relay. */
export function postWindowOpen(url: string | null): void {
  send({ tokenscope: PAGE_WINDOW_OPEN_MESSAGE, url });
}

/** A context whose token calls the hook cannot see (unreachable-contexts.ts), to the relay. */
export function postUnread(unread: UnreadSent): void {
  send({ tokenscope: PAGE_UNREAD_MESSAGE, unread });
}

/**
 * Each Bearer token's hosts, reported once: `TAKEN` once the worker took the use (the relay says so: BEARER_TAKEN),
 * else the time it was sent and is still on its way. A refused use is forgotten, so the next request reports it
 * again; one never answered for (the relay gave it up) is sent again after `UNANSWERED_MS`.
 */
const reportedBearers = new Map<string, Map<string, number>>();
const TAKEN = 0;
const UNANSWERED_MS = 30_000;
/** Uses sent and not answered for yet, by id: which token and host. */
const bearersOnTheirWay = new Map<number, { token: string; host: string }>();
let nextBearerId = 1;
/** Distinct tokens remembered; past this the memory starts over (the worker keeps each use once anyway). */
const MAX_REMEMBERED_TOKENS = 1000;

function bearerTaken(id: unknown, taken: boolean): void {
  const sent = typeof id === 'number' ? bearersOnTheirWay.get(id) : undefined;
  if (!sent) return;
  bearersOnTheirWay.delete(id as number);
  const hosts = reportedBearers.get(sent.token);
  if (taken) hosts?.set(sent.host, TAKEN);
  else hosts?.delete(sent.host);
}

/**
 * A request carrying `Authorization: Bearer`: pass the token and where it went to the relay over the
 * private port, the first time this token goes to this host (again if the worker did not take it). The relay sends
 * the worker only its fingerprint (hashing there keeps it out of the page's call); the worker keeps the use if the
 * token is one Tokenscope captured, or holds it until that token's exchange is stored (token-sent-beyond-audience).
 */
export function reportBearer(url: string, method: string, authorization: string | null, proof: () => string | null = () => null): void {
  const sent = tokenSent(url, authorization);
  if (!sent) return;
  const { token, scheme, seen } = sent;
  let hosts = reportedBearers.get(token);
  if (!hosts) {
    if (reportedBearers.size >= MAX_REMEMBERED_TOKENS) {
      reportedBearers.clear();
      bearersOnTheirWay.clear();
    }
    hosts = new Map();
    reportedBearers.set(token, hosts);
  }
  const now = Date.now();
  const state = hosts.get(seen);
  // The call after a nonce challenge at this host is its retry: reported whatever was reported before (RFC 9449 s9).
  const isRetry = challenged.delete(`${seen} ${token}`);
  if (!isRetry && state !== undefined && (state === TAKEN || now - state < UNANSWERED_MS)) return;
  const dpop = scheme === 'dpop' ? proof() : null;
  const bearer: BearerSent = {
    url,
    method,
    token,
    at: new Date(now).toISOString(),
    scheme,
    ...(dpop && dpop.length <= MAX_PROOF_CHARS ? { proof: dpop } : {}),
  };
  if (sink) {
    // A Web Worker's hook has no answer coming back (its messages go through the document's hook): reported as sent.
    hosts.set(seen, TAKEN);
    send({ tokenscope: PAGE_BEARER_MESSAGE, bearer });
    return;
  }
  hosts.set(seen, now);
  const id = nextBearerId++;
  bearersOnTheirWay.set(id, { token, host: seen });
  send({ tokenscope: PAGE_BEARER_MESSAGE, bearer, id });
}

/** A DPoP proof header longer than this is not passed on (RFC 9449 proofs are a few hundred characters). */
const MAX_PROOF_CHARS = 8192;
/** Token and host (`seen` keys) that a resource server answered with a nonce challenge, until the retry is reported. */
const challenged = new Set<string>();

/** The token an `Authorization` value carries, its scheme and the host it went to; null when it carries none. */
function tokenSent(
  url: string,
  authorization: string | null,
): { token: string; scheme: 'bearer' | 'dpop'; host: string; seen: string } | null {
  if (!authorization) return null;
  // RFC 9449 s7.1: `Authorization: DPoP <token>` is a use of the token like a Bearer one.
  const match = /^(Bearer|DPoP)\s+(\S+)\s*$/i.exec(authorization);
  const token = match?.[2];
  const scheme = match?.[1]?.toLowerCase() === 'dpop' ? 'dpop' : 'bearer';
  if (!token || token.length > MAX_BEARER_CHARS) return null;
  try {
    const host = new URL(url).host;
    // Once per token, host and scheme: the same token sent as Bearer after DPoP is a use of its own (RFC 9449 s7.1).
    return { token, scheme, host, seen: scheme === 'dpop' ? `dpop ${host}` : host };
  } catch {
    return null;
  }
}

/**
 * A call that carried a token was answered 401 `WWW-Authenticate: DPoP error="use_dpop_nonce"` (RFC 9449 s9): the
 * challenge goes to the relay as a use of its own, marked, and the next call of that token to that host (the retry,
 * with the server's nonce in its proof) is reported whatever was reported before, so the report joins the two. Only the
 * status and that header were read; no body.
 */
export function reportNonceChallenge(url: string, method: string, authorization: string | null): void {
  const sent = tokenSent(url, authorization);
  if (!sent) return;
  if (challenged.size >= MAX_REMEMBERED_TOKENS) challenged.clear();
  challenged.add(`${sent.seen} ${sent.token}`);
  const bearer: BearerSent = {
    url,
    method,
    token: sent.token,
    at: new Date().toISOString(),
    scheme: sent.scheme,
    challenge: 'use_dpop_nonce',
  };
  send({ tokenscope: PAGE_BEARER_MESSAGE, bearer });
}

/** Offer the relay a port now, and again whenever a relay that started after this hook (injected into an open tab) asks. */
export function connectToRelay(): void {
  window.addEventListener('message', (event: MessageEvent) => {
    if (!connected && event.source === window && (event.data as { tokenscope?: unknown } | null)?.tokenscope === RELAY_READY)
      offerChannel();
  });
  offerChannel();
}

/**
 * A message from a hooked Web Worker's hook (worker-wrap.ts), to the relay marked as a worker's: the relay never
 * vouches for it (the document's Resource Timing does not see a worker's requests). Only the two known shapes pass.
 */
export function forwardWorkerMessage(data: unknown): void {
  if (typeof data !== 'object' || data === null) return;
  const { tokenscope, exchange, bearer } = data as { tokenscope?: unknown; exchange?: unknown; bearer?: unknown };
  if (tokenscope === PAGE_MESSAGE) send({ tokenscope: PAGE_MESSAGE, exchange, context: 'worker' });
  else if (tokenscope === PAGE_BEARER_MESSAGE) send({ tokenscope: PAGE_BEARER_MESSAGE, bearer, context: 'worker' });
}
