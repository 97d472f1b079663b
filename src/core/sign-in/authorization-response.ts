/**
 * The authorization response on the redirect URI (RFC 6749 s4.1.2, s4.1.2.1, s4.2.2; RFC 9207 `iss`):
 * in the query, the fragment (implicit and hybrid), or a `form_post` body. The code and state become
 * fingerprints; tokens in the URL are handed on as an exchange of their own.
 */
import { fingerprint } from '../sha256.js';
import type { CapturedExchange } from '../types.js';
import { endpointOf, first, formParams, type Params } from './params.js';
import type { AuthorizationResponseReport, ResponseMode, SignInStep } from './types.js';

const TOKEN_PARAMS = ['access_token', 'id_token'] as const;

/** The parameters of an authorization response and where they were, or null when the URL (or body) carries none. */
export function responseParams(url: URL, step: SignInStep): { params: Params; mode: ResponseMode } | null {
  const isResponse = (params: Params) => params.has('code') || params.has('error') || TOKEN_PARAMS.some((key) => params.has(key));
  if (step.method.toUpperCase() === 'POST' && typeof step.body === 'string') {
    const params = formParams(step.body);
    if (isResponse(params)) return { params, mode: 'form_post' };
  }
  const fragment = formParams(url.hash.slice(1));
  if (isResponse(fragment)) return { params: fragment, mode: 'fragment' };
  const query = formParams(url.search.slice(1));
  if (isResponse(query)) return { params: query, mode: 'query' };
  return null;
}

/** The report of one authorization response. */
export function readAuthorizationResponse(url: URL, params: Params, mode: ResponseMode, step: SignInStep): AuthorizationResponseReport {
  const redacted: Record<string, string> = {};
  for (const key of ['code', 'state'] as const) {
    const value = first(params, key);
    if (value !== null) redacted[key] = fingerprint(value);
  }
  const error = first(params, 'error');
  const hasTokens = TOKEN_PARAMS.some((key) => params.has(key));
  return {
    redirectUri: endpointOf(url),
    at: step.at,
    source: step.source ?? null,
    frame: step.frame ?? null,
    mode,
    outcome: error !== null ? 'error' : hasTokens ? 'tokens' : 'code',
    error,
    errorDescription: first(params, 'error_description'),
    errorUri: first(params, 'error_uri'),
    iss: first(params, 'iss'),
    redacted,
    tokensExchange: null,
  };
}

/**
 * Tokens in an authorization response (implicit `token`, hybrid `code id_token`...) as an exchange,
 * so they are analyzed like any token response: a JSON object of the response's parameters, the
 * code and state left out.
 */
export function frontChannelExchange(url: URL, params: Params, step: SignInStep): CapturedExchange | null {
  if (!TOKEN_PARAMS.some((key) => params.has(key))) return null;
  const fields: Record<string, string> = {};
  for (const [key, values] of params) if (key !== 'code' && key !== 'state' && values[0] !== undefined) fields[key] = values[0];
  return {
    url: endpointOf(url),
    method: 'GET',
    status: step.status ?? null,
    startedAt: step.at,
    source: step.source ?? 'har',
    request: { body: null },
    response: { contentType: 'application/json', body: JSON.stringify(fields) },
  };
}
