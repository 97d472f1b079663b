/** The exchange store over a Map-backed fake of storage.session. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { StoredExchange } from '../../src/background/store.js';
import type { TabNote, Verification } from '../../src/protocol/view-state.js';
import type { CaptureSource } from '../../src/core/types.js';
import { DEFAULT_CAPACITY, ExchangeStore } from '../../src/background/store.js';
import { FakeArea } from './fakes.js';

/**
 * storage.session past its quota: a `set` that would leave more than `limit` exchange keys fails whole (nothing of
 * it written), as Chromium's does past `QUOTA_BYTES`; removing keys frees room.
 */
class QuotaArea extends FakeArea {
  constructor(public limit: number) {
    super();
  }
  override async set(items: Record<string, unknown>): Promise<void> {
    const after = new Set([...this.data.keys(), ...Object.keys(items)].filter((key) => key.startsWith('x:')));
    if (after.size > this.limit) throw new Error('Resource::kQuotaBytes quota exceeded');
    return super.set(items);
  }
}

function stored(
  key: string,
  options: { tabId?: number; verification?: Verification; seenBy?: CaptureSource[]; body?: string | null; site?: string } = {},
): StoredExchange {
  return {
    key,
    capture: {
      tabId: options.tabId ?? 1,
      site: options.site ?? 'http://127.0.0.1:3000',
      seenBy: options.seenBy ?? ['page-hook'],
      verification: options.verification ?? 'page-reported',
    },
    exchange: {
      url: 'http://127.0.0.1:4000/oauth2/token',
      method: 'POST',
      status: 200,
      startedAt: '2026-01-10T10:00:00.000Z',
      source: options.seenBy?.[0] ?? 'page-hook',
      request: { headers: {}, body: 'grant_type=client_credentials' },
      response: { contentType: 'application/json', body: options.body === undefined ? `{"access_token":"${key}"}` : options.body },
    },
  };
}

function note(tabId: number, message: string): TabNote {
  return { tabId, at: '2026-01-10T10:00:00.000Z', message };
}

const keys = (list: StoredExchange[]) => list.map((e) => e.key);

describe('ExchangeStore: capacity', () => {
  test('starts empty', async () => {
    assert.deepEqual(await new ExchangeStore(new FakeArea()).read(), { exchanges: [], dropped: 0, notes: [] });
  });

  test('defaults to 200; adding 205 keeps the newest 200 and counts 5 dropped', async () => {
    const store = new ExchangeStore(new FakeArea());
    assert.equal(store.capacity, DEFAULT_CAPACITY);
    assert.equal(DEFAULT_CAPACITY, 200);
    const results = [];
    for (let i = 0; i < 205; i++) results.push(await store.add(stored(`k${i}`)));
    const state = await store.read();
    assert.equal(state.exchanges.length, 200);
    assert.deepEqual(
      keys(state.exchanges),
      Array.from({ length: 200 }, (_, i) => `k${i + 5}`),
    );
    assert.equal(state.dropped, 5);
    assert.deepEqual(
      results.map((r) => r.dropped),
      [...Array(200).fill(0), 1, 1, 1, 1, 1],
    );
    assert.ok(results.every((r) => r.added));
  });

  test('a smaller capacity is honoured', async () => {
    const store = new ExchangeStore(new FakeArea(), 3);
    for (const key of ['a', 'b', 'c', 'd', 'e']) await store.add(stored(key));
    const state = await store.read();
    assert.deepEqual(keys(state.exchanges), ['c', 'd', 'e']);
    assert.equal(state.dropped, 2);
  });

  test('ignores stored values of the wrong type', async () => {
    const area = new FakeArea();
    area.data.set('exchanges', { not: 'an array' });
    area.data.set('dropped', '7');
    area.data.set('notes', 'nope');
    assert.deepEqual(await new ExchangeStore(area).read(), { exchanges: [], dropped: 0, notes: [] });
  });
});

