/**
 * JWTs in a provider's shape for the TLS tests' provider servers. The signature is not a real one: none of the SDKs
 * tested here checks it in the browser (@supabase/auth-js decodes only; aws-amplify's `decodeJWT` decodes only;
 * @auth0/auth0-spa-js checks the ID token's claims and `alg`, not its signature), and Tokenscope holds no keys.
 */
import { randomBytes, randomUUID } from 'node:crypto';

const b64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A compact JWT: `header.claims.signature` (the header as given), the signature random bytes of an ES256/RS256-like length. */
export function fakeJwt(header: Record<string, unknown>, claims: Record<string, unknown>): string {
  const signatureBytes = header.alg === 'ES256' ? 64 : 256;
  return `${b64url(header)}.${b64url(claims)}.${randomBytes(signatureBytes).toString('base64url')}`;
}

/** Seconds since the epoch, now. */
export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** An opaque random value (codes, refresh tokens) of `bytes` random bytes. */
export const opaque = (bytes = 24): string => randomBytes(bytes).toString('base64url');

export { randomUUID };
