/**
 * The Bearer log: uses of stored tokens are kept (fingerprints only, once each); a use of a token not stored yet is
 * held for its tab (bounded, in storage.session) and kept when the exchange that issued it is stored.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BearerLog } from '../../src/background/bearer.js';
import { HELD_PER_TAB } from '../../src/background/bearer-held.js';
import { ExchangeStore } from '../../src/background/store.js';
import { fingerprint } from '../../src/core/sha256.js';
import { FakeArea } from './fakes.js';
import { exchange } from './helpers.js';

test('keeps Bearer uses of stored tokens only, once each, and knows each newly stored token', async () => {
  const area = new FakeArea();
  const store = new ExchangeStore(area);
  const log = new BearerLog(area, store);
  const stored = (token: string, key: string) => ({
    key,
    capture: { tabId: 1, site: 'https://app.test', seenBy: ['page-hook' as const], verification: 'verified' as const },
    exchange: exchange({ access_token: token, token_type: 'Bearer', resource_server: 'api.example.test' }),
  });
  await store.add(stored('known-token', 'a'));
  const use = (token: string, url = 'https://other.example.test/data') => ({
    url,
    method: 'GET',
    fingerprint: fingerprint(token),
    at: '2026-01-10T10:00:00.000Z',
  });
  assert.equal(await log.record(use('unknown-token'), 1), 'held', 'a token Tokenscope did not capture (yet) is held, not kept');
  assert.equal(await log.record(use('known-token'), 1), 'recorded');
  assert.equal(await log.record(use('known-token'), 1), 'recorded', 'the same use again is not kept twice');
  assert.deepEqual(await log.uses(), [use('known-token')]);
  assert.ok(!JSON.stringify(area.data.get('bearerUses')).includes('known-token'), 'only the fingerprint is stored');

  const later = stored('later-token', 'b');
  later.exchange.startedAt = '2026-01-10T10:05:00.000Z';
  await store.add(later);
  assert.equal(await log.record(use('later-token'), 1), 'recorded', 'a token stored by any source is known at once');
  assert.equal((await log.uses()).length, 2);
});

test('a use that came before its exchange is held, survives a worker restart, and counts once the exchange is stored', async () => {
  const area = new FakeArea();
  const store = new ExchangeStore(area);
  const log = new BearerLog(area, store);
  const use = (token: string, url: string) => ({ url, method: 'GET', fingerprint: fingerprint(token), at: '2026-01-10T10:00:00.000Z' });
  assert.equal(await log.record(use('fresh-token', 'https://api.example.test/me'), 7), 'held');
  assert.equal(await log.record(use('fresh-token', 'https://other.example.test/x'), 7), 'held');
  assert.equal(await log.record(use('never-issued', 'https://api.example.test/me'), 8), 'held');
  assert.deepEqual(await log.uses(), [], 'held uses are not uses yet');
  assert.ok(!JSON.stringify(area.data.get('bearerHeld')).includes('fresh-token'), 'held as fingerprints only');

  // The worker stops; a new one reads storage.session anew.
  const store2 = new ExchangeStore(area);
  const log2 = new BearerLog(area, store2);
  const stored = {
    key: 'k',
    capture: { tabId: 7, site: 'https://app.test', seenBy: ['page-hook' as const], verification: 'verified' as const },
    exchange: exchange({ access_token: 'fresh-token', token_type: 'Bearer', resource_server: 'api.example.test' }),
  };
  await store2.add(stored);
  assert.equal(await log2.release(stored), 2, 'both held uses of the token now count');
  assert.deepEqual(
    (await log2.uses()).map((u) => u.url),
    ['https://api.example.test/me', 'https://other.example.test/x'],
  );
  assert.equal(await log2.release(stored), 0, 'released once');
  await log2.clear(8);
  const other = { ...stored, key: 'k2', exchange: exchange({ access_token: 'never-issued', token_type: 'Bearer' }) };
  await store2.add(other);
  assert.equal(await log2.release(other), 0, "a cleared tab's held uses are gone");
});

test('held uses are bounded per tab: the newest 100 are kept', async () => {
  const area = new FakeArea();
  const log = new BearerLog(area, new ExchangeStore(area));
  for (let i = 0; i < HELD_PER_TAB + 20; i++)
    await log.record(
      { url: `https://api.example.test/${i}`, method: 'GET', fingerprint: fingerprint(`t${i}`), at: '2026-01-10T10:00:00.000Z' },
      3,
    );
  const held = area.data.get('bearerHeld') as Record<string, Array<{ url: string }>>;
  assert.equal(held['3']?.length, HELD_PER_TAB);
  assert.equal(held['3']?.[0]?.url, 'https://api.example.test/20');
});

test("another watched tab's flood of uses never pushes out this tab's: the recorded log is bounded per tab", async () => {
  const area = new FakeArea();
  const store = new ExchangeStore(area);
  const log = new BearerLog(area, store);
  const capture = (tabId: number) => ({
    tabId,
    site: 'https://app.test',
    seenBy: ['page-hook' as const],
    verification: 'verified' as const,
  });
  const wide = { key: 'k1', capture: capture(1), exchange: exchange({ access_token: 'wide-token', token_type: 'Bearer' }) };
  await store.add(wide);
  const evidence = {
    url: 'https://billing.example.test/charge',
    method: 'POST',
    fingerprint: fingerprint('wide-token'),
    at: '2026-01-10T10:00:00.000Z',
  };
  assert.equal(await log.record(evidence, 1), 'recorded');
  // Tab 2 (another watched site) sends its own token to 520 addresses.
  const flood = { key: 'k2', capture: capture(2), exchange: exchange({ access_token: 'flood-token', token_type: 'Bearer' }) };
  await store.add(flood);
  for (let i = 0; i < 520; i++)
    await log.record(
      { url: `https://api.flood.test/${i}`, method: 'GET', fingerprint: fingerprint('flood-token'), at: '2026-01-10T10:00:00.000Z' },
      2,
    );
  const uses = await log.uses();
  assert.ok(
    uses.some((use) => use.url === evidence.url),
    "tab 1's evidence is still there",
  );
  assert.equal(uses.filter((use) => use.fingerprint === fingerprint('flood-token')).length, 500, 'tab 2 keeps its newest 500');
});

test("a resource server's nonce challenge and the retry with its nonce (RFC 9449 s9) are kept beside the first call, each once", async () => {
  const area = new FakeArea();
  const store = new ExchangeStore(area);
  const log = new BearerLog(area, store);
  await store.add({
    key: 'a',
    capture: { tabId: 1, site: 'https://app.test', seenBy: ['page-hook' as const], verification: 'verified' as const },
    exchange: exchange({ access_token: 'bound-token', token_type: 'DPoP', resource_server: 'api.example.test' }),
  });
  const call = { url: 'https://api.example.test/data', method: 'GET', fingerprint: fingerprint('bound-token'), scheme: 'dpop' as const };
  const proof = (nonce: boolean) => ({ jkt: 'key', htm: 'GET', htu: call.url, athMatches: true, nonce });
  const first = { ...call, at: '2026-01-10T10:00:00.000Z', proof: proof(false) };
  const challenge = { ...call, at: '2026-01-10T10:00:00.100Z', challenge: 'use_dpop_nonce' as const };
  const retry = { ...call, at: '2026-01-10T10:00:00.200Z', proof: proof(true) };
  for (const use of [first, challenge, retry, { ...challenge, at: '2026-01-10T10:00:01.000Z' }])
    assert.equal(await log.record(use, 1), 'recorded');
  assert.deepEqual(await log.uses(), [first, challenge, retry]);
});
