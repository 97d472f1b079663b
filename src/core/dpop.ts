/**
 * DPoP (RFC 9449): a proof JWT sent in the `DPoP` request header, its key's thumbprint (RFC 7638), and the
 * binding a token response states (`token_type: DPoP`, the access token's `cnf.jkt`; RFC 8705's
 * `cnf["x5t#S256"]` for mTLS). The proof is a public artefact (s11.1), yet only what the report needs is
 * kept: the key's thumbprint, `htm`, `htu`, `iat`, whether `ath` and `nonce` were sent, and whether `ath`
 * matched the token sent with it. Nothing is verified: Tokenscope holds no keys and checks no signature.
 */
import { hasDpopNonceChallenge } from './candidate.js';
import { isObject, type JsonObject, nonEmptyString } from './json.js';
import type { BearerUse, TokenBinding } from './types.js';
import type { DpopProof } from './dpop-proof.js';

export { accessTokenHash, type DpopProof, jwkThumbprint, readDpopProof } from './dpop-proof.js';

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
