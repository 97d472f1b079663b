/** The Bearer log: uses of stored tokens are kept (fingerprints only); anything else is ignored. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BearerLog } from '../../src/background/bearer.js';
import { ExchangeStore } from '../../src/background/store.js';
import { fingerprint } from '../../src/core/sha256.js';
import { FakeArea } from './fakes.js';
import { exchange } from './helpers.js';

test('records Bearer uses of stored tokens only, as fingerprints, and knows each newly stored token', async () => {
  const area = new FakeArea();
  const store = new ExchangeStore(area);
  const log = new BearerLog(area, store);
  const stored = (token: string, key: string) => ({
    key,
    capture: { tabId: 1, site: 'https://app.test', seenBy: ['page-hook' as const], verification: 'verified' as const },
    exchange: exchange({ access_token: token, token_type: 'Bearer', resource_server: 'api.example.test' }),
  });
  await store.add(stored('known-token', 'a'));
  const request = (authorization: string | undefined, url = 'https://other.example.test/data') => ({
    tabId: 1,
    url,
    method: 'GET',
    timeStamp: Date.parse('2026-01-10T10:00:00Z'),
    requestHeaders: authorization === undefined ? [] : [{ name: 'Authorization', value: authorization }],
  });
  assert.equal(log.seen(request(undefined)), undefined, 'no header: no work');
  assert.equal(log.seen(request('Basic Zm9vOmJhcg==')), undefined, 'not Bearer: no work');
  await log.seen(request('Bearer unknown-token'));
  await log.seen(request('Bearer known-token'));
  assert.deepEqual(await log.uses(), [{ url: 'https://other.example.test/data', method: 'GET', fingerprint: fingerprint('known-token'), at: '2026-01-10T10:00:00.000Z' }]);
  assert.ok(!JSON.stringify([...area.data.values()].filter((_, i) => [...area.data.keys()][i] === 'bearerUses')).includes('known-token'));

  const later = stored('later-token', 'b');
  later.exchange.startedAt = '2026-01-10T10:05:00.000Z';
  await store.add(later);
  await log.seen(request('Bearer later-token'));
  assert.equal((await log.uses()).length, 2, 'a token stored by any source is known at once');
});
