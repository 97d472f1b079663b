/**
 * tokenscope/playwright (from the sources) in a plain Chromium context, no extension: token calls from
 * a page's iframe, a popup, a dedicated worker and a service worker all reach the report through
 * Playwright's network events, each once.
 */
import { chromiumPath } from '../../scripts/lib/chromium.mjs';
import { send } from '../../scripts/lib/http.mjs';
import { type Globus, startGlobus, TOKEN_PATH } from '../../scripts/servers/globus.mjs';
import { expect, test } from '../../src/playwright/index.js';

test.use({ launchOptions: { executablePath: chromiumPath() }, tokenscopeFailOn: 'never' });

/** A token request from wherever this script runs, named by its client id; its body read, as every client does. */
const tokenCall = (clientId: string) =>
  `fetch('${TOKEN_PATH}', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=refresh_token&refresh_token=r&client_id=${clientId}' }).then((r) => r.json().then(() => r))`;

const PAGES: Record<string, [string, string]> = {
  '/': [
    'text/html',
    `<!doctype html><title>app</title><iframe src="/frame.html"></iframe>
<script>
window.fromWorker = () => new Promise((resolve) => { const worker = new Worker('/worker.js'); worker.onmessage = (e) => resolve(e.data); worker.postMessage('go'); });
window.fromServiceWorker = async () => {
  await navigator.serviceWorker.register('/sw.js');
  const registration = await navigator.serviceWorker.ready;
  return new Promise((resolve) => { navigator.serviceWorker.onmessage = (e) => resolve(e.data); registration.active.postMessage('go'); });
};
</script>`,
  ],
  '/frame.html': ['text/html', `<!doctype html><script>${tokenCall('frame')}</script>`],
  '/popup.html': [
    'text/html',
    `<!doctype html><title>popup</title><script>${tokenCall('popup')}.then(() => document.title = 'done')</script>`,
  ],
  '/worker.js': ['text/javascript', `onmessage = () => ${tokenCall('dedicated-worker')}.then((r) => postMessage(r.status));`],
  '/sw.js': [
    'text/javascript',
    `onmessage = (event) => event.waitUntil(${tokenCall('service-worker')}.then((r) => event.source.postMessage(r.status)));`,
  ],
};

let globus: Globus;
test.beforeAll(async () => {
  globus = await startGlobus({
    routes: (req, res, url) => {
      const page = PAGES[url.pathname];
      if (req.method !== 'GET' || !page) return false;
      send(res, 200, `${page[0]}; charset=utf-8`, page[1]);
      return true;
    },
  });
});
test.afterAll(async () => globus.close());

test('token calls from an iframe, a popup, a dedicated worker and a service worker are each in the report once', async ({
  page,
  tokenscope,
}) => {
  await page.goto(`${globus.origin}/`);
  const popupOpened = page.waitForEvent('popup');
  await page.evaluate(() => window.open('/popup.html'));
  await expect(await popupOpened).toHaveTitle('done');
  expect(await page.evaluate(() => (window as unknown as { fromWorker(): Promise<number> }).fromWorker())).toBe(200);
  expect(await page.evaluate(() => (window as unknown as { fromServiceWorker(): Promise<number> }).fromServiceWorker())).toBe(200);

  const clients = async () => (await tokenscope.report()).exchanges.map((exchange) => exchange.request.clientId).sort();
  await expect.poll(clients).toEqual(['dedicated-worker', 'frame', 'popup', 'service-worker']);
  const report = await tokenscope.report();
  expect(report.exchanges.every((exchange) => exchange.source === 'playwright' && exchange.status === 200)).toBe(true);
  expect(report.summary.tokens).toBeGreaterThanOrEqual(4);
});
