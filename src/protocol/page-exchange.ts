/**
 * What a page (or the DevTools page) reports, and the checks that make it data the worker can
 * trust the shape of: exact fields, every one within its cap (DESIGN "Privacy and safety").
 */
import { basicAuthorization } from '../core/headers.js';
import { isObject } from '../core/json.js';
import { MAX_EVIDENCE, PAGE_LIMITS } from '../core/limits.js';
import type { BearerUse, CaptureSource, CapturedExchange } from '../core/types.js';
import { isCaptureId } from './channel.js';

/** The string fields of a page exchange and their caps, in characters. */
export const PAGE_FIELD_LIMITS: ReadonlyArray<readonly [keyof PageExchange, number]> = [
  ['url', PAGE_LIMITS.url],
  ['method', PAGE_LIMITS.method],
  ['startedAt', PAGE_LIMITS.startedAt],
  ['requestBody', PAGE_LIMITS.requestBody],
  ['requestContentType', PAGE_LIMITS.contentType],
  ['requestAuthorization', PAGE_LIMITS.header],
  ['requestDpop', PAGE_LIMITS.header],
  ['responseBody', PAGE_LIMITS.responseBody],
  ['responseContentType', PAGE_LIMITS.contentType],
  ['bodyNote', PAGE_LIMITS.bodyNote],
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
  /** The `DPoP` request header (RFC 9449 s4: a proof, a public artefact): the analysis keeps its key thumbprint and claims. */
  requestDpop?: string | null;
  responseBody: string | null;
  responseContentType: string | null;
  /** Why the body is missing (too large, binary, the request failed). */
  bodyNote: string | null;
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
  if (typeof out.url !== 'string' || !/^https?:\/\//i.test(out.url))
    return { ok: false, reason: 'url is not an http(s) URL', oversize: false };
  if (typeof out.method !== 'string' || !/^[A-Za-z]+$/.test(out.method))
    return { ok: false, reason: 'method is not an HTTP method', oversize: false };
  if (typeof out.startedAt !== 'string' || Number.isNaN(Date.parse(out.startedAt)))
    return { ok: false, reason: 'startedAt is not a time', oversize: false };
  const status = value.status;
  if (status !== null && !(typeof status === 'number' && Number.isInteger(status) && status >= 0 && status < 1000)) {
    return { ok: false, reason: 'status is not an HTTP status', oversize: false };
  }
  if (out.requestDpop === null) delete out.requestDpop; // absent unless sent: older hooks' exchanges keep their shape
  const known = new Set([...fields.map(([name]) => name), 'status']);
  const extra = Object.keys(value).filter((key) => !known.has(key as keyof PageExchange));
  if (extra.length > 0) return { ok: false, reason: `unexpected fields: ${extra.slice(0, 5).join(', ')}`, oversize: false };
  return { ok: true, exchange: { ...(out as Omit<PageExchange, 'status'>), status: status as number | null } as PageExchange };
}

/** Validate a Bearer use reported by a page: an http(s) URL, a method, a SHA-256 fingerprint, a time. */
export function checkBearerUse(value: unknown): BearerUse | null {
  if (!isObject(value)) return null;
  const { url, method, fingerprint, at, scheme, proof, challenge } = value;
  if (typeof url !== 'string' || url.length > PAGE_LIMITS.url || !/^https?:\/\//i.test(url)) return null;
  if (typeof method !== 'string' || !/^[A-Za-z]{1,16}$/.test(method)) return null;
  if (typeof fingerprint !== 'string' || !/^sha256:[0-9a-f]{64}$/.test(fingerprint)) return null;
  if (typeof at !== 'string' || at.length > 64 || Number.isNaN(Date.parse(at))) return null;
  // `scheme` (RFC 9449 s7.1: `bearer` or `dpop`) is optional: a relay of an older hook does not send it.
  if (scheme !== undefined && scheme !== 'bearer' && scheme !== 'dpop') return null;
  // RFC 9449 s9: the call's answer was the resource server's nonce challenge.
  if (challenge !== undefined && challenge !== 'use_dpop_nonce') return null;
  const read = proof === undefined ? undefined : checkProof(proof);
  if (read === null) return null;
  const known = [url, method, fingerprint, at, scheme, proof, challenge].filter((field) => field !== undefined).length;
  if (Object.keys(value).length !== known) return null;
  return {
    url,
    method: method.toUpperCase(),
    fingerprint,
    at: new Date(at).toISOString(),
    ...(scheme !== undefined ? { scheme } : {}),
    ...(read !== undefined ? { proof: read } : {}),
    ...(challenge !== undefined ? { challenge } : {}),
  };
}

const proofText = (value: unknown): value is string | null =>
  value === null || (typeof value === 'string' && value.length <= PAGE_LIMITS.url);

/** A use's DPoP proof as the relay read it (RFC 9449 s4.2): the key's thumbprint, `htm`, `htu`, whether `ath` matched, whether it carried a nonce. */
function checkProof(value: unknown): NonNullable<BearerUse['proof']> | null {
  if (!isObject(value)) return null;
  const { jkt, htm, htu, athMatches, nonce } = value;
  if (!proofText(jkt) || !proofText(htm) || !proofText(htu)) return null;
  if (athMatches !== null && typeof athMatches !== 'boolean') return null;
  if (nonce !== undefined && typeof nonce !== 'boolean') return null;
  if (Object.keys(value).length !== (nonce === undefined ? 4 : 5)) return null;
  return { jkt, htm, htu, athMatches, ...(nonce !== undefined ? { nonce } : {}) };
}

/** What a `page-evidence` message names: the capture, and its request's URL and start as the capture said them. */
export interface CaptureEvidence {
  captureId: string;
  url: string;
  /** Epoch milliseconds. */
  startedAt: number;
}

/** Validate a `page-evidence` message's capture: a capture id, an http(s) URL within its cap, a time. */
export function checkEvidence(value: { captureId?: unknown; url?: unknown; startedAt?: unknown }): CaptureEvidence | null {
  const { captureId, url, startedAt } = value;
  if (!isCaptureId(captureId)) return null;
  if (typeof url !== 'string' || url.length > PAGE_LIMITS.url || !/^https?:\/\//i.test(url)) return null;
  if (typeof startedAt !== 'string' || startedAt.length > PAGE_LIMITS.startedAt) return null;
  const at = Date.parse(startedAt);
  return Number.isNaN(at) ? null : { captureId, url, startedAt: at };
}

/**
 * Validate the evidence a message carries for earlier captures (`evidence` on `page-exchange` and `page-evidence`): a
 * list of what `checkEvidence` takes. An entry that does not pass is left out (it upgrades nothing); anything but a
 * list, or a longer list than `MAX_EVIDENCE`, is none at all.
 */
export function checkEvidenceList(value: unknown): CaptureEvidence[] {
  if (!Array.isArray(value) || value.length > MAX_EVIDENCE) return [];
  return value.flatMap((entry) => {
    const checked = isObject(entry) ? checkEvidence(entry) : null;
    return checked ? [checked] : [];
  });
}

/** A validated page exchange as the core's captured exchange. */
export function toCapturedExchange(page: PageExchange, source: CaptureSource): CapturedExchange {
  const headers: Record<string, string> = {};
  if (page.requestContentType) headers['content-type'] = page.requestContentType;
  const basic = basicAuthorization(page.requestAuthorization);
  if (basic) headers.authorization = basic;
  if (page.requestDpop) headers.dpop = page.requestDpop;
  return {
    url: page.url,
    method: page.method.toUpperCase(),
    status: page.status,
    startedAt: new Date(page.startedAt).toISOString(),
    source,
    request: { headers, body: page.requestBody },
    response: {
      contentType: page.responseContentType ?? '',
      body: page.responseBody,
      ...(page.bodyNote ? { bodyNote: page.bodyNote } : {}),
    },
  };
}
