/**
 * nonce-challenges.ts: the DPoP nonce retry (RFC 9449 s8) joins the sign-in it retries, found by index as a pass over
 * every challenged sign-in would find it.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { NonceChallenges, type RetryFacts } from '../../src/core/sign-in/nonce-challenges.js';

/** The rule written as a pass over the challenged sign-ins: the latest with the same grant that the request retries. */
function retriedByScan(challenged: Map<number, RetryFacts>, facts: RetryFacts): number | null {
  const same = (a: string | null, b: string | null) => a !== null && a === b;
  let latest: number | null = null;
  for (const [chain, prior] of challenged) {
    if (prior.grantType !== facts.grantType) continue;
    const retries =
      same(prior.codeVerifier, facts.codeVerifier) ||
      same(prior.code, facts.code) ||
      same(prior.refreshToken, facts.refreshToken) ||
      (prior.codeVerifier === null && prior.code === null && prior.refreshToken === null && same(prior.clientId, facts.clientId));
    if (retries && (latest === null || chain > latest)) latest = chain;
  }
  return latest;
}

// Few values, so requests share verifiers, codes, refresh tokens and clients as retries do.
const value = fc.constantFrom(null, 'a', 'b', 'v');
const facts: fc.Arbitrary<RetryFacts> = fc.record({
  grantType: fc.constantFrom(null, 'authorization_code', 'refresh_token', 'client_credentials'),
  clientId: value,
  codeVerifier: value,
  code: value,
  refreshToken: value,
});
const step = fc.oneof(
  fc.record({ op: fc.constant('add' as const), chain: fc.integer({ min: 0, max: 12 }), facts }),
  fc.record({ op: fc.constant('delete' as const), chain: fc.integer({ min: 0, max: 12 }) }),
  fc.record({ op: fc.constant('lookup' as const), facts }),
);

test('a retry finds the same challenged sign-in by index as by a pass over all of them', () => {
  fc.assert(
    fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
      const index = new NonceChallenges<number>((chain) => chain);
      const challenged = new Map<number, RetryFacts>();
      for (const s of steps) {
        if (s.op === 'add') {
          index.add(s.chain, s.facts);
          challenged.set(s.chain, s.facts);
        } else if (s.op === 'delete') {
          index.delete(s.chain);
          challenged.delete(s.chain);
        } else assert.equal(index.retriedBy(s.facts), retriedByScan(challenged, s.facts));
      }
    }),
    { numRuns: 1000 },
  );
});

test('a client credentials retry joins the challenged sign-in of its client; a code grant with its own verifier joins none', () => {
  const index = new NonceChallenges<string>((chain) => Number(chain.slice(1)));
  const none = { codeVerifier: null, code: null, refreshToken: null };
  index.add('s1', { grantType: 'client_credentials', clientId: 'app', ...none });
  index.add('s2', { grantType: 'authorization_code', clientId: 'app', codeVerifier: 'v1', code: 'c1', refreshToken: null });
  assert.equal(index.retriedBy({ grantType: 'client_credentials', clientId: 'app', ...none }), 's1');
  assert.equal(
    index.retriedBy({ grantType: 'authorization_code', clientId: 'app', codeVerifier: 'v2', code: 'c2', refreshToken: null }),
    null,
  );
  assert.equal(
    index.retriedBy({ grantType: 'authorization_code', clientId: 'other', codeVerifier: 'v1', code: 'c9', refreshToken: null }),
    's2',
  );
  index.delete('s2');
  assert.equal(
    index.retriedBy({ grantType: 'authorization_code', clientId: 'app', codeVerifier: 'v1', code: 'c1', refreshToken: null }),
    null,
  );
});
