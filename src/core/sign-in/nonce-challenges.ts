/**
 * The sign-ins whose last token request was answered with a `use_dpop_nonce` challenge (RFC 9449 s8), indexed by what
 * the retry repeats, so each exchange finds the sign-in it retries in a few map lookups instead of a pass over every
 * challenged sign-in (a capture can hold thousands of them).
 *
 * @see [RFC 9449 s8 (authorization server-provided nonce)](https://www.rfc-editor.org/rfc/rfc9449.html#section-8)
 */

/** The request facts a retry is matched on (a subset of `TokenRequestFacts`). */
export interface RetryFacts {
  grantType: string | null;
  clientId: string | null;
  codeVerifier: string | null;
  code: string | null;
  refreshToken: string | null;
}

/**
 * What a retry of `facts` repeats, each a key of one kind: the code verifier (`v`), code (`c`), refresh token (`r`),
 * or, for a grant with none of those, the client (`n`). The kind is the key's first character, so no two kinds meet.
 */
function challengedKeys(facts: RetryFacts): string[] {
  const keys: string[] = [];
  if (facts.codeVerifier !== null) keys.push(`v${facts.codeVerifier}`);
  if (facts.code !== null) keys.push(`c${facts.code}`);
  if (facts.refreshToken !== null) keys.push(`r${facts.refreshToken}`);
  if (keys.length === 0 && facts.clientId !== null) keys.push(`n${facts.clientId}`);
  return keys;
}

/** The keys a request looks up: its own verifier, code and refresh token, and its client (a challenged grant with none of those). */
function retryKeys(facts: RetryFacts): string[] {
  const keys: string[] = [];
  if (facts.codeVerifier !== null) keys.push(`v${facts.codeVerifier}`);
  if (facts.code !== null) keys.push(`c${facts.code}`);
  if (facts.refreshToken !== null) keys.push(`r${facts.refreshToken}`);
  if (facts.clientId !== null) keys.push(`n${facts.clientId}`);
  return keys;
}

/** Challenged sign-ins by grant type, then by the keys of their last request. */
export class NonceChallenges<Chain> {
  private readonly byGrant = new Map<string | null, Map<string, Set<Chain>>>();
  private readonly filed = new Map<Chain, { grantType: string | null; keys: string[] }>();

  /** `order`: a sign-in's place among the sign-ins (the latest retried one wins). */
  constructor(private readonly order: (chain: Chain) => number) {}

  /** `chain`'s last request (with these facts) was answered with a nonce challenge. */
  add(chain: Chain, facts: RetryFacts): void {
    this.delete(chain);
    const keys = challengedKeys(facts);
    let byKey = this.byGrant.get(facts.grantType);
    if (!byKey) {
      byKey = new Map();
      this.byGrant.set(facts.grantType, byKey);
    }
    for (const key of keys) {
      let chains = byKey.get(key);
      if (!chains) {
        chains = new Set();
        byKey.set(key, chains);
      }
      chains.add(chain);
    }
    this.filed.set(chain, { grantType: facts.grantType, keys });
  }

  /** `chain`'s last request was not a challenge (or it never was challenged). */
  delete(chain: Chain): void {
    const filed = this.filed.get(chain);
    if (!filed) return;
    this.filed.delete(chain);
    const byKey = this.byGrant.get(filed.grantType);
    for (const key of filed.keys) {
      const chains = byKey?.get(key);
      chains?.delete(chain);
      if (chains?.size === 0) byKey?.delete(key);
    }
  }

  /**
   * The latest challenged sign-in this request retries: the same grant with the same code verifier, code or refresh
   * token (or, for a challenged grant with none of them, the same client), as a search from the end of the sign-ins
   * would find it.
   */
  retriedBy(facts: RetryFacts): Chain | null {
    const byKey = this.byGrant.get(facts.grantType);
    if (!byKey) return null;
    let latest: Chain | null = null;
    for (const key of retryKeys(facts))
      for (const chain of byKey.get(key) ?? []) if (latest === null || this.order(chain) > this.order(latest)) latest = chain;
    return latest;
  }
}