describe('ExchangeStore: the same exchange from two sources', () => {
  test('is stored once on the same tab, with both sources and the stronger verification', async () => {
    const store = new ExchangeStore(new FakeArea());
    assert.deepEqual(await store.add(stored('same', { tabId: 7, seenBy: ['page-hook'], verification: 'page-reported' })), {
      added: true,
      dropped: 0,
    });
    assert.deepEqual(await store.add(stored('same', { tabId: 7, seenBy: ['devtools'], verification: 'devtools' })), {
      added: false,
      dropped: 0,
    });
    const { exchanges } = await store.read();
    assert.equal(exchanges.length, 1);
    assert.deepEqual(exchanges[0]?.capture.seenBy, ['page-hook', 'devtools']);
    assert.equal(exchanges[0]?.capture.verification, 'devtools');
  });

  const order: Verification[] = ['verified', 'devtools', 'imported', 'page-reported'];
  for (const first of order) {
    for (const second of order) {
      const expected = order[Math.min(order.indexOf(first), order.indexOf(second))];
      test(`${first} then ${second} keeps ${expected}`, async () => {
        const store = new ExchangeStore(new FakeArea());
        await store.add(stored('same', { verification: first, seenBy: ['page-hook'] }));
        await store.add(stored('same', { verification: second, seenBy: ['devtools'] }));
        const { exchanges } = await store.read();
        assert.equal(exchanges.length, 1);
        assert.equal(exchanges[0]?.capture.verification, expected);
        assert.deepEqual(exchanges[0]?.capture.seenBy, ['page-hook', 'devtools']);
      });
    }
  }

  test('sources are merged without repeats', async () => {
    const store = new ExchangeStore(new FakeArea());
    await store.add(stored('same', { seenBy: ['page-hook'] }));
    await store.add(stored('same', { seenBy: ['devtools'] }));
    await store.add(stored('same', { seenBy: ['filter'] }));
    const { exchanges } = await store.read();
    assert.equal(exchanges.length, 1);
    assert.deepEqual(exchanges[0]?.capture.seenBy, ['page-hook', 'devtools', 'filter']);
  });

  test('the same key twice from the same source is two exchanges (two identical failures in a row)', async () => {
    const store = new ExchangeStore(new FakeArea());
    await store.add(stored('same', { seenBy: ['page-hook'] }));
    await store.add(stored('same', { seenBy: ['page-hook'] }));
    assert.equal((await store.read()).exchanges.length, 2);
  });

  test('the same key on another tab is stored separately', async () => {
    const store = new ExchangeStore(new FakeArea());
    assert.equal((await store.add(stored('same', { tabId: 7 }))).added, true);
    assert.equal((await store.add(stored('same', { tabId: 8, verification: 'verified' }))).added, true);
    const { exchanges } = await store.read();
    assert.deepEqual(
      exchanges.map((e) => [e.capture.tabId, e.capture.verification]),
      [
        [7, 'page-reported'],
        [8, 'verified'],
      ],
    );
  });
});

describe('ExchangeStore: concurrency', () => {
  test('50 concurrent adds lose nothing', async () => {
    const store = new ExchangeStore(new FakeArea());
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => store.add(stored(`k${i}`, { tabId: i % 3 }))));
    assert.ok(results.every((r) => r.added));
    const { exchanges } = await store.read();
    assert.equal(exchanges.length, 50);
    assert.deepEqual(new Set(keys(exchanges)), new Set(Array.from({ length: 50 }, (_, i) => `k${i}`)));
  });

  test('concurrent twins from two sources merge into one', async () => {
    const store = new ExchangeStore(new FakeArea());
    await Promise.all([
      store.add(stored('same', { seenBy: ['page-hook'], verification: 'verified' })),
      store.add(stored('same', { seenBy: ['devtools'], verification: 'devtools' })),
      store.addNote(note(1, 'between')),
    ]);
    const state = await store.read();
    assert.equal(state.exchanges.length, 1);
    assert.deepEqual(state.exchanges[0]?.capture.seenBy, ['page-hook', 'devtools']);
    assert.equal(state.exchanges[0]?.capture.verification, 'verified');
    assert.equal(state.notes.length, 1);
  });

  test('concurrent adds, notes and clears keep their order', async () => {
    const store = new ExchangeStore(new FakeArea());
    const [, , cleared] = await Promise.all([
      store.add(stored('a', { tabId: 1 })),
      store.add(stored('b', { tabId: 2 })),
      store.clear(1),
      store.add(stored('c', { tabId: 1 })),
    ]);
    assert.equal(cleared, 1);
    assert.deepEqual(keys((await store.read()).exchanges), ['b', 'c']);
  });
});

