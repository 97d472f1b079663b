/**
 * Building blocks the tests and the scripts (benchmarks, screenshots) share: JWTs with chosen claims, captured
 * exchanges around them, and HAR entries as Chromium writes them. Plain data, no test runner.
 */
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
