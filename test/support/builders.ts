/**
 * Building blocks the tests and the scripts (benchmarks, screenshots) share: JWTs with chosen claims, captured
 * exchanges around them, and HAR entries as Chromium writes them. Plain data, no test runner.
 */
import type { StoredExchange } from '../../src/background/store.js';
import type { CapturedExchange } from '../../src/core/types.js';

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** The header `jwt` writes unless told otherwise: an RFC 9068 access token's. */
export const JWT_HEADER: Readonly<Record<string, unknown>> = { alg: 'RS256', typ: 'at+jwt', kid: 'k1' };

/**
 * A JWS-shaped token with the given claims and header; the signature is not a real one (Tokenscope never verifies):
 * base64url of "signature" unless one is given (a random one makes two tokens with the same claims differ).
 */
export function jwt(
  claims: Record<string, unknown>,
  header: Readonly<Record<string, unknown>> = JWT_HEADER,
  signature = 'c2lnbmF0dXJl',
): string {
  return `${b64url(header)}.${b64url(claims)}.${signature}`;
}

/** RFC 7636 Appendix B: a PKCE code verifier and its S256 challenge. */
export const RFC7636_VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
export const RFC7636_CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

/**
 * A Globus Auth sign-in by the client `gc` with PKCE (RFC 7636's pair) back to `redirectUri`: the authorization request
 * for `scope`, the code exchange's body for `code`, and its answer in auth.globus.org's shape (the Auth token for
 * openid, the Transfer token in `other_tokens`: test/fixtures/responses/globus-other-tokens.json).
 */
export const globusSignIn = (redirectUri: string, code: string) => ({
  authorize: (scope: string) =>
    `https://auth.globus.org/v2/oauth2/authorize?response_type=code&client_id=gc&state=s1&code_challenge=${RFC7636_CHALLENGE}&code_challenge_method=S256&redirect_uri=${encodeURIComponent(redirectUri)}&scope=${encodeURIComponent(scope)}`,
  request: `grant_type=authorization_code&code=${code}&client_id=gc&code_verifier=${RFC7636_VERIFIER}&redirect_uri=${encodeURIComponent(redirectUri)}`,
  answer: {
    access_token: 'auth-at',
    resource_server: 'auth.globus.org',
    scope: 'openid',
    token_type: 'Bearer',
    other_tokens: [
      {
        access_token: 'transfer-at',
        resource_server: 'transfer.api.globus.org',
        scope: 'urn:globus:auth:scope:transfer.api.globus.org:all',
        token_type: 'Bearer',
      },
    ],
  },
});

/**
 * A code or client-credentials exchange at Globus Auth's token endpoint as the worker stores it for `tabId` (key `key`):
 * seen by the page hook on http://127.0.0.1:1 and verified, the form body `request` answered 200 with `response` as JSON.
 */
export function storedExchange(tabId: number, key: string, startedAt: string, request: string, response: unknown): StoredExchange {
  return {
    key,
    capture: { tabId, site: 'http://127.0.0.1:1', seenBy: ['page-hook'], verification: 'verified' },
    exchange: {
      url: 'https://auth.globus.org/v2/oauth2/token',
      method: 'POST',
      status: 200,
      startedAt,
      source: 'page-hook',
      request: { body: request },
      response: { contentType: 'application/json', body: JSON.stringify(response) },
    },
  };
}

export const CAPTURED_AT = '2026-01-10T10:00:00.000Z';
export const NOW_S = Date.parse(CAPTURED_AT) / 1000;

export function exchange(
  response: unknown,
  request: Record<string, string | string[]> = {},
  fields: Partial<CapturedExchange> = {},
): CapturedExchange {
  const form = new URLSearchParams();
  for (const [key, value] of Object.entries(request)) for (const v of [value].flat()) form.append(key, v);
  return {
    url: 'https://as.example.test/oauth2/token',
    method: 'POST',
    status: 200,
    startedAt: CAPTURED_AT,
    source: 'har',
    request: { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() },
    response: { contentType: 'application/json', body: typeof response === 'string' ? response : JSON.stringify(response) },
    ...fields,
  };
}

export interface EntryOptions {
  method?: string;
  url: string;
  requestHeaders?: Array<{ name: string; value: string }>;
  postData?: Record<string, unknown>;
  status?: number;
  content?: Record<string, unknown>;
}

/** An entry shaped as Chromium's "Save all as HAR (with content)" writes it. */
export function entry(options: EntryOptions) {
  return {
    _initiator: { type: 'script' },
    _priority: 'High',
    _resourceType: 'fetch',
    cache: {},
    connection: '443',
    request: {
      method: options.method ?? 'GET',
      url: options.url,
      httpVersion: 'http/2.0',
      headers: options.requestHeaders ?? [],
      queryString: [],
      cookies: [],
      headersSize: -1,
      bodySize: 0,
      ...(options.postData ? { postData: options.postData } : {}),
    },
    response: {
      status: options.status ?? 200,
      statusText: '',
      httpVersion: 'http/2.0',
      headers: [{ name: 'content-type', value: 'application/json' }],
      cookies: [],
      content: { size: 100, mimeType: 'application/json', ...options.content },
      redirectURL: '',
      headersSize: -1,
      bodySize: -1,
      _transferSize: 300,
    },
    serverIPAddress: '10.0.0.1',
    startedDateTime: '2026-01-10T10:00:00.000Z',
    time: 120,
    timings: { blocked: 1, dns: -1, ssl: -1, connect: -1, send: 0, wait: 100, receive: 1 },
  };
}

export const har = (...entries: unknown[]) => ({
  log: { version: '1.2', creator: { name: 'WebInspector', version: '537.36' }, pages: [], entries },
});

/** The resource server most rule cases ask for, and claims that pass every validity rule at CAPTURED_AT. */
export const API = 'https://api.example.test';
export const VALID_CLAIMS = { iss: 'https://as.example.test/', iat: NOW_S - 10, exp: NOW_S + 3600, sub: 'user-1', client_id: 'app' };
