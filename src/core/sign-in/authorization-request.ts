/**
 * The authorization request (RFC 6749 s4.1.1, s4.2.1; OIDC Core s3.1.2.1): from an authorize URL's
 * query, a pushed authorization request's body (RFC 9126 s2.1), or a signed request object's
 * payload (RFC 9101 s4), which is readable though not verified. Secrets become fingerprints.
 */
import { quote } from '../analysis/findings.js';
import { isObject } from '../json.js';
import { splitScopes } from '../scopes.js';
import { fingerprint } from '../sha256.js';
import { peekClaims } from '../tokens.js';
import { endpointOf, first, jsonOrText, type Params } from './params.js';
import type { AuthorizationRequestReport, AuthorizationVia, SignInStep } from './types.js';

/** Front-channel values an attacker could use or replay: kept as fingerprints only. */
const SECRET_PARAMS = ['state', 'nonce', 'code_challenge', 'request_uri'] as const;

/**
 * Supabase Auth's authorize endpoint: `GET <project>/auth/v1/authorize?provider=github&redirect_to=...`
 * (+ `code_challenge`, `code_challenge_method=s256` in the PKCE flow, `scopes` for the upstream provider):
 * @supabase/auth-js src/GoTrueClient.ts, `_getUrlForProvider`. It names no client: the project is the client.
 */
export function isSupabaseAuthorize(url: URL, params: Params): boolean {
  return /\/auth\/v1\/authorize\/?$/.test(url.pathname) && params.has('provider');
}

/** Whether the parameters are an authorization request: RFC 6749 s4.1.1 needs `response_type` and `client_id`; RFC 9126 s4 and RFC 9101 s5 a `request_uri` or `request` with `client_id`; or Supabase Auth's authorize. */
export function isAuthorizationRequest(params: Params, url: URL | null = null): boolean {
  if (url && isSupabaseAuthorize(url, params)) return true;
  return params.has('client_id') && (params.has('response_type') || params.has('request_uri') || params.has('request'));
}

/** A request object's claims as parameters (RFC 9101 s4: each claim is a request parameter). Null when it cannot be read (encrypted, malformed). */
function requestObjectParams(requestObject: string): Params | null {
  const claims = peekClaims(requestObject);
  if (!claims) return null;
  const params: Params = new Map();
  for (const [key, value] of Object.entries(claims)) {
    if (typeof value === 'string') params.set(key, [value]);
    else if (Array.isArray(value) && value.every((v) => typeof v === 'string')) params.set(key, value);
    else if (isObject(value) || Array.isArray(value)) params.set(key, [JSON.stringify(value)]);
  }
  return params;
}

/** Parameters sent both ways are read from the request object, which RFC 9101 s6.3 makes authoritative. */
function merged(outer: Params, inner: Params): Params {
  const params: Params = new Map(outer);
  for (const [key, values] of inner) params.set(key, values);
  return params;
}

/**
 * The report of one authorization request. `params` are the URL's query (or the PAR body, with
 * `via: 'par'`); `url` is the authorize URL.
 */
export function readAuthorizationRequest(url: URL, params: Params, step: SignInStep, via: AuthorizationVia): AuthorizationRequestReport {
  const notes: string[] = [];
  let effective = params;
  let how = via;
  const requestObject = first(params, 'request');
  if (requestObject !== null) {
    const inner = requestObjectParams(requestObject);
    if (inner) {
      effective = merged(params, inner);
      how = 'request-object';
      notes.push('Parameters were read from the request object (RFC 9101), whose signature is not checked here.');
    } else {
      notes.push('The request object (RFC 9101 `request`) cannot be read here (encrypted or malformed): what it asks for is not visible.');
    }
  }
  if (how === 'query' && params.has('request_uri') && !params.has('response_type'))
    notes.push(
      'The request is by reference (`request_uri`) and its pushed or hosted content was not seen: what it asks for is not visible.',
    );
  const redacted: Record<string, string> = {};
  for (const key of SECRET_PARAMS) {
    const value = first(effective, key);
    if (value !== null) redacted[key] = fingerprint(value);
  }
  const challenge = first(effective, 'code_challenge');
  const upstream = isSupabaseAuthorize(url, effective) ? supabaseUpstream(effective, notes) : null;
  return {
    endpoint: endpointOf(url),
    at: step.at,
    source: step.source ?? null,
    frame: step.frame ?? null,
    via: how,
    responseType: first(effective, 'response_type'),
    clientId: first(effective, 'client_id'),
    redirectUri: first(effective, 'redirect_uri') ?? (upstream ? first(effective, 'redirect_to') : null),
    scopes: splitScopes((effective.get('scope') ?? []).join(' ')),
    resources: effective.get('resource') ?? [],
    audiences: effective.get('audience') ?? [],
    prompt: first(effective, 'prompt'),
    responseMode: first(effective, 'response_mode'),
    // RFC 7636 s4.3: a challenge without a method is `plain`.
    codeChallengeMethod: challenge === null ? null : (first(effective, 'code_challenge_method') ?? 'plain'),
    claims: jsonOrText(first(effective, 'claims')),
    authorizationDetails: jsonOrText(first(effective, 'authorization_details')),
    redacted,
    notes,
    ...(upstream ? { upstreamProvider: upstream } : {}),
    // RFC 9449 s10: the thumbprint of the key the code is bound to (public: a hash of a public key).
    ...(first(effective, 'dpop_jkt') !== null ? { dpopJkt: first(effective, 'dpop_jkt') as string } : {}),
  };
}

/** The upstream identity provider a Supabase sign-in goes through, with a note on the scopes passed on to it. */
function supabaseUpstream(params: Params, notes: string[]): string {
  const provider = first(params, 'provider') as string;
  const scopes = first(params, 'scopes');
  notes.push(
    `Supabase Auth signs in through ${quote(provider)}${scopes ? ` and passes it the scopes ${quote(scopes)}` : ''}; the project itself is the client, and its code comes back in redirect_to.`,
  );
  return provider;
}

/** Whether the response type asks for a code (RFC 6749 s4.1.1; OAuth 2.0 Multiple Response Types s3). */
export function asksForCode(request: AuthorizationRequestReport): boolean {
  // Supabase's authorize names no response type: a PKCE challenge makes it a code flow, none the implicit flow.
  if (request.upstreamProvider !== undefined) return request.codeChallengeMethod !== null;
  return (request.responseType ?? '').split(' ').includes('code');
}

/** The response types that put tokens in the front channel: `token`, `id_token` (implicit, hybrid). */
export function frontChannelTokenTypes(request: AuthorizationRequestReport): string[] {
  return (request.responseType ?? '').split(' ').filter((type) => type === 'token' || type === 'id_token');
}
