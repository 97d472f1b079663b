/**
 * PRIVACY.md's promise, measured: during the demo's whole sign-in (scripts/demo/servers.mjs: the Globus-shaped
 * sign-in server and app), an export of the report (JSON, with and without token values, and Markdown), its
 * import back, and a HAR import, every request made by the extension's own contexts (its worker, the popup, the
 * DevTools panel, and the import worker each import starts in the view) is recorded, and none goes anywhere
 * but the extension's own files. Each recorder is shown to work by a control request made from its context.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, CDPSession, Page } from '@playwright/test';
import { type Demo, startDemo } from '../../scripts/demo/servers.mjs';
import { openPopup } from '../support/harness.js';
import { captureOne, expect, test } from '../support/fixtures.js';

const HAR = join(import.meta.dirname, '../fixtures/har/chromium-sign-in.har');

/** The worker's requests, through CDP (Playwright reports no events for an extension's service worker). */
async function recordWorker(context: BrowserContext, page: Page, extensionId: string, into: string[]): Promise<CDPSession> {
  const cdp = await context.newCDPSession(page);
  const { targetInfos } = (await cdp.send('Target.getTargets')) as { targetInfos: Array<{ targetId: string; type: string; url: string }> };
  const target = targetInfos.find((t) => t.type === 'service_worker' && t.url.startsWith(`chrome-extension://${extensionId}/`));
  if (!target) throw new Error('the extension worker is not running');
  const { sessionId } = (await cdp.send('Target.attachToTarget', { targetId: target.targetId, flatten: false })) as { sessionId: string };
  let enabled = false;
  cdp.on('Target.receivedMessageFromTarget', (event: { sessionId: string; message: string }) => {
    if (event.sessionId !== sessionId) return;
    const message = JSON.parse(event.message) as { id?: number; method?: string; params?: { request?: { url: string } } };
    if (message.id === 1) enabled = true;
    if (message.method === 'Network.requestWillBeSent') into.push(message.params?.request?.url ?? '?');
  });
  await cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id: 1, method: 'Network.enable' }) });
  await expect.poll(() => enabled).toBe(true);
  return cdp;
}

/** An extension page's requests, its dedicated workers' (the import worker) included; and the workers it started. */
function recordPage(page: Page, into: string[], workers: string[]): void {
  page.on('request', (request) => into.push(request.url()));
  page.on('worker', (worker) => workers.push(worker.url()));
}

/** A control request from a dedicated worker the page starts, as the import worker is started: it must be recorded too. */
async function fetchFromPageWorker(page: Page, url: string): Promise<void> {
  await page.evaluate(
    (target) =>
      new Promise<void>((resolve) => {
        const source = `fetch(${JSON.stringify(target)}).finally(() => postMessage('done'))`;
        const worker = new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })));
        worker.onmessage = () => {
          worker.terminate();
          resolve();
        };
      }),
    url,
  );
}

test('no request beyond its own files from the worker, popup, panel or import worker: demo sign-in, export, import', async ({
  context,
  extensionId,
  served,
}) => {
  test.setTimeout(90_000);
  const own = (url: string) =>
    url.startsWith(`chrome-extension://${extensionId}/`) || url.startsWith(`blob:chrome-extension://${extensionId}/`);
  const demo: Demo = await served(startDemo());
  const recorded = { worker: [] as string[], popup: [] as string[], panel: [] as string[] };
  const importWorkers: string[] = [];
  const app = await context.newPage();
  await recordWorker(context, app, extensionId, recorded.worker);

  // The demo's whole sign-in: authorization request, consent, the code exchange, the token response captured.
  await app.goto(demo.appUrl);
  await app.click('#signin');
  const tabId = await captureOne(app, '#allow', { status: /^Signed in as/ });

  const popup = await context.newPage();
  recordPage(popup, recorded.popup, importWorkers);
  await popup.setViewportSize({ width: 600, height: 600 });
  await popup.goto(`chrome-extension://${extensionId}/popup.html?tab=${tabId}`);
  await expect(popup.locator('.finding.sev-high')).toHaveCount(1);
  // Export: JSON without and with token values, Markdown.
  const exported: string[] = [];
  for (const [name, withTokens] of [
    [/Export JSON/, false],
    [/Export JSON/, true],
    [/Export Markdown/, false],
  ] as const) {
    await popup.getByLabel('include token values').setChecked(withTokens);
    const download = popup.waitForEvent('download');
    await popup.getByRole('button', { name }).click();
    exported.push(readFileSync((await (await download).path()) as string, 'utf8'));
  }
  expect(JSON.parse(exported[1] ?? '{}').tool).toBe('tokenscope');
  // Import: the exported report back, then a HAR, each read by an import worker of the popup.
  await popup
    .locator('input[type=file]')
    .setInputFiles({ name: 'report.json', mimeType: 'application/json', buffer: Buffer.from(exported[1] ?? '') });
  await expect(popup.locator('.site')).toHaveText('Imported: report.json');
  await expect(popup.locator('.finding.sev-high')).toHaveCount(1);
  await popup.locator('input[type=file]').setInputFiles(HAR);
  await expect(popup.locator('.site')).toHaveText('Imported: chromium-sign-in.har');
  await expect(popup.locator('article.exchange')).toHaveCount(3);
  expect(importWorkers.filter((url) => url.endsWith('/import-worker.js'))).toHaveLength(2);

  // The DevTools panel for the app's tab, as the DevTools front end shows it; and an import there too.
  const panel = await context.newPage();
  recordPage(panel, recorded.panel, importWorkers);
  await panel.setViewportSize({ width: 1000, height: 700 });
  await panel.goto(`chrome-extension://${extensionId}/panel.html?tab=${tabId}`);
  await expect(panel.getByRole('option')).toHaveCount(2);
  await panel.getByRole('option').first().click();
  await expect(panel.locator('.finding.sev-high').first()).toBeVisible();
  await panel.locator('input[type=file]').setInputFiles(HAR);
  await expect(panel.locator('.site')).toContainText('chromium-sign-in.har');
  expect(importWorkers.filter((url) => url.endsWith('/import-worker.js'))).toHaveLength(3);
  await openPopup(context, extensionId, tabId);

  // Nothing beyond the extension's own files, from any of them.
  for (const [where, urls] of Object.entries(recorded)) {
    expect(urls.length, `${where} loaded its own files at least`).toBeGreaterThan(where === 'worker' ? -1 : 0);
    expect(
      urls.filter((url) => !own(url)),
      `${where}: requests beyond the extension's own files`,
    ).toEqual([]);
  }

  // Controls: a request from each context is seen by its recorder, so the empty lists above mean something.
  const control = (where: string) => `${demo.appOrigin}/control-${where}`;
  const worker = [...context.serviceWorkers()].reverse().find((w) => w.url().startsWith(`chrome-extension://${extensionId}/`));
  await worker?.evaluate((url) => fetch(url).then(() => undefined), control('worker'));
  await expect.poll(() => recorded.worker).toContain(control('worker'));
  for (const [where, page] of [
    ['popup', popup],
    ['panel', panel],
  ] as const) {
    await fetchFromPageWorker(page, control(`${where}-worker`));
    await expect.poll(() => recorded[where]).toContain(control(`${where}-worker`));
  }
});
