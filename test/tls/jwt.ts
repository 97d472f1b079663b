/** RS256 JWTs for the TLS tests' providers: one key per process, its JWKS, base64url helpers. */
import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';

export const b64url = (data: string | Uint8Array): string => Buffer.from(data).toString('base64url');
/** An opaque random token, base64url. */
export const opaque = (bytes = 32): string => randomBytes(bytes).toString('base64url');
/** RFC 7636 S256: base64url(SHA-256(verifier)). */
export const s256 = (text: string): string => b64url(createHash('sha256').update(text).digest());

let key: { privateKey: KeyObject; publicKey: KeyObject; kid: string } | undefined;
function signingKey() {
  key ??= { ...generateKeyPairSync('rsa', { modulusLength: 2048 }), kid: opaque(8) };
  return key;
}

/** A signed RS256 JWT with `claims` (and extra header fields, e.g. `typ`). */
export function signJwt(claims: Record<string, unknown>, header: Record<string, unknown> = {}): string {
  const { privateKey, kid } = signingKey();
  const input = `${b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid, ...header }))}.${b64url(JSON.stringify(claims))}`;
  return `${input}.${b64url(sign('sha256', Buffer.from(input), privateKey))}`;
}

/** The JWKS publishing the signing key. */
export function jwks(): { keys: Array<Record<string, unknown>> } {
  const { publicKey, kid } = signingKey();
  return { keys: [{ ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' }] };
}

/** Seconds since the epoch. */
export const nowSeconds = (): number => Math.floor(Date.now() / 1000);
