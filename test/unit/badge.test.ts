/** The badge after captures: once per burst per tab, when it goes quiet (badge.ts BadgeScheduler), the capture itself answered at once. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BADGE_MAX_WAIT_MS, BADGE_QUIET_MS, BadgeScheduler } from '../../src/background/badge.js';
import { storeCapture } from '../../src/background/store-capture.js';
import { exchange, jwt } from './helpers.js';
import { setup } from './worker-fake.js';

/** Timers and a clock the test moves by hand. */
function clock() {
  let now = 0;
  const timers: Array<{ run: () => void; at: number }> = [];
  return {
    timers,
    scheduler: () =>
      new BadgeScheduler(
        (run, ms) => timers.push({ run, at: now + ms }),
        () => now,
      ),
    advance(ms: number) {
      now += ms;
    },
    /** Run the timers that are due (and those they set that are due too). */
    fire() {
      for (let due = timers.filter((t) => t.at <= now); due.length > 0; due = timers.filter((t) => t.at <= now))
        for (const timer of due) {
          timers.splice(timers.indexOf(timer), 1);
          timer.run();
        }
    },
  };
}

/** A few event-loop turns: a badge update's storage reads (the store, Bearer uses, sign-in steps) take one each. */
async function settle(): Promise<void> {
  for (let turn = 0; turn < 10; turn++) await new Promise((resolve) => setImmediate(resolve));
}

test('a burst of captures in one tab recomputes its badge once, after the burst; each capture is stored at once', async () => {
  const fake = setup();
  const time = clock();
  const timers = time.timers;
  fake.deps.badges = time.scheduler();
  const twoAudiences = jwt({ aud: ['https://api.example.test', 'https://other.example.test'], scope: 'read' });
  for (let i = 0; i < 5; i++) {
    const captured = exchange(
      { access_token: twoAudiences, token_type: 'Bearer', n: i },
      { grant_type: 'client_credentials', resource: 'https://api.example.test' },
    );
    const answer = await storeCapture(fake.deps, captured, {
      tabId: 7,
      site: 'http://127.0.0.1:3000',
      seenBy: ['page-hook'],
      verification: 'verified',
    });
    assert.deepEqual(answer, { stored: true });
  }
  assert.equal((await fake.deps.store.tab(7)).length, 5, 'stored before any badge work');
  assert.equal(timers.length, 1, 'one badge update scheduled for the burst');
  assert.equal(fake.badges.get(7), undefined, 'not yet');
  time.advance(BADGE_QUIET_MS);
  time.fire();
  await settle();
  assert.ok(Number(fake.badges.get(7)) >= 1, `the badge counts the high findings (got ${fake.badges.get(7)})`);
  // The next capture starts a new burst.
  await storeCapture(fake.deps, exchange({ access_token: 'opaque', token_type: 'Bearer' }, { grant_type: 'client_credentials' }), {
    tabId: 8,
    site: 'http://127.0.0.1:3000',
    seenBy: ['page-hook'],
    verification: 'verified',
  });
  assert.equal(timers.length, 1, 'the next tab has a timer of its own');
});

test('the badge waits while captures keep coming, and no longer than the longest wait', async () => {
  const fake = setup();
  const time = clock();
  fake.deps.badges = time.scheduler();
  const site = { tabId: 7, site: 'http://127.0.0.1:3000', seenBy: ['page-hook' as const], verification: 'verified' as const };
  const capture = (n: number) =>
    storeCapture(fake.deps, exchange({ access_token: `opaque-${n}`, token_type: 'Bearer' }, { grant_type: 'client_credentials' }), site);
  let n = 0;
  // A capture every 100 ms: never quiet for BADGE_QUIET_MS, so only the longest wait lets the badge through.
  for (; time.timers.length > 0 || n === 0; n++) {
    await capture(n);
    time.advance(100);
    time.fire();
    await settle();
    if (fake.badgeUpdates > 0) break;
  }
  assert.equal(fake.badgeUpdates, 1, 'recomputed once');
  assert.ok(n * 100 >= BADGE_MAX_WAIT_MS - 100 && n * 100 <= BADGE_MAX_WAIT_MS + 100, `after the longest wait (${n * 100} ms)`);
  // Then quiet: the captures made while it ran (none here) need nothing more; a new one starts a new burst.
  await capture(1000);
  time.advance(BADGE_QUIET_MS - 1);
  time.fire();
  await settle();
  assert.equal(fake.badgeUpdates, 1, 'not before the burst is quiet');
  time.advance(1);
  time.fire();
  await settle();
  assert.equal(fake.badgeUpdates, 2);
});

test('a capture that arrives while the badge is being recomputed gets a recomputation of its own', async () => {
  const fake = setup();
  const time = clock();
  const timers = time.timers;
  fake.deps.badges = time.scheduler();
  const site = { tabId: 7, site: 'http://127.0.0.1:3000', seenBy: ['page-hook' as const], verification: 'verified' as const };
  // The running recomputation is held at its last step until the test lets it go.
  let release = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const action = fake.deps.browser.action as unknown as { setBadgeText: (details: unknown) => Promise<void> };
  const setText = action.setBadgeText;
  action.setBadgeText = async (details) => {
    await gate;
    return setText(details);
  };
  await storeCapture(fake.deps, exchange({ access_token: 'a', token_type: 'Bearer' }, { grant_type: 'client_credentials' }), site);
  time.advance(BADGE_QUIET_MS);
  time.fire(); // Running now: the next capture comes in before it is done.
  await storeCapture(fake.deps, exchange({ access_token: 'b', token_type: 'Bearer' }, { grant_type: 'client_credentials' }), site);
  assert.equal(timers.length, 0, 'no second timer while one runs');
  release();
  for (let i = 0; i < 50 && timers.length < 1; i++) await settle();
  assert.equal(timers.length, 1, 'scheduled again once the running one finished');
});
