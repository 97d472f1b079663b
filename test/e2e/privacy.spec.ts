/**
 * Asserted, not assumed: the extension makes no network request of its own,
 * and no token reaches storage.local or storage.sync.
 */
import { openPopup, storedState } from '../support/harness.js';
import { captureOne, expect, test } from '../support/fixtures.js';

test('no network request from the worker or the popup; tokens only in storage.session', async ({ context, extensionId, oidcServer }) => {
  const oidc = await oidcServer({ extraAudience: 'https://other.example.test' });
  const page = await context.newPage();
  // Watch the worker's network through CDP (Playwright reports no events for extension workers).
  const cdp = await context.newCDPSession(page);
  const { targetInfos } = (await cdp.send('Target.getTargets')) as {
    targetInfos: Array<{ targetId: string; type: string; url: string }>;
  };
  const workerTarget = targetInfos.find((t) => t.type === 'service_worker' && t.url.startsWith(`chrome-extension://${extensionId}/`));
  expect(workerTarget).toBeDefined();
  const { sessionId } = (await cdp.send('Target.attachToTarget', { targetId: workerTarget!.targetId, flatten: false })) as {
    sessionId: string;
  };
  const workerRequests: string[] = [];
  let enabled = false;
  cdp.on('Target.receivedMessageFromTarget', (event: { sessionId: string; message: string }) => {
    if (event.sessionId !== sessionId) return;
    const message = JSON.parse(event.message) as { id?: number; method?: string; params?: { request?: { url: string } } };
    if (message.id === 1) enabled = true;
    if (message.method === 'Network.requestWillBeSent') workerRequests.push(message.params?.request?.url ?? '?');
  });
  await cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id: 1, method: 'Network.enable' }) });
  await expect.poll(() => enabled).toBe(true);

  await page.goto(oidc.appUrl);
  const tabId = await captureOne(page, '#signin', { status: 'signed-in' });

  const popupRequests: string[] = [];
  const popup = await context.newPage();
  popup.on('request', (request) => popupRequests.push(request.url()));
  await popup.goto(`chrome-extension://${extensionId}/popup.html?tab=${tabId}`);
  await expect(popup.locator('.finding.sev-high')).toHaveCount(1);
  await popup.locator('details.claims-details summary').first().click();
  await openPopup(context, extensionId, tabId);

  expect(workerRequests).toEqual([]);
  expect(popupRequests.filter((url) => !url.startsWith(`chrome-extension://${extensionId}/`))).toEqual([]);

  // Control: the observer does see a request the worker makes (so the empty list above means something).
  const worker = context.serviceWorkers().at(-1)!;
  await worker.evaluate((url) => fetch(url).then(() => undefined), `${oidc.appOrigin}/control`);
  await expect.poll(() => workerRequests).toEqual([`${oidc.appOrigin}/control`]);

  const { session, local, sync } = await storedState(context, extensionId);
  expect(local).toEqual({});
  expect(sync).toEqual({});
  // The token response is in storage.session, as designed.
  expect(JSON.stringify(session)).toContain('access_token');
});

test("the page's other scripts never see captured data: window messages carry no token", async ({ context, oidcServer }) => {
  const oidc = await oidcServer();
  const page = await context.newPage();
  // A listener like an analytics or session-replay script would add, from the page's first script on.
  await page.addInitScript(() => {
    (window as unknown as { __seen: string[] }).__seen = [];
    window.addEventListener('message', (event) => (window as unknown as { __seen: string[] }).__seen.push(JSON.stringify(event.data)));
  });
  await page.goto(oidc.appUrl);
  await captureOne(page, '#signin', { status: 'signed-in' });
  const seen = await page.evaluate(() => (window as unknown as { __seen: string[] }).__seen.join('\n'));
  expect(seen).not.toContain('access_token');
  expect(seen).not.toContain('code_verifier');
  expect(seen).not.toContain('eyJ');
});
