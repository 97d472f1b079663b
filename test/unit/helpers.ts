/** Building blocks for tests: JWTs with chosen claims and exchanges around them. */
import type { CapturedExchange } from '../../src/core/types.js';

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A JWS-shaped token with the given header and claims; the signature is not a real one (Tokenscope never verifies). */
export function jwt(claims: Record<string, unknown>, header: Record<string, unknown> = { alg: 'RS256', typ: 'at+jwt', kid: 'k1' }): string {
  return `${b64url(header)}.${b64url(claims)}.c2lnbmF0dXJl`;
}

export const CAPTURED_AT = '2026-01-10T10:00:00.000Z';
export const NOW_S = Date.parse(CAPTURED_AT) / 1000;

export function exchange(response: unknown, request: Record<string, string | string[]> = {}, fields: Partial<CapturedExchange> = {}): CapturedExchange {
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
