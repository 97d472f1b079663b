/**
 * Token calls from the other contexts a watched page can start: a shared worker (from a URL and from a Blob), the
 * site's service worker (a call of its own, and a page fetch it answers with one), and a login popup window. Each
 * answers the page the same with and without the hook; what is captured, and what is said instead where nothing can
 * be read (the "seen, not readable" state), is stated here (docs/ARCHITECTURE.md "Workers, frames and popups").
 */
import { createServer, type Server } from 'node:http';
import { closeServer, listen } from '../../scripts/lib/http.mjs';
import { openPopup, setSiteAccess, storedExchanges, storedState, tabIdOf, openTab } from '../support/harness.js';
import { expect, test } from '../support/fixtures.js';

const TOKEN_CALL = (from: string) =>
  `fetch(self.location.origin + '/oauth/token?from=${from}', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials&client_id=${from}' }).then((r) => r.text())`;

const SHARED_WORKER = (from: string) =>
  `onconnect = (event) => { const port = event.ports[0]; ${TOKEN_CALL(from)}.then((t) => port.postMessage(t)); };`;

const SERVICE_WORKER = `
self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(clients.claim()));
self.addEventListener('message', (event) => { ${TOKEN_CALL('service-worker')}.then((t) => event.source.postMessage(t)); });
self.addEventListener('fetch', (event) => {
  if (new URL(event.request.url).pathname === '/api/session') event.respondWith(${TOKEN_CALL('service-worker-fetch')}.then((t) => new Response(t)));
});`;

const POPUP = `<!doctype html><title>login</title><script>${TOKEN_CALL('popup')}.then((t) => { opener.postMessage({ popup: t }, '*'); window.close(); });</script>`;

async function startServer(): Promise<{ origin: string; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://x');
    request.resume();
    request.on('end', () => {
      const script = { 'content-type': 'text/javascript' };
      if (url.pathname === '/page') response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>contexts</title>');
      else if (url.pathname === '/shared.js') response.writeHead(200, script).end(SHARED_WORKER('shared-worker'));
      else if (url.pathname === '/sw.js') response.writeHead(200, script).end(SERVICE_WORKER);
      else if (url.pathname === '/popup') response.writeHead(200, { 'content-type': 'text/html' }).end(POPUP);
      else if (url.pathname === '/oauth/token')
        response
          .writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' })
          .end(JSON.stringify({ access_token: `ctx-${url.searchParams.get('from')}`, token_type: 'Bearer', expires_in: 60 }));
      else response.writeHead(404).end();
    });
  });
  return { origin: `http://127.0.0.1:${await listen(server)}`, close: () => closeServer(server) };
}

/** Runs in the page: each context's token call, and what the page gets back. */
async function battery(args: { blobShared: string }): Promise<Record<string, unknown>> {
  const viaPort = (worker: SharedWorker) =>
    new Promise<unknown>((resolve) => {
      worker.port.onmessage = (event) => resolve(event.data);
      worker.port.start();
    });
  const out: Record<string, unknown> = {};
  const shared = new SharedWorker('/shared.js');
  out.sharedConstructor = shared.constructor === SharedWorker && String(SharedWorker);
  out.shared = await viaPort(shared);
  out.blobShared = await viaPort(new SharedWorker(URL.createObjectURL(new Blob([args.blobShared], { type: 'text/javascript' }))));
  out.registerString = String(navigator.serviceWorker.register);
  const registration = await navigator.serviceWorker.register('/sw.js');
  out.scope = new URL(registration.scope).pathname;
  await navigator.serviceWorker.ready;
  if (!navigator.serviceWorker.controller)
    await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
  out.serviceWorker = await new Promise((resolve) => {
    navigator.serviceWorker.addEventListener('message', (event) => resolve(event.data), { once: true });
    navigator.serviceWorker.controller?.postMessage('token');
  });
  out.serviceWorkerFetch = await fetch('/api/session').then((r) => r.text());
  out.popup = await new Promise((resolve) => {
    addEventListener('message', (event) => resolve(event.data.popup), { once: true });
    open('/popup', 'login', 'popup,width=420,height=480');
  });
  return out;
}

