/**
 * A DPoP proof (RFC 9449 s4.2) read, never verified: the key's RFC 7638 thumbprint, `htm`, `htu`, `iat`, `ath`,
 * whether a nonce was sent; and `ath` for a token. A leaf module (no project imports): the relay reads the proof of
 * each DPoP call on the page's side (it runs on every watched page), the core and the HAR reader read it the same way.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';

type JsonObject = Record<string, unknown>;

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

// As core/json.ts's (this module stays a leaf: the relay imports it).
const nonEmptyString = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value.trim() : null);

/** What a DPoP proof says, as the report keeps it. */
export interface DpopProof {
  /** RFC 7638 SHA-256 thumbprint (base64url) of the header's `jwk`; null when the header has no usable public key. */
  jkt: string | null;
  htm: string | null;
  htu: string | null;
  /** `iat`, seconds since the epoch. */
  iat: number | null;
  /** `ath` as sent (a hash of the access token: public, nothing to redact), or null. */
  ath: string | null;
  /** Whether the proof carried a server nonce (RFC 9449 s8). */
  nonce: boolean;
}

/** A proof header longer than this is not read (a proof is a few hundred characters). */
const MAX_PROOF_CHARS = 8192;

function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function decodeSegment(segment: string): JsonObject | null {
  try {
    const padded = segment.replace(/-/g, '+').replace(/_/g, '/');
    const binary = atob(padded + '='.repeat((4 - (padded.length % 4)) % 4));
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    const value: unknown = JSON.parse(new TextDecoder().decode(bytes));
    return isObject(value) ? value : null;
  } catch {
    return null;
  }
}

/** The members RFC 7638 s3.2 hashes, by key type (RFC 7638 s3.2; RFC 8037 s2 for OKP). */
const REQUIRED_MEMBERS: Record<string, readonly string[]> = {
  EC: ['crv', 'kty', 'x', 'y'],
  RSA: ['e', 'kty', 'n'],
  OKP: ['crv', 'kty', 'x'],
};

/** RFC 7638 JWK SHA-256 thumbprint (base64url) of a public key; null for a key that is not one (or a private or symmetric key). */
export function jwkThumbprint(jwk: unknown): string | null {
  if (!isObject(jwk) || typeof jwk.kty !== 'string' || 'd' in jwk) return null;
  const members = REQUIRED_MEMBERS[jwk.kty];
  if (!members || members.some((name) => typeof jwk[name] !== 'string')) return null;
  // Lexicographic order, no whitespace (RFC 7638 s3.3): the members lists above are in that order.
  const canonical = `{${members.map((name) => `${JSON.stringify(name)}:${JSON.stringify(jwk[name])}`).join(',')}}`;
  return base64url(sha256(utf8ToBytes(canonical)));
}

/** RFC 9449 s4.2 `ath`: base64url SHA-256 of the ASCII access token. */
export function accessTokenHash(token: string): string {
  return base64url(sha256(utf8ToBytes(token)));
}

/** A `DPoP` header's proof, read (never verified); null when it is not a JWT with a `dpop+jwt` shape. */
export function readDpopProof(header: string | null | undefined): DpopProof | null {
  if (!header || header.length > MAX_PROOF_CHARS) return null;
  const parts = header.trim().split('.');
  if (parts.length !== 3) return null;
  const head = decodeSegment(parts[0] as string);
  const claims = decodeSegment(parts[1] as string);
  if (!head || !claims) return null;
  const iat = typeof claims.iat === 'number' && Number.isFinite(claims.iat) ? claims.iat : null;
  return {
    jkt: jwkThumbprint(head.jwk),
    htm: nonEmptyString(claims.htm),
    htu: nonEmptyString(claims.htu),
    iat,
    ath: nonEmptyString(claims.ath),
    nonce: nonEmptyString(claims.nonce) !== null,
  };
}
