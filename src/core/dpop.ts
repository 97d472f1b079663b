/**
 * DPoP (RFC 9449): a proof JWT sent in the `DPoP` request header, its key's thumbprint (RFC 7638), and the
 * binding a token response states (`token_type: DPoP`, the access token's `cnf.jkt`; RFC 8705's
 * `cnf["x5t#S256"]` for mTLS). The proof is a public artefact (s11.1), yet only what the report needs is
 * kept: the key's thumbprint, `htm`, `htu`, `iat`, whether `ath` and `nonce` were sent, and whether `ath`
 * matched the token sent with it. Nothing is verified: Tokenscope holds no keys and checks no signature.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { hasDpopNonceChallenge } from './candidate.js';
import { isObject, type JsonObject, nonEmptyString } from './json.js';
import type { BearerUse, TokenBinding } from './types.js';

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

/** RFC 9449 s4.3: `htu` is compared without its query and fragment; scheme and host in any case. */
export function sameTarget(htu: string, url: string): boolean {
  const bare = (value: string): string | null => {
    try {
      const parsed = new URL(value);
      return `${parsed.protocol}//${parsed.host}${parsed.pathname}`.toLowerCase();
    } catch {
      return null;
    }
  };
  const a = bare(htu);
  return a !== null && a === bare(url);
}

/** The binding a token response states for its access token, or null when it states none. */
export function tokenBinding(claims: JsonObject | null, tokenType: string | null, proof: DpopProof | null): TokenBinding | null {
  const cnf = isObject(claims?.cnf) ? claims.cnf : null;
  const jkt = nonEmptyString(cnf?.jkt);
  if (jkt) return { method: 'dpop', jkt, from: 'cnf' };
  const x5t = nonEmptyString(cnf?.['x5t#S256']);
  if (x5t) return { method: 'mtls', x5tS256: x5t, from: 'cnf' };
  if (tokenType?.toLowerCase() === 'dpop')
    return proof?.jkt ? { method: 'dpop', jkt: proof.jkt, from: 'proof' } : { method: 'dpop', jkt: null, from: 'token_type' };
  return null;
}

/** The binding in words: `bound to key <thumbprint>` (DPoP), `bound to a certificate` (mTLS). */
export function bindingText(binding: TokenBinding): string {
  if (binding.method === 'mtls')
    return `bound to a certificate (x5t#S256 ${binding.x5tS256 ?? '?'}; the certificate itself is not visible to the browser extension)`;
  return binding.jkt ? `bound to key ${binding.jkt} (DPoP)` : 'bound to a DPoP key (its thumbprint is not visible)';
}

/**
 * Whether a resource server's answer is RFC 9449 s9's nonce challenge: 401 with `WWW-Authenticate: DPoP
 * error="use_dpop_nonce"` (and a `DPoP-Nonce` header the client retries with). A challenge, not a failure.
 */
export function isResourceNonceChallenge(status: number | null | undefined, wwwAuthenticate: string | null | undefined): boolean {
  // The header test is candidate.ts's, shared with the page hook (which reads the answer of a call that carried a token).
  return status === 401 && hasDpopNonceChallenge(wwwAuthenticate ?? null);
}

/** An address without its query and fragment, as DPoP's `htu` is compared (RFC 9449 s4.3). */
const bare = (url: string): string => url.split(/[?#]/)[0] ?? url;

/**
 * Each resource server nonce challenge among the uses (RFC 9449 s9), joined to its retry: a later call with the same
 * token, method and address whose proof carried a nonce. The challenged call is not a failure either way.
 */
export function nonceChallenges(uses: readonly BearerUse[]): Map<BearerUse, 'retried' | 'not-retried'> {
  const joined = new Map<BearerUse, 'retried' | 'not-retried'>();
  uses.forEach((use, index) => {
    if (use.challenge !== 'use_dpop_nonce') return;
    const retry = uses
      .slice(index + 1)
      .find(
        (later) =>
          later.fingerprint === use.fingerprint &&
          later.method === use.method &&
          bare(later.url) === bare(use.url) &&
          later.proof?.nonce === true &&
          later.challenge === undefined,
      );
    joined.set(use, retry ? 'retried' : 'not-retried');
  });
  return joined;
}