test('shared workers, the service worker and a login popup answer alike; the popup is captured under its opener, the workers are said', async ({
  context,
  extensionId,
  served,
}) => {
  const server = await served(startServer());
  await setSiteAccess(context, extensionId, ['http://127.0.0.1/*']);
  // Before the site's service worker exists: tabIdOf asks the newest worker of the context.
  const { page: watched, tabId } = await openTab(context, extensionId, `${server.origin}/page`);
  const unwatchedOrigin = server.origin.replace('127.0.0.1', 'localhost');
  const unwatched = await context.newPage();
  await unwatched.goto(`${unwatchedOrigin}/page`);
  const args = { blobShared: SHARED_WORKER('blob-shared-worker') };
  const withHook = await watched.evaluate(battery, args);
  expect(withHook).toEqual(await unwatched.evaluate(battery, args));
  expect(withHook).toMatchObject({
    sharedConstructor: 'function SharedWorker() { [native code] }',
    registerString: 'function register() { [native code] }',
    shared: expect.stringContaining('ctx-shared-worker'),
    serviceWorker: expect.stringContaining('ctx-service-worker'),
    serviceWorkerFetch: expect.stringContaining('ctx-service-worker-fetch'),
    popup: expect.stringContaining('ctx-popup'),
  });

  const session = async () => (await storedState(context, extensionId)).session;
  // The popup's own token call, filed under the tab that opened it (the popup window is gone by now).
  await expect
    .poll(async () =>
      (await storedExchanges(context, extensionId)).map(
        (e) => `${e.capture.tabId === tabId ? 'opener' : e.capture.tabId} ${new URL(e.exchange.url).searchParams.get('from')}`,
      ),
    )
    .toEqual(['opener popup']);
  // The workers' calls are not readable here: the contexts are said, by script, once each.
  const contexts = async () =>
    ((await session()).unreadTokens as Array<{ tabId: number; unread: { kind: string; context: string; where: string } }> | undefined)
      ?.filter((u) => u.tabId === tabId)
      .map((u) => `${u.unread.kind} ${u.unread.context} ${u.unread.where.replace(server.origin, '')}`)
      .sort();
  await expect.poll(contexts).toEqual(['context service-worker /sw.js', 'context shared-worker /shared.js', 'context shared-worker blob:']);

  const popup = await openPopup(context, extensionId, tabId);
  await expect(popup.locator('body')).toContainText('This page runs contexts whose token calls Tokenscope cannot see in this browser');
  await expect(popup.locator('body')).toContainText(`a shared worker (${server.origin}/shared.js)`);
  await expect(popup.locator('body')).toContainText(`the site's service worker (${server.origin}/sw.js)`);
});

test('a token request made before the site was watched is said as seen, not readable, with where it went', async ({
  context,
  extensionId,
  served,
}) => {
  const server = await served(startServer());
  await setSiteAccess(context, extensionId, []);
  const page = await context.newPage();
  await page.goto(`${server.origin}/page`);
  expect(await page.evaluate(TOKEN_CALL('before'))).toContain('ctx-before');
  const tabId = await tabIdOf(context, extensionId, page);
  // The user allows the site now: the hook and relay are injected into the open tab, too late for that response.
  await setSiteAccess(context, extensionId, ['http://127.0.0.1/*']);
  const popup = await openPopup(context, extensionId, tabId);
  await expect(popup.locator('body')).toContainText('Seen, not readable: a token request of this tab', { timeout: 15_000 });
  await expect(popup.locator('body')).toContainText(`${server.origin}/oauth/token at`);
  await expect(popup.locator('body')).toContainText('before Tokenscope watched it');
  await expect(popup.locator('body')).not.toContainText('No token exchange seen');
  const { session } = await storedState(context, extensionId);
  expect(JSON.stringify(session)).not.toContain('from=before');
});
