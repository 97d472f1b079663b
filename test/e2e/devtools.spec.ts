/**
 * DevTools open on a tab: its token exchanges reach the worker through the
 * devtools_page (network log + getContent), on any site, watched or not; the
 * same exchange seen by the page hook too is stored once.
 */
import { launchWithExtension, openPopup, setSiteAccess, storedExchanges, waitForDevtoolsPage, openTab } from '../support/harness.js';
import { test as base, expect } from '../support/fixtures.js';

const test = base.extend({
  // biome-ignore lint/correctness/noEmptyPattern: Playwright's fixture signature.
  context: async ({}, use) => {
    const { context, close } = await launchWithExtension(undefined, ['--auto-open-devtools-for-tabs']);
    await use(context);
    await close();
  },
});

test('an unwatched site is captured while DevTools is open; a watched one is stored once for both sources', async ({
  context,
  extensionId,
  tokenEndpoint: server,
}) => {
  await setSiteAccess(context, extensionId, ['http://127.0.0.1/*']);
  const exchangesOf = async (tabId: number) => (await storedExchanges(context, extensionId)).filter((e) => e.capture.tabId === tabId);

  const { page: unwatched, tabId: unwatchedTab } = await openTab(context, extensionId, server.pageUrl.replace('127.0.0.1', 'localhost'));
  await waitForDevtoolsPage(context, unwatched, unwatchedTab);
  await unwatched.click('#fetch-json');
  await expect(unwatched.locator('#log')).toContainText('done fetch-json');
  await expect.poll(async () => (await exchangesOf(unwatchedTab)).map((e) => e.capture.verification)).toEqual(['devtools']);

  const { page: watched, tabId: watchedTab } = await openTab(context, extensionId, server.pageUrl);
  await waitForDevtoolsPage(context, watched, watchedTab);
  await watched.click('#xhr-json');
  await expect(watched.locator('#log')).toContainText('done xhr-json');
  await expect
    .poll(async () => (await exchangesOf(watchedTab)).map((e) => [...e.capture.seenBy].sort()))
    .toEqual([['devtools', 'page-hook']]);
  const [both] = await exchangesOf(watchedTab);
  expect(both?.capture.verification).toBe('verified');

  const popup = await openPopup(context, extensionId, unwatchedTab);
  await expect(popup.locator('.how')).toHaveText('DevTools network');
  await expect(popup.locator('.rs-id')).toHaveText([
    /auth\.globus\.org/,
    /transfer\.api\.globus\.org/,
    /groups\.api\.globus\.org/,
    // The id_token is filed under the client (its aud).
    /the client \(its ID tokens' aud\)/,
  ]);
});
