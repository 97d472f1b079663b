/**
 * The exchange store's layout in storage.session (one key per exchange, one index per tab), over a fake of the
 * storage area with its real semantics: values copied in and out, a `set` applied whole or not at all, every call
 * asynchronous. The store itself is the real one; a second store over the same area stands for a restarted worker.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SignInLog } from '../../src/background/sign-in-log.js';
import { ExchangeStore, type StoredExchange } from '../../src/background/store.js';
import type { SignInStep } from '../../src/core/sign-in/types.js';
import { CAPTURED_AT, storedExchange } from '../support/builders.js';
import { FakeArea } from './fakes.js';

/** An exchange of tab `tabId` as the worker stores it (test/support/builders.ts), its token named `key`. */
const stored = (key: string, tabId = 1, captureIds?: string[]): StoredExchange => ({
  ...storedExchange(tabId, key, CAPTURED_AT, 'grant_type=client_credentials', { access_token: key }),
  ...(captureIds ? { captureIds } : {}),
});

/** The area, recording the keys of every `set`. */
class RecordingArea extends FakeArea {
  readonly sets: string[][] = [];
  override set(items: Record<string, unknown>): Promise<void> {
    this.sets.push(Object.keys(items).sort());
    return super.set(items);
  }
}

/** A worker stopped right after a `set`: its removals never happen. */
class NoRemoveArea extends FakeArea {
  override async remove(): Promise<void> {}
}

const exchangeKeys = (area: FakeArea) => [...area.data.keys()].filter((key) => key.startsWith('x:'));
const keysOf = (list: readonly StoredExchange[]) => list.map((e) => e.key);

describe('ExchangeStore layout: one key per exchange, one index per tab', () => {
  test('a capture writes its own exchange and its tab index only, however much is stored', async () => {
    const area = new RecordingArea();
    const store = new ExchangeStore(area);
    for (let i = 0; i < 150; i++) await store.add(stored(`k${i}`, i % 3));
    area.sets.length = 0;
    await store.add(stored('new', 2));
    assert.deepEqual(area.sets, [['tab:2', 'x:150']]);
    // The exchange's key holds that exchange alone; the index names the tab's exchanges, oldest first.
    assert.equal((area.data.get('x:150') as StoredExchange).key, 'new');
    assert.equal((area.data.get('tab:2') as number[]).length, 51);
    assert.equal(area.data.has('exchanges'), false);
  });

  test('a restarted worker reads the same exchanges, per tab and in order', async () => {
    const area = new FakeArea();
    const first = new ExchangeStore(area);
    for (const [key, tab] of [
      ['a', 1],
      ['b', 2],
      ['c', 1],
    ] as const)
      await first.add(stored(key, tab));
    await first.addNote({ tabId: 1, at: '2026-01-10T10:00:00.000Z', message: 'kept' });
    const restarted = new ExchangeStore(area);
    assert.deepEqual(keysOf(await restarted.tab(1)), ['a', 'c']);
    assert.deepEqual(keysOf(await restarted.tab(2)), ['b']);
    assert.deepEqual(keysOf((await restarted.read()).exchanges), ['a', 'b', 'c']);
    assert.deepEqual(
      (await restarted.read()).notes.map((n) => n.message),
      ['kept'],
    );
    // And goes on numbering after the last one.
    await restarted.add(stored('d', 2));
    assert.deepEqual(keysOf(await new ExchangeStore(area).tab(2)), ['b', 'd']);
  });

  test('a capture resent to a restarted worker (same capture id, same tab) is recognised and not stored again', async () => {
    const area = new FakeArea();
    assert.equal((await new ExchangeStore(area).add(stored('a', 4, ['c'.repeat(24)]))).added, true);
    const restarted = new ExchangeStore(area);
    assert.deepEqual(await restarted.add(stored('a', 4, ['c'.repeat(24)])), { added: false, dropped: 0 });
    assert.deepEqual(await restarted.add(stored('a', 5, ['c'.repeat(24)])), { added: true, dropped: 0 });
    assert.equal((await new ExchangeStore(area).read()).exchanges.length, 2);
  });

  test("past a tab's capacity that tab lets go of its own oldest, never another tab's; the count is the tab's and outlives the worker", async () => {
    const area = new FakeArea();
    const store = new ExchangeStore(area, 3);
    await store.add(stored('quiet', 2));
    for (let i = 0; i < 7; i++) await store.add(stored(`busy${i}`, 1));
    assert.deepEqual(keysOf(await store.tab(1)), ['busy4', 'busy5', 'busy6']);
    assert.deepEqual(keysOf(await store.tab(2)), ['quiet']);
    assert.equal(exchangeKeys(area).length, 4, "the let-go exchanges' keys leave storage");
    const restarted = new ExchangeStore(area, 3);
    assert.deepEqual(keysOf(await restarted.tab(2)), ['quiet']);
    assert.equal(await restarted.droppedIn(1), 4);
    assert.equal(await restarted.droppedIn(2), 0);
    assert.equal((await restarted.read()).dropped, 4);
  });

  test('past the bound over all tabs (tabs x per tab), the least recently active tab lets go of its oldest first', async () => {
    const area = new FakeArea();
    const store = new ExchangeStore(area, 2, 2);
    for (const [key, tabId] of [
      ['a1', 1],
      ['b1', 2],
      ['a2', 1],
      ['b2', 2],
      ['c1', 3],
      ['b3', 2],
    ] as const)
      await store.add(stored(key, tabId));
    // c1 took the store past 4: tab 1 (newest a2) was the least recently active, a1 went; b3 then took tab 2 past its own 2.
    assert.deepEqual(keysOf((await store.read()).exchanges), ['a2', 'b2', 'c1', 'b3']);
    assert.equal(await store.droppedIn(1), 1);
    assert.equal(await store.droppedIn(2), 1);
    assert.equal(await store.droppedIn(3), 0);
    assert.equal(exchangeKeys(area).length, 4);
  });

  test('a worker stopped between the write and the removal: nothing dropped comes back, the left-over keys go at the next load', async () => {
    const area = new NoRemoveArea();
    const store = new ExchangeStore(area, 2, 1);
    for (const key of ['a', 'b', 'c']) await store.add(stored(key, key === 'a' ? 9 : 1));
    await store.clear(1);
    assert.equal(exchangeKeys(area).length, 3, 'the removals never happened');
    const after = new FakeArea();
    for (const [key, value] of area.data) after.data.set(key, value);
    const restarted = new ExchangeStore(after);
    assert.deepEqual((await restarted.read()).exchanges, []);
    assert.equal(exchangeKeys(after).length, 0);
    assert.equal((await restarted.read()).dropped, 1);
  });

  test('an index naming an exchange that is gone skips it; an exchange no index names is not shown', async () => {
    const area = new FakeArea();
    area.data.set('tab:1', [0, 1]);
    area.data.set('x:1', stored('kept'));
    area.data.set('x:5', stored('stray'));
    const store = new ExchangeStore(area);
    assert.deepEqual(keysOf(await store.tab(1)), ['kept']);
    assert.equal(area.data.has('x:5'), false);
    await store.add(stored('next'));
    assert.ok(area.data.has('x:6'), 'numbering goes on past every key seen, stray ones included');
  });

  test('a whole-store `exchanges` array (the layout before) is taken in, bounded, and its key removed', async () => {
    const area = new FakeArea();
    area.data.set('exchanges', [stored('old1', 3), { not: 'an exchange' }, stored('old2', 4), stored('old3', 3)]);
    const store = new ExchangeStore(area, 1);
    assert.deepEqual(keysOf((await store.read()).exchanges), ['old2', 'old3']);
    assert.equal(area.data.has('exchanges'), false);
    assert.equal((await store.read()).dropped, 1);
    assert.deepEqual(keysOf(await new ExchangeStore(area, 2).tab(3)), ['old3']);
  });
});

