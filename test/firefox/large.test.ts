/**
 * Firefox: large token responses through filterResponseData. A ~430 KB answer
 * reaches the page byte for byte while the store notes it was over the size
 * limit; a ~200 KB answer full of multi-byte characters, cut across many
 * chunks, is stored byte-identical.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'puppeteer-core';
import { PAGE_LIMITS } from '../../src/core/limits.js';
import { type ExtensionPage, storedExchanges, waitFor } from './harness.js';
import { BIG_TOKEN_PATH, type Proxied, sha256 } from './servers.js';
import { openSession, type Session } from './session.js';

interface Received {
  status: number;
  length: number;
  digest: string;
  text: string | null;
}

/** POST a code exchange from the page's own world (fetch or XHR) and report what the page received. */
function exchangeFromPage(page: Page, via: 'fetch' | 'xhr', path: string, keepText: boolean): Promise<Received> {
  return page.evaluate(
    async (how, target, keep) => {
      const body = new URLSearchParams({
        grant_type: 'authorization_code',
        code: 'c0de',
        client_id: 'a1b2c3d4-0000-4000-8000-00000000c11e',
        code_verifier: 'v3rifier',
      }).toString();
      const headers = { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' };
      let status: number;
      let buffer: ArrayBuffer;
      if (how === 'fetch') {
        const res = await fetch(target, { method: 'POST', headers, body });
        status = res.status;
        buffer = await res.arrayBuffer();
      } else {
        ({ status, buffer } = await new Promise<{ status: number; buffer: ArrayBuffer }>((resolve, reject) => {
          const xhr = new XMLHttpRequest();
          xhr.open('POST', target);
          for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
          xhr.responseType = 'arraybuffer';
          xhr.onload = () => resolve({ status: xhr.status, buffer: xhr.response as ArrayBuffer });
          xhr.onerror = () => reject(new Error('network error'));
          xhr.send(body);
        }));
      }
      const digest = [...new Uint8Array(await crypto.subtle.digest('SHA-256', buffer))]
        .map((b) => b.toString(16).padStart(2, '0'))
        .join('');
      return { status, length: buffer.byteLength, digest, text: keep ? new TextDecoder().decode(buffer) : null };
    },
    via,
    path,
    keepText,
  );
}

describe('Firefox: large token responses through filterResponseData', () => {
  let session: Session;
  let server: Proxied;
  let page: Page;
  let state: ExtensionPage;

  before(async () => {
    session = await openSession();
    ({ server, page, state } = session);
  });

  after(async () => {
    await session?.close();
  });

  for (const via of ['fetch', 'xhr'] as const) {
    test(`~430 KB via ${via}: the page gets every byte; the store notes the body was over the size limit`, async () => {
      const path = `${BIG_TOKEN_PATH}?bytes=430000&via=${via}`;
      const received = await exchangeFromPage(page, via, path, false);
      const sent = server.responses.at(-1);
      assert.ok(sent);
      assert.ok(sent.url.endsWith(path));
      assert.ok(sent.body.length > 420_000 && sent.body.length > PAGE_LIMITS.responseBody);
      assert.equal(received.status, 200);
      assert.equal(received.length, sent.body.length);
      assert.equal(received.digest, sha256(sent.body), 'the page got exactly what the server sent');

      const filtered = await waitFor('the filter to store the exchange', async () =>
        (await storedExchanges(state)).find((e) => e.exchange.url === sent.url && e.capture.seenBy.includes('filter')),
      );
      assert.equal(filtered.exchange.response.body, null, 'no body kept past the limit');
      assert.match(filtered.exchange.response.bodyNote ?? '', /over the size limit/);
      // The network filter's report is the exchange of record whichever source reported first: its note has the size.
      assert.match(filtered.exchange.response.bodyNote ?? '', new RegExp(`${sent.body.length} bytes`));
      assert.equal(filtered.capture.verification, 'verified');
      assert.equal(filtered.exchange.status, 200);
    });
  }

  test('~200 KB of multi-byte characters in many chunks: stored byte-identical, once, by both sources', async () => {
    const path = `${BIG_TOKEN_PATH}?bytes=200000`;
    const received = await exchangeFromPage(page, 'fetch', path, true);
    const sent = server.responses.at(-1);
    assert.ok(sent);
    assert.ok(sent.url.endsWith(path));
    assert.ok(sent.body.length < PAGE_LIMITS.responseBody);
    assert.equal(received.digest, sha256(sent.body), 'the page got exactly what the server sent');
    assert.ok(Buffer.from(received.text ?? '', 'utf8').equals(sent.body));

    const text = sent.body.toString('utf8');
    const stored = await waitFor('the exchange seen by the filter and the page hook', async () => {
      const same = (await storedExchanges(state)).filter((e) => e.exchange.url === sent.url);
      return same.some((e) => e.capture.seenBy.includes('filter') && e.capture.seenBy.includes('page-hook')) ? same : undefined;
    });
    assert.equal(stored.length, 1, 'stored once');
    assert.equal(stored[0]?.exchange.response.body, text);
    assert.ok(Buffer.from(stored[0]?.exchange.response.body ?? '', 'utf8').equals(sent.body), 'byte-identical after decoding once');
  });
});
