/**
 * HAR 1.2 (as Chrome, Edge and Firefox save it with "Save all as HAR with
 * content") to captured exchanges. Only token-endpoint exchanges and token
 * introspection are picked out; everything else is skipped cheaply, without
 * decoding its body: a HAR holds thousands of entries and a few token exchanges.
 */
import { isCandidateRequest, isTokenShapedText } from './candidate.js';
import { accessTokenHash, isResourceNonceChallenge, readDpopProof } from './dpop.js';
import { basicAuthorization, headerValue } from './headers.js';
import { isObject, type JsonObject } from './json.js';
import { MAX_BODY_CHARS, MAX_TOKEN_CHARS } from './limits.js';
import { fingerprint } from './sha256.js';
import type { BearerUse, CapturedExchange } from './types.js';

/**
 * A HAR that cannot be read (not a HAR, or an entry of the wrong shape), with a one-line reason.
 * @see [HAR 1.2: the HTTP Archive format](https://w3c.github.io/web-performance/specs/HAR/Overview.html)
 */
export class HarError extends Error {}

function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

function decodeBase64(text: string): string | null {
  try {
    const binary = atob(text.replace(/\s+/g, ''));
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return utf8.decode(bytes);
  } catch {
    return null;
  }
}

/** The request body: `postData.text`, else `postData.params` put back together as form data. */
function requestBody(request: JsonObject): string | null {
  const postData = request.postData;
  if (!isObject(postData)) return null;
  const text = str(postData.text);
  if (text !== null) return text;
  if (Array.isArray(postData.params)) {
    const form = new URLSearchParams();
    for (const param of postData.params) {
      if (isObject(param) && typeof param.name === 'string') form.append(param.name, str(param.value) ?? '');
    }
    return form.toString();
  }
  return null;
}

/** One HAR entry as a token exchange or an introspection, or null; decided without decoding bodies that cannot be one. */
export function toExchange(entry: JsonObject): CapturedExchange | null {
  const request = entry.request;
  const response = entry.response;
  if (!isObject(request) || !isObject(response)) return null;
  const method = str(request.method)?.toUpperCase() ?? 'GET';
  const url = str(request.url) ?? '';
  const body = method === 'POST' ? requestBody(request) : null;

  const content = isObject(response.content) ? response.content : {};
  const mimeType = str(content.mimeType) ?? headerValue(response.headers, 'content-type') ?? '';
  const rawText = str(content.text);
  const isBase64 = str(content.encoding)?.toLowerCase() === 'base64';
  const isTextual = /json|x-www-form-urlencoded|text\/plain|javascript/i.test(mimeType);

  let text: string | null = null;
  let candidate = isCandidateRequest(method, url, body);
  if (rawText !== null) {
    if (!isBase64) {
      text = rawText;
      if (!candidate && isTextual && rawText.length <= MAX_BODY_CHARS) candidate = isTokenShapedText(rawText);
    } else if (candidate || (isTextual && rawText.length <= MAX_BODY_CHARS * 2)) {
      text = decodeBase64(rawText);
      if (!candidate && text !== null) candidate = isTokenShapedText(text);
    }
  }
  if (!candidate) return null;

  const status = typeof response.status === 'number' && response.status > 0 ? response.status : null;
  let bodyNote: string | undefined;
  if (rawText === null) {
    bodyNote =
      status === null
        ? 'No response: the request failed or was blocked before an answer arrived.'
        : 'Body not captured: the HAR holds no response content (save it "with content", or the browser dropped it).';
  } else if (text === null) {
    bodyNote = 'Body not captured: the HAR content is marked base64 but does not decode.';
  }
  const headers: Record<string, string> = {};
  const contentType = headerValue(request.headers, 'content-type') ?? (isObject(request.postData) ? str(request.postData.mimeType) : null);
  if (contentType) headers['content-type'] = contentType;
  const authorization = basicAuthorization(headerValue(request.headers, 'authorization'));
  if (authorization) headers.authorization = authorization;
  // RFC 9449 s4: the token request's DPoP proof (a public artefact; the analysis keeps its key thumbprint and claims).
  const dpop = headerValue(request.headers, 'dpop');
  if (dpop) headers.dpop = dpop;

  return {
    url,
    method,
    status,
    startedAt: str(entry.startedDateTime) ?? new Date(0).toISOString(),
    source: 'har',
    request: { headers, body },
    response: { contentType: mimeType, body: rawText === null ? null : text, ...(bodyNote ? { bodyNote } : {}) },
  };
}

