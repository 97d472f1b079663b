/**
 * Firefox: a token call made from a page's `blob:` Web Worker (as Auth0's SPA SDK makes every /oauth/token call once
 * refresh tokens are on) is captured by the response filter, which sees a tab's dedicated workers' requests, and by
 * the page hook's worker hook: stored once, verified, byte-identical, under the page's tab; the worker gets what the
 * server sent.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { TOKEN_PATH } from '../../scripts/servers/globus.mjs';
import { storedExchanges, tabIdOf, waitFor } from './harness.js';
import { openSession, type Session } from './session.js';

const WORKER = `
self.onmessage = async (event) => {
  const body = new URLSearchParams({ grant_type: 'authorization_code', code: crypto.randomUUID(), client_id: 'app', code_verifier: 'v3rifier' });
  const response = await fetch(event.data, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body });
  self.postMessage({ status: response.status, text: await response.text(), protocol: self.location.protocol });
};`;

let session: Session;

before(async () => {
  session = await openSession();
});

after(async () => {
  await session?.close();
});

test('a blob: worker token call: captured by the filter and the worker hook, stored once, verified, bytes as sent', async () => {
  const { page, server, state } = session;
  const url = `${server.origin}${TOKEN_PATH}`;
  const read = await page.evaluate(
    (script, target) =>
      new Promise<{ status: number; text: string; protocol: string }>((resolve) => {
        const worker = new Worker(URL.createObjectURL(new Blob([script], { type: 'text/javascript' })));
        worker.onmessage = (event) => resolve(event.data);
        worker.postMessage(target);
      }),
    WORKER,
    url,
  );
  assert.equal(read.protocol, 'blob:');
  assert.equal(read.status, 200);
  const sent = server.responses.at(-1);
  assert.ok(sent);
  assert.equal(read.text, sent.body.toString('utf8'), 'the worker got what the server sent');

  const stored = await waitFor('the worker exchange from the filter and the worker hook', async () => {
    const same = (await storedExchanges(state)).filter((e) => e.exchange.response.body === sent.body.toString('utf8'));
    return same.some((e) => e.capture.seenBy.includes('filter') && e.capture.seenBy.includes('page-hook')) ? same : undefined;
  });
  assert.equal(stored.length, 1, 'stored once');
  assert.equal(stored[0]?.capture.verification, 'verified');
  assert.equal(stored[0]?.capture.tabId, await tabIdOf(state, server.pageUrl));
  assert.equal(stored[0]?.exchange.url, url);
});
