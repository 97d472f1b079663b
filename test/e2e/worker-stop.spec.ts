/** MV3 stops idle workers: an exchange captured before the stop is all there when the popup wakes it. */
import { badgeText, openPopup } from '../support/harness.js';
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