describe('ExchangeStore: storage quota', () => {
  test('past the quota, drops the oldest half and counts them', async () => {
    const store = new ExchangeStore(new QuotaArea(10));
    for (let i = 0; i < 10; i++) assert.deepEqual(await store.add(stored(`k${i}`)), { added: true, dropped: 0 });
    // The 11th does not fit: 11 → drop ceil(11 / 2) = 6, keep the newest 5.
    assert.deepEqual(await store.add(stored('k10')), { added: true, dropped: 6 });
    let state = await store.read();
    assert.deepEqual(keys(state.exchanges), ['k6', 'k7', 'k8', 'k9', 'k10']);
    assert.equal(state.dropped, 6);
    for (let i = 11; i < 17; i++) await store.add(stored(`k${i}`));
    state = await store.read();
    // 5 + 6 = 11 again on k16: drop 6 more.
    assert.deepEqual(keys(state.exchanges), ['k12', 'k13', 'k14', 'k15', 'k16']);
    assert.equal(state.dropped, 12);
  });

  test('halves as often as needed', async () => {
    const area = new QuotaArea(1000);
    const store = new ExchangeStore(area);
    for (let i = 0; i < 40; i++) await store.add(stored(`k${i}`));
    area.limit = 5;
    // 41 → drop 21 (20 left) → drop 10 (10 left) → drop 5 (5 left): 36 dropped.
    assert.deepEqual(await store.add(stored('k40')), { added: true, dropped: 36 });
    const state = await store.read();
    assert.deepEqual(keys(state.exchanges), ['k36', 'k37', 'k38', 'k39', 'k40']);
    assert.equal(state.dropped, 36);
  });

  test('capacity and quota drops add up', async () => {
    const area = new QuotaArea(1000);
    const store = new ExchangeStore(area, 4);
    for (let i = 0; i < 4; i++) await store.add(stored(`k${i}`));
    area.limit = 2;
    // 5 → 1 over capacity (4 left) → over the quota, drop 2: 3 dropped.
    assert.deepEqual(await store.add(stored('k4')), { added: true, dropped: 3 });
    const state = await store.read();
    assert.deepEqual(keys(state.exchanges), ['k3', 'k4']);
    assert.equal(state.dropped, 3);
  });

  test('when even one exchange does not fit, add rejects with the storage error and the store keeps working', async () => {
    const area = new QuotaArea(0);
    const store = new ExchangeStore(area);
    await assert.rejects(store.add(stored('big')), /quota/);
    area.limit = 10;
    assert.equal((await store.add(stored('small'))).added, true);
    assert.deepEqual(keys((await store.read()).exchanges), ['small']);
  });
});

describe('ExchangeStore: clear', () => {
  async function filled(): Promise<ExchangeStore> {
    const store = new ExchangeStore(new FakeArea(), 2);
    for (const [key, tabId] of [
      ['a', 1],
      ['b', 2],
      ['c', 1],
      ['d', 3],
      ['e', 2],
      ['f', 1],
    ] as const)
      await store.add(stored(key, { tabId }));
    await store.addNote(note(1, 'one'));
    await store.addNote(note(2, 'two'));
    return store;
  }

  test('clear(tabId) clears only that tab, exchanges and notes', async () => {
    const store = await filled();
    assert.equal(await store.droppedIn(1), 1, "'a' was let go for tab 1's capacity already");
    assert.equal(await store.clear(1), 2);
    assert.equal(await store.droppedIn(1), 0, "clearing a tab clears what it said of the tab's let-go exchanges");
    const state = await store.read();
    assert.deepEqual(keys(state.exchanges), ['b', 'd', 'e']);
    assert.deepEqual(
      state.notes.map((n) => n.message),
      ['two'],
    );
    assert.equal(state.dropped, 1);
    assert.equal(await store.clear(42), 0);
    assert.equal((await store.read()).exchanges.length, 3);
  });

  test('clear(null) clears everything, the dropped count too', async () => {
    const store = await filled();
    assert.equal(await store.clear(null), 5);
    assert.deepEqual(await store.read(), { exchanges: [], dropped: 0, notes: [] });
  });
});

