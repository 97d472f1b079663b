/**
 * MV3 stops idle workers: an exchange captured before the stop is all there when the popup wakes it, and a login popup
 * opened before the stop is still paired with its opener's `window.open` call after it (openers.ts).
 */
import { createServer } from 'node:http';
import { closeServer, listen } from '../../scripts/lib/http.mjs';
import { OPENERS_KEY } from '../../src/background/openers.js';
import { SIGN_IN_STEPS_KEY } from '../../src/background/sign-in-log.js';
import { badgeText, openPopup, restartWorker, setSiteAccess, storedState, tabIdOf } from '../support/harness.js';
import { captureOne, expect, test } from '../support/fixtures.js';

test('the worker is stopped between the exchange and opening the popup: nothing is lost', async ({
  context,
  extensionId,
  tokenEndpoint: server,
}) => {
  const page = await context.newPage();
  await page.goto(server.pageUrl);
  const tabId = await captureOne(page, '#fetch-json', { log: 'done fetch-json' });

  const cdp = await context.newCDPSession(page);
  const workerTargets = async () =>
    ((await cdp.send('Target.getTargets')).targetInfos as Array<{ type: string; url: string }>).filter(
      (t) => t.type === 'service_worker' && t.url.includes(extensionId),
    ).length;
  expect(await workerTargets()).toBe(1);
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.stopAllWorkers');
  await expect.poll(workerTargets).toBe(0);

  // Opening the popup wakes the worker, which answers from storage.session.
  const popup = await openPopup(context, extensionId, tabId);
  await expect(popup.locator('article.exchange')).toHaveCount(1);
  await expect(popup.locator('.rs-id')).toHaveText([
    /auth\.globus\.org/,
    /transfer\.api\.globus\.org/,
    /groups\.api\.globus\.org/,
    // The id_token is filed under the client (its aud).
    /the client \(its ID tokens' aud\)/,
  ]);
  // And the woken worker keeps capturing.
  await page.click('#xhr-json');
  await expect(page.locator('#log')).toContainText('done xhr-json');
  await expect(popup.locator('article.exchange')).toHaveCount(2);
  expect(await badgeText(context, extensionId, tabId)).toBe('');
});

test("the worker is stopped between a login popup's opening and its navigation: the popup's request is still the opener's step", async ({
  context,
  extensionId,
  served,
}) => {
  const server = createServer((request, response) => {
    request.resume();
    response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>page</title>');
  });
  const { port } = await served(listen(server).then((listening) => ({ port: listening, close: () => closeServer(server) })));
  const app = `http://127.0.0.1:${port}`;
  // The provider: a site not watched (localhost), so only the browser's navigation record sees its authorize URL.
  const authorize = `http://localhost:${port}/authorize?response_type=code&client_id=restart-popup&redirect_uri=${encodeURIComponent(`${app}/cb`)}`;
  await setSiteAccess(context, extensionId, ['http://127.0.0.1/*']);
  const page = await context.newPage();
  await page.goto(`${app}/app`);
  const appTab = await tabIdOf(context, extensionId, page);

  // The app opens its login popup blank (as oidc-client-ts does) and sends it to the provider later.
  const [popup] = await Promise.all([
    context.waitForEvent('page'),
    page.evaluate(() => {
      (window as unknown as { login: Window | null }).login = window.open('', 'app-login', 'popup');
    }),
  ]);
  const popupTab = await tabIdOf(context, extensionId, popup);
  // The worker has paired nothing yet, but kept the popup's creation and the app's window.open call.
  await expect
    .poll(async () => {
      const kept = (await storedState(context, extensionId)).session[OPENERS_KEY] as
        | { createdAt: Array<[number, number]>; windowOpens: Array<[number, number[]]> }
        | undefined;
      return Boolean(kept?.createdAt.some(([tab]) => tab === popupTab) && kept.windowOpens.some(([tab]) => tab === appTab));
    })
    .toBe(true);

  const extensionPage = await context.newPage();
  await extensionPage.goto(`chrome-extension://${extensionId}/popup.html?tab=0`);
  await restartWorker(extensionPage);
  await extensionPage.close();

  // The navigation wakes a new worker, which reads the records back and files the request under the app's tab.
  await page.evaluate((url) => {
    const login = (window as unknown as { login: Window | null }).login;
    if (login) login.location.href = url;
  }, authorize);
  await popup.waitForURL(/restart-popup/);
  const stepsOf = async (tabId: number) =>
    JSON.stringify((await storedState(context, extensionId)).session[`${SIGN_IN_STEPS_KEY}:${tabId}`] ?? []);
  await expect.poll(() => stepsOf(appTab)).toContain('restart-popup');
  expect(await stepsOf(popupTab)).not.toContain('restart-popup');
});
