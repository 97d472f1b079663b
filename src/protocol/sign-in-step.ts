/**
 * A front-channel step as a page reports it (`page-sign-in-step`), and the check that makes it data the worker
 * can trust the shape of: exact fields, each within its cap. The step stays 'page-reported': the core reads it
 * as a claim of the page about its own navigation, never as proof of what a server answered.
 */
import { isObject } from '../core/json.js';
import { PAGE_LIMITS } from '../core/limits.js';
import { withoutRegistrationSecrets } from '../core/sign-in/discovery.js';
import type { SignInStep } from '../core/sign-in/types.js';

const FRAMES = new Set(['top', 'popup', 'iframe']);
const FIELDS = new Set(['url', 'method', 'at', 'frame', 'body', 'responseBody', 'status', 'wwwAuthenticate', 'mcpProtocolVersion']);

type Checked = { ok: true; step: SignInStep } | { ok: false; reason: string };

function capped(value: unknown, name: string, max: number): { value: string | null } | { error: string } {
  if (value === null || value === undefined) return { value: null };
  if (typeof value !== 'string') return { error: `${name} is not a string` };
  if (value.length > max) return { error: `${name} is ${value.length} characters, over the ${max} limit` };
  return { value };
}

/** An HTTP method as a token (RFC 9110 s9.1), upper case as the hook sends it: what any call answered 401 may use. */
const METHOD_TOKEN = /^[A-Z][A-Z-]{0,15}$/;

/**
 * Validate a step from a page: an http(s) URL, GET or POST (any method for a 401 challenge, the call it answered), a
 * time, a frame, optional capped bodies; nothing else.
 */
export function checkSignInStep(value: unknown): Checked {
  if (!isObject(value)) return { ok: false, reason: 'the step is not an object' };
  const extra = Object.keys(value).filter((key) => !FIELDS.has(key));
  if (extra.length > 0) return { ok: false, reason: `unexpected fields: ${extra.slice(0, 5).join(', ')}` };
  const { url, method, at, frame } = value;
  if (typeof url !== 'string' || url.length > PAGE_LIMITS.url || !/^https?:\/\//i.test(url))
    return { ok: false, reason: 'url is not an http(s) URL within the limit' };
  const { status } = value;
  const challenge401 = status === 401 && typeof method === 'string' && METHOD_TOKEN.test(method);
  if (method !== 'GET' && method !== 'POST' && !challenge401)
    return { ok: false, reason: 'method is not GET or POST (or, for a 401, an HTTP method)' };
  if (typeof at !== 'string' || at.length > PAGE_LIMITS.startedAt || Number.isNaN(Date.parse(at)))
    return { ok: false, reason: 'at is not a time' };
  if (typeof frame !== 'string' || !FRAMES.has(frame)) return { ok: false, reason: 'frame is not top, popup or iframe' };
  const body = capped(value.body, 'body', PAGE_LIMITS.requestBody);
  if ('error' in body) return { ok: false, reason: body.error };
  const responseBody = capped(value.responseBody, 'responseBody', PAGE_LIMITS.responseBody);
  if ('error' in responseBody) return { ok: false, reason: responseBody.error };
  if (status !== undefined && (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599))
    return { ok: false, reason: 'status is not an HTTP status' };
  const challenge = capped(value.wwwAuthenticate, 'wwwAuthenticate', PAGE_LIMITS.header);
  if ('error' in challenge) return { ok: false, reason: challenge.error };
  const mcpVersion = capped(value.mcpProtocolVersion, 'mcpProtocolVersion', 64);
  if ('error' in mcpVersion) return { ok: false, reason: mcpVersion.error };
  return {
    ok: true,
    step: {
      url,
      method,
      at: new Date(at).toISOString(),
      frame: frame as SignInStep['frame'],
      source: 'page-hook',
      ...(body.value !== null ? { body: body.value } : {}),
      // RFC 7591 s3.2.1: a registration's client_secret and registration_access_token are never stored, only their fingerprints.
      ...(responseBody.value !== null ? { responseBody: withoutRegistrationSecrets(responseBody.value) } : {}),
      ...(typeof status === 'number' ? { status } : {}),
      ...(challenge.value !== null ? { wwwAuthenticate: challenge.value } : {}),
      ...(mcpVersion.value !== null ? { mcpProtocolVersion: mcpVersion.value } : {}),
    },
  };
}
