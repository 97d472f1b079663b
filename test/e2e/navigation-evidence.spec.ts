/**
 * Navigation evidence only from watched origins (issue 23), with the optional webNavigation permission (granted in the
 * test build): an iframe of a site not watched that navigates itself to an authorization request, and a tab a watched
 * page opened by a plain link, add no sign-in step to the watched tab; a linked tab that calls
 * `window.open(authorize URL)` files that step under itself. Each test also runs the honest case beside the attack (the
 * app's own iframe, the app's own `window.open` popup), so a step that is not there is not there for want of a path.
 */
import { createServer, type Server } from 'node:http';
import type { BrowserContext, Page } from '@playwright/test';
import { closeServer, listen } from '../../scripts/lib/http.mjs';
import { SIGN_IN_STEPS_KEY } from '../../src/background/sign-in-log.js';
import { setSiteAccess, storedState, tabIdOf, openTab } from '../support/harness.js';
import { expect, test as base } from '../support/fixtures.js';

/** An authorization request of client `client` at the provider (a site not watched). */
const authorize = (provider: string, client: string) =>
  `${provider}/authorize?response_type=code&client_id=${client}&redirect_uri=${encodeURIComponent(`${provider}/cb`)}&state=s`;

async function startServer(): Promise<{ app: string; other: string; close(): Promise<void> }> {
  let other = '';
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://x');
    request.resume();
    const html = (body: string) => response.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html>${body}`);
    if (url.pathname === '/app') html('<title>app</title><a id="link" href="/linked" target="_blank">docs</a>');
    else if (url.pathname === '/linked') html('<title>linked</title>');
    else if (url.pathname === '/ad')
      // An ad on another site, in the app's page: it sends itself to an authorization request of its own.
      html(`<title>ad</title><script>location.href = ${JSON.stringify(authorize(other, 'ad-client'))};</script>`);
    else html(`<title>${url.pathname}</title>`);
  });
  const port = await listen(server);
  other = `http://localhost:${port}`;
  return { app: `http://127.0.0.1:${port}`, other, close: () => closeServer(server) };
}

/** The app's page in a tab: its server started, site access set to 127.0.0.1 only. */
const test = base.extend<{ watchedApp: { server: Awaited<ReturnType<typeof startServer>>; page: Page; tabId: number } }>({
  watchedApp: async ({ context, extensionId, served }, use) => {
    const server = await served(startServer());
    await setSiteAccess(context, extensionId, ['http://127.0.0.1/*']);
    await use({ server, ...(await openTab(context, extensionId, `${server.app}/app`)) });
  },
});

/** The steps stored for a tab, as text (client ids are what the tests look for). */
async function stepsOf(context: BrowserContext, extensionId: string, tabId: number): Promise<string> {
  return JSON.stringify((await storedState(context, extensionId)).session[`${SIGN_IN_STEPS_KEY}:${tabId}`] ?? []);
}

test("an iframe of a site not watched navigating itself to an authorization request adds nothing to the watched tab; the app's own iframe does", async ({
  context,
  extensionId,
  watchedApp: { server, page, tabId },
}) => {
  // The ad's frame loads, then navigates itself to its authorization request (the server answers it: a page).
  const adRequest = page.waitForRequest((request) => request.url().includes('client_id=ad-client'));
  await page.evaluate((src) => {
    const frame = document.createElement('iframe');
    frame.src = src;
    document.body.append(frame);
  }, `${server.other}/ad`);
  await adRequest;
  // The honest case, after it: the app's own hidden iframe sent to its provider (silent renew).
  await page.evaluate(
    (src) => {
      const frame = document.createElement('iframe');
      document.body.append(frame);
      frame.contentWindow?.location.replace(src);
    },
    authorize(server.other, 'app-client'),
  );
  await expect.poll(() => stepsOf(context, extensionId, tabId)).toContain('app-client');
  expect(await stepsOf(context, extensionId, tabId)).not.toContain('ad-client');
});

test("a tab the watched page opened by a plain link is no login popup of it; that tab's own window.open(authorize URL) is its own step", async ({
  context,
  extensionId,
  watchedApp: { server, page: app, tabId: appTab },
}) => {
  // A plain link opens a watched page in a new tab (the browser names the app's tab as its opener).
  const [linked] = await Promise.all([context.waitForEvent('page'), app.click('#link')]);
  await linked.waitForLoadState();
  const linkedTab = await tabIdOf(context, extensionId, linked);
  // That tab opens an authorization request with window.open (its page hook sees the call), then sends itself to one
  // (the browser's navigation record sees it).
  const [popup] = await Promise.all([
    context.waitForEvent('page'),
    linked.evaluate((url) => void window.open(url, 'login', 'popup'), authorize(server.other, 'linked-window-open')),
  ]);
  await popup.waitForURL(/linked-window-open/);
  await linked.evaluate(
    (url) => {
      location.href = url;
    },
    authorize(server.other, 'linked-navigates'),
  );
  await linked.waitForURL(/linked-navigates/);

  // The honest case: the app's own login popup, opened blank and then sent to the provider (as oidc-client-ts does).
  const [appPopup] = await Promise.all([
    context.waitForEvent('page'),
    app.evaluate(
      (url) => {
        const opened = window.open('', 'app-login', 'popup');
        if (opened) opened.location.href = url;
      },
      authorize(server.other, 'app-popup'),
    ),
  ]);
  await appPopup.waitForURL(/app-popup/);

  await expect.poll(() => stepsOf(context, extensionId, appTab)).toContain('app-popup');
  await expect.poll(() => stepsOf(context, extensionId, linkedTab)).toContain('linked-window-open');
  await expect.poll(() => stepsOf(context, extensionId, linkedTab)).toContain('linked-navigates');
  const appSteps = await stepsOf(context, extensionId, appTab);
  expect(appSteps, "the linked tab's navigation is not the app's").not.toContain('linked-navigates');
  expect(appSteps, "the linked tab's window.open is not the app's").not.toContain('linked-window-open');
  expect(linkedTab).not.toBe(appTab);
});