/**
 * Whether parsed JSON is a HAR (has `log.entries`).
 * @see [HAR 1.2: the HTTP Archive format](https://w3c.github.io/web-performance/specs/HAR/Overview.html)
 */
export function isHar(value: unknown): value is { log: { entries: unknown[] } } {
  return isObject(value) && isObject(value.log) && Array.isArray(value.log.entries);
}

/** A request that sent `Authorization: Bearer <token>` (or `DPoP <token>`): where, and the token itself (not hashed). */
export interface BearerSend {
  url: string;
  method: string;
  at: string;
  token: string;
  scheme: 'bearer' | 'dpop';
  /** The request's DPoP proof, what the rules need of it (RFC 9449 s4.3, s7). */
  proof?: BearerUse['proof'];
  /** The resource server's 401 nonce challenge (RFC 9449 s9). */
  challenge?: 'use_dpop_nonce';
}

/** `Authorization: Bearer|DPoP <token>` on one HAR entry's request, the token not yet hashed; null if none (or too long to be one). */
export function bearerSend(entry: JsonObject): BearerSend | null {
  const request = entry.request;
  if (!isObject(request)) return null;
  const match = /^(Bearer|DPoP)\s+(\S+)\s*$/i.exec(headerValue(request.headers, 'authorization') ?? '');
  if (!match || (match[2] as string).length > MAX_TOKEN_CHARS) return null;
  const token = match[2] as string;
  const send: BearerSend = {
    url: str(request.url) ?? '',
    method: str(request.method)?.toUpperCase() ?? 'GET',
    at: str(entry.startedDateTime) ?? new Date(0).toISOString(),
    token,
    scheme: (match[1] as string).toLowerCase() === 'dpop' ? 'dpop' : 'bearer',
  };
  const proof = readDpopProof(headerValue(request.headers, 'dpop'));
  if (proof)
    send.proof = {
      jkt: proof.jkt,
      htm: proof.htm,
      htu: proof.htu,
      athMatches: proof.ath === null ? null : proof.ath === accessTokenHash(token),
      nonce: proof.nonce,
    };
  const response = isObject(entry.response) ? entry.response : null;
  const status = typeof response?.status === 'number' ? response.status : null;
  if (isResourceNonceChallenge(status, headerValue(response?.headers, 'www-authenticate'))) send.challenge = 'use_dpop_nonce';
  return send;
}

/** A Bearer send as a use of that token (fingerprint only). A page sends the same token many times: each is hashed once. */
function bearerUse(send: BearerSend, fingerprints: Map<string, string>): BearerUse {
  let print = fingerprints.get(send.token);
  if (print === undefined) {
    print = fingerprint(send.token);
    fingerprints.set(send.token, print);
  }
  return {
    url: send.url,
    method: send.method,
    fingerprint: print,
    at: send.at,
    scheme: send.scheme,
    ...(send.proof ? { proof: send.proof } : {}),
    ...(send.challenge ? { challenge: send.challenge } : {}),
  };
}

/**
 * The token exchanges and introspections in a parsed HAR, in the order they happened, and where Bearer tokens were
 * sent (each token as a fingerprint).
 * @see [RFC 6749 s4.1.3: the access token request](https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3)
 * @see [RFC 6750 s2.1: the Authorization request header field](https://www.rfc-editor.org/rfc/rfc6750#section-2.1)
 */
export function readHar(har: unknown): { exchanges: CapturedExchange[]; bearerUses: BearerUse[] } {
  if (!isHar(har)) throw new HarError('not a HAR file: no log.entries array');
  const exchanges: CapturedExchange[] = [];
  const bearerUses: BearerUse[] = [];
  const fingerprints = new Map<string, string>();
  for (const entry of har.log.entries) {
    if (!isObject(entry)) continue;
    const exchange = toExchange(entry);
    if (exchange) {
      exchanges.push(exchange);
      continue;
    }
    const send = bearerSend(entry);
    if (send) bearerUses.push(bearerUse(send, fingerprints));
  }
  return { exchanges, bearerUses };
}

/**
 * The token exchanges and introspections in a parsed HAR, in the order they happened.
 * @see [RFC 6749 s4.1.3: the access token request](https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3)
 * @see [RFC 7662 s2: the introspection endpoint](https://www.rfc-editor.org/rfc/rfc7662#section-2)
 */
export function exchangesFromHar(har: unknown): CapturedExchange[] {
  return readHar(har).exchanges;
}