describe('SignInLog layout: one key per tab', () => {
  const step = (n: number): SignInStep => ({
    url: `https://idp.example.test/authorize?n=${n}`,
    method: 'GET',
    at: '2026-01-10T10:00:00.000Z',
    frame: 'top',
  });

  test("a step rewrites its own tab's key only; the bound holds per tab, and in tabs (the least recent goes)", async () => {
    const area = new RecordingArea();
    const log = new SignInLog(area, 3, 2);
    await log.add(1, step(0), null);
    await log.add(2, step(1), null);
    area.sets.length = 0;
    await log.add(2, step(2), null);
    assert.deepEqual(area.sets, [['signInSteps:2']]);
    // Tab 2 floods: it keeps its newest 3, and tab 1's step stays.
    for (let i = 3; i < 8; i++) await log.add(2, step(i), null);
    assert.deepEqual(
      (await log.tab(2)).map((s) => s.url.slice(-3)),
      ['n=5', 'n=6', 'n=7'],
    );
    assert.equal((await log.tab(1)).length, 1, "another tab's flood leaves this tab's step");
    // A third tab: past 2 tabs, the one whose last step is oldest (tab 1) goes whole.
    await log.add(3, step(8), null);
    assert.deepEqual(await log.tab(1), []);
    assert.equal(area.data.has('signInSteps:1'), false);
    assert.equal((await log.tab(2)).length, 3);
  });

  test('the log before (one array for every tab) is read per tab and split at the next add', async () => {
    const area = new FakeArea();
    area.data.set('signInSteps', [
      { tabId: 1, captureId: 'x', step: step(0) },
      { tabId: 2, captureId: null, step: step(1) },
    ]);
    const log = new SignInLog(area);
    assert.equal((await log.tab(1)).length, 1);
    assert.equal(await log.add(1, step(0), 'x'), false, 'a resend of a step from the old layout');
    await log.add(2, step(2), null);
    assert.equal(area.data.has('signInSteps'), false);
    assert.equal((await log.tab(2)).length, 2);
    assert.equal((await log.tab(1)).length, 1);
  });
});
