/**
 * Authorization requests from the browser's record of navigations (background/navigations.ts, the optional
 * webNavigation permission): which watched tab each belongs to, as what frame, and what is ignored.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { WebNavigation } from 'webextension-polyfill';
import { recordNavigation, unwatchNavigations, watchNavigations } from '../../src/background/navigations.js';
import { OPENERS_KEY, Openers } from '../../src/background/openers.js';
import { SignInLog } from '../../src/background/sign-in-log.js';
import { workerDeps } from '../../src/background/worker-deps.js';
import { until } from './until.js';
import { APP, badgeAtOnce, setup } from './worker-fake.js';

const AUTHORIZE =
  'https://as.example.test/authorize?response_type=code&client_id=spa&prompt=none&redirect_uri=http%3A%2F%2F127.0.0.1%3A3000%2Fsilent';
const details = (fields: Partial<WebNavigation.OnBeforeNavigateDetailsType>): WebNavigation.OnBeforeNavigateDetailsType => ({
  tabId: 7,
  frameId: 0,
  parentFrameId: -1,
  url: AUTHORIZE,
  timeStamp: Date.parse('2026-01-10T10:00:00.000Z'),
  ...fields,
});

function world() {
  // Tab 7: the watched app. Tab 9: a login popup opened by tab 7 (its URL hidden: the provider is not watched).
  // Tab 11: a page on a site not watched.
  const fake = setup({ tabs: { 7: APP, 9: undefined, 11: 'https://elsewhere.example/' } });
  const signIns = new SignInLog(fake.area);
  const openers = new Openers(fake.deps.browser, fake.area);
  openers.remember(9, 7);
  openers.openedByPage(7); // The app's page hook said it called window.open.
  return { deps: { ...fake.deps, signIns, openers }, signIns, openers };
}

test('a hidden iframe of a watched tab: its authorization request is a step of that tab, from the browser', async () => {
  const { deps, signIns } = world();
  assert.equal(await recordNavigation(deps, details({ frameId: 3, parentFrameId: 0 })), true);
  const [step] = await signIns.tab(7);
  assert.deepEqual(step, { url: AUTHORIZE, method: 'GET', at: '2026-01-10T10:00:00.000Z', frame: 'iframe', source: 'web-navigation' });
});

test('a login popup a watched tab opened: filed under the opener, as a popup', async () => {
  const { deps, signIns } = world();
  assert.equal(await recordNavigation(deps, details({ tabId: 9 })), true);
  assert.equal((await signIns.tab(7))[0]?.frame, 'popup');
  assert.deepEqual(await signIns.tab(9), []);
});

test('ignored: a tab on a site not watched, a URL that is no authorization request, a navigation outside any tab', async () => {
  const { deps, signIns } = world();
  assert.equal(await recordNavigation(deps, details({ tabId: 11, frameId: 2 })), false);
  assert.equal(await recordNavigation(deps, details({ frameId: 2, url: 'https://as.example.test/help?client_id=spa' })), false);
  assert.equal(await recordNavigation(deps, details({ tabId: -1 })), false);
  assert.deepEqual(await signIns.tab(7), []);
  assert.deepEqual(await signIns.tab(11), []);
});

test('a popup window Firefox names no opener for: its source tab from the navigation-target event, its request filed there', async () => {
  const fake = setup({ tabs: { 7: APP, 12: undefined } });
  const signIns = new SignInLog(fake.area);
  const openers = new Openers(fake.deps.browser, fake.area);
  let created: ((details: { tabId: number; sourceTabId: number }) => void) | null = null;
  const browser = {
    ...fake.deps.browser,
    webNavigation: {
      onBeforeNavigate: { addListener: () => undefined, removeListener: () => undefined },
      onCreatedNavigationTarget: {
        addListener: (listener: (details: { tabId: number; sourceTabId: number }) => void) => {
          created = listener;
        },
        removeListener: () => undefined,
      },
    },
  } as unknown as typeof fake.deps.browser;
  const deps = { ...fake.deps, browser, signIns, openers };
  watchNavigations(deps);
  openers.openedByPage(7);
  (created as unknown as (details: { tabId: number; sourceTabId: number }) => void)({ tabId: 12, sourceTabId: 7 });
  unwatchNavigations(deps);
  assert.equal(await recordNavigation(deps, details({ tabId: 12 })), true);
  assert.equal((await signIns.tab(7))[0]?.frame, 'popup');
});

test('a tab a watched tab opened by a link (an opener, no window.open call): not its login popup, nothing filed there', async () => {
  const { deps, signIns, openers } = world();
  openers.remember(14, 7); // Tab 14: opened from tab 7 by a link, on a site not watched; tab 9 took the one window.open call.
  assert.equal(await recordNavigation(deps, details({ tabId: 9 })), true);
  assert.equal(await recordNavigation(deps, details({ tabId: 14, url: AUTHORIZE.replace('prompt=none', 'prompt=login') })), false);
  assert.deepEqual(
    (await signIns.tab(7)).map((step) => step.url),
    [AUTHORIZE],
  );
  assert.deepEqual(await signIns.tab(14), []);
});

test("an iframe of another site in a watched tab navigating itself to an authorization request: not the tab's sign-in", async () => {
  const { deps, signIns } = world();
  const frames: Record<number, { url: string; parentFrameId: number }> = {
    4: { url: 'https://ads.example/slot', parentFrameId: 0 }, // An ad's iframe, as loaded.
    5: { url: 'about:blank', parentFrameId: 4 }, // A frame the ad made.
    6: { url: 'about:blank', parentFrameId: 0 }, // The app's own new iframe (silent renew).
  };
  const browser = {
    ...deps.browser,
    webNavigation: { getFrame: async ({ frameId }: { frameId: number }) => frames[frameId] ?? null },
  } as unknown as typeof deps.browser;
  const withFrames = { ...deps, browser };
  assert.equal(await recordNavigation(withFrames, details({ frameId: 4, parentFrameId: 0 })), false);
  assert.equal(await recordNavigation(withFrames, details({ frameId: 5, parentFrameId: 4 })), false);
  assert.deepEqual(await signIns.tab(7), []);
  assert.equal(await recordNavigation(withFrames, details({ frameId: 6, parentFrameId: 0 })), true);
  assert.equal((await signIns.tab(7))[0]?.frame, 'iframe');
});

test("a login popup's first navigation heard before its opener's window.open report: it waits for the report, then is filed", async () => {
  const fake = setup({ tabs: { 7: APP, 15: undefined } });
  const signIns = new SignInLog(fake.area);
  const openers = new Openers(fake.deps.browser, fake.area);
  const deps = { ...fake.deps, signIns, openers };
  openers.remember(15, 7);
  assert.equal(await recordNavigation(deps, details({ tabId: 15 })), false, 'no window.open call heard yet');
  assert.deepEqual(await signIns.tab(7), []);
  openers.openedByPage(7);
  const [step] = await until('the parked navigation filed', async () => {
    const steps = await signIns.tab(7);
    return steps.length > 0 ? steps : null;
  });
  assert.equal(step?.frame, 'popup');
});

test("a worker stopped between a login popup's creation and its navigation: the restarted worker still files it under the opener", async () => {
  // Tab 16: a popup whose tab the browser no longer names an opener for (the fake's tabs.get gives none), so only the
  // records the stopped worker kept in storage.session can pair it with tab 7's window.open call.
  const fake = setup({ tabs: { 7: APP, 16: undefined } });
  const before = fake.deps.openers;
  before.remember(16, 7);
  before.openedByPage(7);
  await before.flushed();
  const restarted = workerDeps(fake.deps.browser, fake.area, badgeAtOnce); // The same session storage, a new worker.
  const signIns = new SignInLog(fake.area);
  assert.equal(await recordNavigation({ ...restarted, signIns }, details({ tabId: 16 })), true);
  assert.equal((await signIns.tab(7))[0]?.frame, 'popup');
  assert.deepEqual(await signIns.tab(16), []);
});

test('the opener records kept in storage.session are bounded: 200 tabs, the oldest go first; a record of another shape is not read', async () => {
  const fake = setup({ tabs: { 7: APP } });
  const openers = fake.deps.openers;
  for (let tabId = 100; tabId < 350; tabId++) openers.remember(tabId, 7);
  await openers.flushed();
  const stored = fake.area.data.get(OPENERS_KEY) as { openerOf: Array<[number, number]> };
  assert.equal(stored.openerOf.length, 200);
  assert.deepEqual(stored.openerOf[0], [150, 7]);
  await fake.area.set({ [OPENERS_KEY]: { openerOf: 'not a list', createdAt: [[1, 'x']], popups: [null] } });
  const restarted = workerDeps(fake.deps.browser, fake.area, badgeAtOnce);
  assert.equal(await restarted.openers.of(300), 300, 'nothing read from a record of another shape');
});