describe('ExchangeStore: notes', () => {
  test('are bounded to the newest 50', async () => {
    const store = new ExchangeStore(new FakeArea());
    for (let i = 0; i < 60; i++) await store.addNote(note(i % 2, `n${i}`));
    const { notes } = await store.read();
    assert.equal(notes.length, 50);
    assert.deepEqual(
      notes.map((n) => n.message),
      Array.from({ length: 50 }, (_, i) => `n${i + 10}`),
    );
  });

  test('concurrent notes lose nothing', async () => {
    const store = new ExchangeStore(new FakeArea());
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.addNote(note(1, `n${i}`))));
    assert.equal((await store.read()).notes.length, 20);
  });
});

test('the same key twice, minutes apart, is two exchanges (the same error answered twice), not one', async () => {
  const store = new ExchangeStore(new FakeArea());
  const first = stored('same-error');
  const later = stored('same-error');
  later.exchange.startedAt = '2026-01-10T10:02:00.000Z';
  const moments = stored('same-error', { seenBy: ['devtools'], verification: 'devtools' });
  moments.exchange.startedAt = '2026-01-10T10:00:00.400Z';
  await store.add(first);
  await store.add(moments);
  await store.add(later);
  const { exchanges } = await store.read();
  assert.equal(exchanges.length, 2);
  assert.deepEqual(exchanges[0]?.capture.seenBy.sort(), ['devtools', 'page-hook']);
});

test("the network filter's report is the exchange of record, whichever source reported first", async () => {
  const store = new ExchangeStore(new FakeArea());
  const hook = stored('same', { seenBy: ['page-hook'] });
  hook.exchange.response.bodyNote = 'Body over 262144 bytes not captured.';
  const filter = stored('same', { seenBy: ['filter'] });
  filter.exchange.response.bodyNote = 'Body over the size limit not captured (430000 bytes, over the 262144-byte limit).';
  await store.add(hook);
  await store.add(filter);
  const [kept] = (await store.read()).exchanges;
  assert.match(kept?.exchange.response.bodyNote ?? '', /430000 bytes/);
  assert.deepEqual(kept?.capture.seenBy, ['page-hook', 'filter']);
});

describe('ExchangeStore: group commit', () => {
  /** A FakeArea that counts its `set` calls and can fail the next one. */
  class CountingArea extends FakeArea {
    sets = 0;
    failNext = false;
    override async set(items: Record<string, unknown>): Promise<void> {
      this.sets += 1;
      if (this.failNext) {
        this.failNext = false;
        throw new Error('the write failed');
      }
      return super.set(items);
    }
  }

  test('captures arriving within the window share one write, and each resolves only once it is in storage', async () => {
    const area = new CountingArea();
    const store = new ExchangeStore(area, DEFAULT_CAPACITY, undefined, 40);
    const adds = ['a', 'b', 'c'].map((key) => store.add(stored(key)));
    await Promise.all(adds);
    assert.equal(area.sets, 1);
    const restarted = new ExchangeStore(area);
    assert.equal((await restarted.read()).exchanges.length, 3, 'all three in storage when they resolved');
  });

  test('a batch whose write fails is written again one task at a time: nothing lost', async () => {
    const area = new CountingArea();
    const store = new ExchangeStore(area, DEFAULT_CAPACITY, undefined, 40);
    area.failNext = true;
    await Promise.all(['a', 'b'].map((key) => store.add(stored(key))));
    assert.equal(area.sets, 3, 'the failed batch, then one write each');
    assert.equal((await new ExchangeStore(area).read()).exchanges.length, 2);
  });
});
