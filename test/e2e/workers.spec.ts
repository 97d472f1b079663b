/**
 * Token calls from a page's dedicated Web Workers (src/content/worker-wrap.ts): a `blob:` worker, classic or
 * module, behaves exactly alike with and without the hook, and its token exchanges are captured under the
 * page's tab as page-reported (never verified). A same-origin URL worker is left untouched (not captured: named as a
 * context whose token calls are not seen).
 */
import { createServer, type Server } from 'node:http';
import { closeServer, listen } from '../../scripts/lib/http.mjs';
import { storedExchanges, storedState, tabIdOf } from '../support/harness.js';
import { expect, test } from '../support/fixtures.js';

let issued = 0;

/** What a worker does and reports: the same script for every kind of worker. */
const WORKER_SCRIPT = `
const form = 'grant_type=refresh_token&refresh_token=rt-1&client_id=app';
const report = async () => {
  const out = {
    protocol: self.location.protocol,
    fetchString: String(fetch),
    toStringString: Function.prototype.toString.call(Function.prototype.toString),
    keys: Object.getOwnPropertyNames(self).filter((k) => /token|scope/i.test(k)),
    hasXhr: typeof XMLHttpRequest,
  };
  const base = self.__origin;
  const response = await fetch(base + '/oauth/token', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form });
  out.fetch = { status: response.status, type: response.type, text: await response.text() };
  out.error = await fetch(base + '/oauth/token-error', { method: 'POST', body: form }).then(async (r) => ({ status: r.status, text: await r.text() }));
  if (typeof XMLHttpRequest !== 'undefined') {
    out.xhr = await new Promise((resolve) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', base + '/oauth/token');
      xhr.responseType = 'json';
      xhr.onloadend = () => resolve({ status: xhr.status, token: xhr.response && xhr.response.access_token });
      xhr.send(form);
    });
  }
  return out;
};
let messages = 0;
self.onmessage = async (event) => {
  messages++;
  self.__origin = event.data.origin;
  const out = await report();
  out.messagesSeen = messages;
  self.postMessage(out);
};
`;

async function startServer(): Promise<{ origin: string; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://x');
    request.resume();
    request.on('end', () => {
      const cors = { 'access-control-allow-origin': '*' };
      if (url.pathname === '/page') {
        response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>workers</title><p>workers</p>');
      } else if (url.pathname === '/worker.js') {
        response.writeHead(200, { 'content-type': 'text/javascript' }).end(WORKER_SCRIPT);
      } else if (url.pathname === '/oauth/token') {
        response.writeHead(200, { ...cors, 'content-type': 'application/json', 'cache-control': 'no-store' }).end(
          JSON.stringify({
            access_token: `worker-access-${String(++issued).padStart(6, '0')}`,
            token_type: 'Bearer',
            expires_in: 3600,
            scope: 'read',
          }),
        );
      } else if (url.pathname === '/oauth/token-error') {
        response.writeHead(400, { ...cors, 'content-type': 'application/json' }).end('{"error":"invalid_grant"}');
      } else {
        response.writeHead(404).end();
      }
    });
  });
  return { origin: `http://127.0.0.1:${await listen(server)}`, close: () => closeServer(server) };
}

/** Runs in the page: starts each kind of worker, and records what the page and the workers observe. */
async function battery(args: { script: string; origin: string }): Promise<Record<string, unknown>> {
  const run = (worker: Worker) =>
    new Promise<unknown>((resolve) => {
      worker.onmessage = (event) => {
        resolve(event.data);
        worker.terminate();
      };
      worker.onerror = (event) => resolve({ error: event.message });
      worker.postMessage({ origin: args.origin });
    });
  const out: Record<string, unknown> = {};
  const blobUrl = () => URL.createObjectURL(new Blob([args.script], { type: 'application/javascript' }));
  const classic = new Worker(blobUrl());
  out.constructorSame = classic.constructor === Worker && classic instanceof Worker;
  out.workerString = String(Worker);
  out.createObjectURLString = String(URL.createObjectURL);
  out.classic = await run(classic);
  // The page revokes its URL as soon as the worker is made: the worker still runs.
  const revoked = blobUrl();
  const early = new Worker(revoked);
  URL.revokeObjectURL(revoked);
  out.revoked = await run(early);
  out.module = await run(new Worker(blobUrl(), { type: 'module' }));
  out.sameOrigin = await run(new Worker('/worker.js'));
  out.throwing = await run(new Worker(URL.createObjectURL(new Blob(['throw new TypeError("boom")'], { type: 'text/javascript' }))));
  return out;
}

test('blob: workers behave alike with and without the hook; their token exchanges are captured, page-reported', async ({
  context,
  extensionId,
  watchedPair,
}) => {
  const { server, watched, unwatched, unwatchedOrigin } = await watchedPair(startServer(), '/page');

  const withHook = await watched.evaluate(battery, { script: WORKER_SCRIPT, origin: server.origin });
  const withoutHook = await unwatched.evaluate(battery, { script: WORKER_SCRIPT, origin: unwatchedOrigin });
  const normalize = (value: unknown) =>
    JSON.parse(
      JSON.stringify(value)
        .replaceAll('localhost', '127.0.0.1')
        .replace(/worker-access-\d+/g, 'worker-access-N'),
    );
  expect(normalize(withHook)).toEqual(normalize(withoutHook));
  // Spot checks that the battery observed what it meant to.
  expect(withHook.constructorSame).toBe(true);
  expect(withHook.workerString).toBe('function Worker() { [native code] }');
  const classic = withHook.classic as { protocol: string; fetchString: string; messagesSeen: number; xhr: { token: string } };
  expect(classic.protocol).toBe('blob:');
  expect(classic.fetchString).toBe('function fetch() { [native code] }');
  expect(classic.messagesSeen).toBe(1);
  expect(classic.xhr.token).toMatch(/^worker-access-\d+$/);
  expect((withHook.throwing as { error: string }).error).toContain('boom');

  const tabId = await tabIdOf(context, extensionId, watched);
  const stored = async () => (await storedExchanges(context, extensionId)).filter((e) => e.capture.tabId === tabId);
  // Classic and revoked-URL workers: fetch token, fetch error, XHR token each; the module worker the same
  // (XHR exists in module workers too). The same-origin URL worker is not hooked: its three calls are not captured.
  await expect.poll(async () => (await stored()).length).toBe(9);
  const list = await stored();
  expect(list.every((e) => e.capture.verification === 'page-reported')).toBe(true);
  expect(list.filter((e) => e.exchange.status === 200 && /worker-access-\d+/.test(e.exchange.response.body ?? '')).length).toBe(6);
  expect(list.filter((e) => e.exchange.status === 400).length).toBe(3);
  // The same-origin URL worker is named instead, as a context whose token calls are not seen.
  const contexts = ((await storedState(context, extensionId)).session.unreadTokens ?? []) as Array<{
    tabId: number;
    unread: { kind: string; context: string; where: string };
  }>;
  expect(contexts.filter((u) => u.tabId === tabId).map((u) => `${u.unread.context} ${u.unread.where}`)).toEqual([
    `worker ${server.origin}/worker.js`,
  ]);
});
