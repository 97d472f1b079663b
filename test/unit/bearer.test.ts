/** The Bearer log: uses of stored tokens are kept (fingerprints only, once each); anything else is dropped. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BearerLog } from '../../src/background/bearer.js';
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
  assert.equal(await log.record(use('unknown-token')), false, 'a token Tokenscope did not capture is not kept');
  assert.equal(await log.record(use('known-token')), true);
  assert.equal(await log.record(use('known-token')), true, 'the same use again is not kept twice');
  assert.deepEqual(await log.uses(), [use('known-token')]);
  assert.ok(!JSON.stringify(area.data.get('bearerUses')).includes('known-token'), 'only the fingerprint is stored');

  const later = stored('later-token', 'b');
  later.exchange.startedAt = '2026-01-10T10:05:00.000Z';
  await store.add(later);
  assert.equal(await log.record(use('later-token')), true, 'a token stored by any source is known at once');
  assert.equal((await log.uses()).length, 2);
});
