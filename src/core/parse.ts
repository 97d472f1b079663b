/**
 * Parsing what token endpoints and clients really send. Never throws: a body
 * that is neither JSON nor form data comes back as `unparseable` with the place
 * and reason parsing failed.
 */
import { formPairs } from './form.js';
import { basicAuthorization } from './headers.js';
import { isObject } from './json.js';
import { MAX_BODY_CHARS } from './limits.js';
import { splitScopes } from './scopes.js';
import { fingerprint } from './sha256.js';

export type ParsedBody =
  | { kind: 'json'; value: unknown }
  | { kind: 'form'; value: Record<string, string> }
  | { kind: 'empty' }
  | { kind: 'unparseable'; reason: string };

// key=value pairs joined by &, with nothing a form encoder would have escaped.
const FORM_BODY = /^[^\s=&<>"{}[\]]+=[^\s&<>"{}]*(?:&[^\s=&<>"{}[\]]+=[^\s&<>"{}]*)*&?$/;

/** A short, safe description of the start of a body, for messages. */
export function describeStart(text: string): string {
  const start = text.slice(0, 40).replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g, ' ');
  return JSON.stringify(start + (text.length > 40 ? '…' : ''));
}

/** Parse a response (or request) body as JSON or `application/x-www-form-urlencoded`. */
export function parseBody(text: string | null, contentType = ''): ParsedBody {
  if (text === null) return { kind: 'empty' };
  if (text.length > MAX_BODY_CHARS) {
    return {
      kind: 'unparseable',
      reason: `the body is ${text.length} characters, over the ${MAX_BODY_CHARS}-character limit for a token response`,
    };
  }
  const trimmed = text.trim();
  if (trimmed === '') return { kind: 'empty' };
  const saysJson = /json/i.test(contentType);
  const first = trimmed[0];
  if (saysJson || first === '{' || first === '[' || first === '"') {
    try {
      return { kind: 'json', value: JSON.parse(trimmed) };
    } catch (error) {
      if (!saysJson && FORM_BODY.test(trimmed)) return { kind: 'form', value: parseForm(trimmed) };
      const detail = error instanceof Error ? error.message : String(error);
      return { kind: 'unparseable', reason: `not valid JSON (${detail}); the body starts ${describeStart(trimmed)}` };
    }
  }
  if (FORM_BODY.test(trimmed)) return { kind: 'form', value: parseForm(trimmed) };
  const type = contentType ? `content type ${JSON.stringify(contentType.slice(0, 80))}` : 'no content type';
  return { kind: 'unparseable', reason: `neither JSON nor form data (${type}); the body starts ${describeStart(trimmed)}` };
}

function parseForm(text: string): Record<string, string> {
  const fields: Record<string, string> = Object.create(null);
  for (const [key, value] of formPairs(text)) {
    if (!(key in fields)) fields[key] = value;
  }
  return fields;
}

/** Request values that are secrets: kept only as fingerprints. RFC 6749 s4.1.3, s6; RFC 7636 s4.5. */
const SECRET_PARAMS = new Set([
  'client_secret',
  'code',
  // Supabase Auth's code exchange names the code `auth_code` (@supabase/auth-js src/GoTrueClient.ts, `_exchangeCodeForSession`).
  'auth_code',
  'code_verifier',
  'refresh_token',
  'password',
  'assertion',
  'client_assertion',
  'subject_token',
  'actor_token',
  'device_code',
  'token',
]);

export interface RequestParams {
  grantType: string | null;
  scopes: string[];
  /** RFC 8707 `resource` (may repeat) and Auth0's `audience`, in order. */
  resources: string[];
  clientId: string | null;
  redacted: Record<string, string>;
  /** The `token` parameter of an introspection request, as a fingerprint. */
  introspectedToken: string | null;
  /**
   * RFC 9396 s6 `authorization_details` of the token request (its JSON text), or what the sign-in's authorization
   * request asked for (sign-in/join.ts `withRequestedAtAuthorization`); absent when neither sent any.
   */
  authorizationDetails?: unknown;
}

/** Every value of every parameter of a request body (JSON or form data), in order; empty for a body over the cap. */
export function allValues(body: string | null, contentType: string): Map<string, string[]> {
  const values = new Map<string, string[]>();
  const add = (key: string, value: unknown) => {
    if (typeof value === 'string') values.set(key, [...(values.get(key) ?? []), value]);
    else if (Array.isArray(value)) for (const v of value) add(key, v);
  };
  if (body === null || body.length > MAX_BODY_CHARS) return values;
  const trimmed = body.trim();
  if (trimmed.startsWith('{') || /json/i.test(contentType)) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (isObject(parsed)) {
        for (const [key, value] of Object.entries(parsed)) add(key, value);
      }
      return values;
    } catch {
      // Fall through: try it as form data.
    }
  }
  for (const [key, value] of formPairs(trimmed)) add(key, value);
  return values;
}

/** Decode `Authorization: Basic` (RFC 6749 s2.3.1) to the client id; the secret is dropped. */
function basicClientId(authorization: string | undefined): string | null {
  if (!authorization) return null;
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization);
  if (!match) return null;
  try {
    const decoded = atob(match[1] as string);
    const colon = decoded.indexOf(':');
    const id = colon >= 0 ? decoded.slice(0, colon) : decoded;
    return id ? decodeURIComponent(id.replace(/\+/g, ' ')) : null;
  } catch {
    return null;
  }
}

/** The URL's query parameters; none for an unparseable URL. */
function urlQuery(url: string): URLSearchParams {
  try {
    return new URL(url).searchParams;
  } catch {
    return new URLSearchParams();
  }
}

/** What the client asked the token endpoint for. Secrets become fingerprints. */
export function parseRequest(url: string, body: string | null, headers: Record<string, string> = {}): RequestParams {
  const values = allValues(body, headers['content-type'] ?? '');
  const query = urlQuery(url);
  if (values.size === 0) for (const [key, value] of query) values.set(key, [...(values.get(key) ?? []), value]);
  // A grant named in the URL beside a body that names none: Supabase Auth posts JSON to
  // `/auth/v1/token?grant_type=pkce|refresh_token|password` (@supabase/auth-js src/GoTrueClient.ts).
  else if (!values.has('grant_type') && query.has('grant_type')) values.set('grant_type', query.getAll('grant_type'));
  const first = (key: string) => values.get(key)?.[0] ?? null;
  const redacted: Record<string, string> = {};
  for (const key of SECRET_PARAMS) {
    const value = first(key);
    if (value !== null) redacted[key] = fingerprint(value);
  }
  const basic = basicAuthorization(headers.authorization);
  if (basic) redacted.authorization = fingerprint(basic);
  const token = first('token');
  return {
    grantType: first('grant_type'),
    scopes: splitScopes((values.get('scope') ?? []).join(' ')),
    resources: [...(values.get('resource') ?? []), ...(values.get('audience') ?? [])],
    clientId: first('client_id') ?? basicClientId(headers.authorization),
    redacted,
    introspectedToken: token === null ? null : fingerprint(token),
    ...(values.has('authorization_details') ? { authorizationDetails: first('authorization_details') } : {}),
  };
}
