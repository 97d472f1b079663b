/** The badge after captures: once per burst per tab (badge.ts BadgeScheduler), the capture itself answered at once. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BadgeScheduler } from '../../src/background/badge.js';
import { storeCapture } from '../../src/background/store-capture.js';
import { exchange, jwt } from './helpers.js';
import { setup } from './worker-fake.js';

test('a burst of captures in one tab recomputes its badge once, after the burst; each capture is stored at once', async () => {
  const fake = setup();
  const timers: Array<() => void> = [];
  fake.deps.badges = new BadgeScheduler((run) => timers.push(run));
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
  timers[0]?.();
  await new Promise((resolve) => setImmediate(resolve));
  assert.ok(Number(fake.badges.get(7)) >= 1, `the badge counts the high findings (got ${fake.badges.get(7)})`);
  // The next capture starts a new burst.
  await storeCapture(fake.deps, exchange({ access_token: 'opaque', token_type: 'Bearer' }, { grant_type: 'client_credentials' }), {
    tabId: 8,
    site: 'http://127.0.0.1:3000',
    seenBy: ['page-hook'],
    verification: 'verified',
  });
  assert.equal(timers.length, 2);
});

test('a capture that arrives while the badge is being recomputed gets a recomputation of its own', async () => {
  const fake = setup();
  const timers: Array<() => void> = [];
  fake.deps.badges = new BadgeScheduler((run) => timers.push(run));
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
  timers[0]?.(); // Running now: the next capture comes in before it is done.
  await storeCapture(fake.deps, exchange({ access_token: 'b', token_type: 'Bearer' }, { grant_type: 'client_credentials' }), site);
  assert.equal(timers.length, 1, 'no second timer while one runs');
  release();
  for (let i = 0; i < 50 && timers.length < 2; i++) await new Promise((resolve) => setImmediate(resolve));
  assert.equal(timers.length, 2, 'scheduled again once the running one finished');
});
