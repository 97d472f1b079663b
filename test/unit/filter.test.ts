/** Firefox's filterResponseData adapter, with a small fake of the stream filter and of `browser` (filter-fake.ts). */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Runtime } from 'webextension-polyfill';
import { handleMessage } from '../../src/background/dispatch.js';
import { BODY_OVER_LIMIT } from '../../src/background/filter.js';
import { exchangeKey } from '../../src/background/store.js';
import { PAGE_LIMITS } from '../../src/core/limits.js';
import { type PageExchange, toCapturedExchange } from '../../src/protocol/page-exchange.js';
import { APP, bytes, cut, EXT_ID, GLOBUS, latin1, ready, setup, TOKEN_URL } from './filter-fake.js';
import { until } from './until.js';

describe('filterResponseData capture', () => {
  test('not started where the browser has no filterResponseData (Chromium)', () => {
    assert.equal(setup({ withoutApi: true }), null);
  });

  test('one blocking listener with the request body, on every URL (the browser limits it to granted hosts)', async () => {
    const fake = await ready();
    assert.deepEqual(fake.beforeRequest.spec, ['blocking', 'requestBody']);
    assert.deepEqual(fake.beforeRequest.filter.urls, ['<all_urls>']);
    assert.ok(fake.beforeRequest.filter.types?.includes('xmlhttprequest'));
  });

  test('chunks pass through unchanged and in order; the exchange is stored once the stream ends', async () => {
    const fake = await ready();
    const { id, result, filter } = fake.request();
    assert.equal(result, undefined, 'decided synchronously');
    assert.ok(filter);
    fake.sendHeaders(id, [
      { name: 'Content-Type', value: 'application/x-www-form-urlencoded' },
      { name: 'Authorization', value: 'Basic YzExZTpzZWNyZXQ=' },
      { name: 'Cookie', value: 'session=1' },
    ]);
    fake.headers(id);
    const body = bytes(GLOBUS);
    const chunks = cut(body, 1, 10, 100);
    filter.deliver(chunks, false);
    assert.deepEqual(filter.calls, ['write', 'write', 'write', 'write'], 'each chunk written as it came');
    assert.deepEqual(
      filter.written.map((chunk) => Buffer.from(chunk).toString('hex')),
      chunks.map((chunk) => Buffer.from(chunk).toString('hex')),
    );
    assert.equal(fake.capture.pending(), 1);
    filter.onstop?.({});
    assert.deepEqual(filter.calls.slice(-1), ['close']);
    assert.ok(filter.output().equals(Buffer.from(body)));

    const [stored, ...rest] = await fake.stored();
    assert.equal(rest.length, 0);
    assert.ok(stored);
    assert.equal(fake.capture.pending(), 0);
    assert.deepEqual(stored.capture, { tabId: 7, site: 'http://127.0.0.1:3000', seenBy: ['filter'], verification: 'verified' });
    assert.equal(stored.exchange.source, 'filter');
    assert.equal(stored.exchange.url, TOKEN_URL);
    assert.equal(stored.exchange.method, 'POST');
    assert.equal(stored.exchange.status, 200);
    assert.equal(stored.exchange.startedAt, '2026-01-10T10:00:00.000Z');
    assert.equal(stored.exchange.response.contentType, 'application/json');
    assert.equal(stored.exchange.response.body, GLOBUS);
    assert.equal(stored.exchange.request.body, 'grant_type=authorization_code&code=abc&client_id=c11e');
    assert.deepEqual(stored.exchange.request.headers, {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: 'Basic YzExZTpzZWNyZXQ=',
    });
    assert.equal(stored.key, exchangeKey(stored.exchange));
  });

  test('UTF-8 characters cut across chunks decode whole (bytes joined, decoded once)', async () => {
    const fake = await ready();
    const text = JSON.stringify({ access_token: 'AT', note: 'é€😀 Grüße, 東京' });
    const encoded = bytes(text);
    const { id, filter } = fake.request();
    assert.ok(filter);
    fake.headers(id);
    // One byte at a time: every multi-byte character is cut.
    filter.deliver([...encoded].map((byte) => Uint8Array.of(byte)));
    assert.ok(filter.output().equals(Buffer.from(encoded)));
    const [stored] = await fake.stored();
    assert.equal(stored?.exchange.response.body, text);
  });

  test("decoded with the response's charset: ISO-8859-1 bytes give the text the server meant", async () => {
    const fake = await ready();
    const text = JSON.stringify({ access_token: 'AT', token_type: 'Bearer', name: 'café Grüße ±' });
    const encoded = latin1(text);
    assert.ok(encoded.includes(0xe9) && !encoded.includes(0xc3), 'one byte per character, é as 0xE9');
    const { id, filter } = fake.request();
    assert.ok(filter);
    fake.headers(id, 200, 'application/json; charset=iso-8859-1');
    filter.deliver(cut(encoded, 5, 30));
    assert.ok(filter.output().equals(encoded), 'the page gets the bytes unchanged');
    const [stored] = await fake.stored();
    assert.equal(stored?.exchange.response.body, text);
    assert.equal(stored?.exchange.response.contentType, 'application/json; charset=iso-8859-1');
  });

  test('the charset once the headers arrive after the stream ended; quoted, any case', async () => {
    const fake = await ready();
    const text = '{"access_token":"AT","name":"café"}';
    const { id, filter } = fake.request();
    assert.ok(filter);
    filter.deliver([latin1(text)]);
    fake.headers(id, 200, 'application/json;Charset="ISO-8859-1"');
    const [stored] = await fake.stored();
    assert.equal(stored?.exchange.response.body, text);
  });

  test('an unknown charset label, or none: UTF-8, never an error', async () => {
    for (const contentType of [
      'application/json; charset=x-no-such-charset',
      'application/json; charset=replacement',
      'application/json; charset=',
      'application/json',
    ]) {
      const fake = await ready();
      const text = JSON.stringify({ access_token: 'AT', name: 'café 東京 😀' });
      const { id, filter } = fake.request();
      assert.ok(filter);
      fake.headers(id, 200, contentType);
      filter.deliver(cut(bytes(text), 3));
      const [stored] = await fake.stored();
      assert.equal(stored?.exchange.response.body, text, contentType);
    }
  });

  test('a byte order mark wins over the charset (as for XHR)', async () => {
    const fake = await ready();
    const text = '{"access_token":"AT","name":"café"}';
    const { id, filter } = fake.request();
    assert.ok(filter);
    fake.headers(id, 200, 'application/json; charset=iso-8859-1');
    filter.deliver([Uint8Array.of(0xef, 0xbb, 0xbf), bytes(text)]);
    const [stored] = await fake.stored();
    assert.equal(stored?.exchange.response.body, text);
  });

  test('past the size limit: every byte still reaches the page, none is kept, and the exchange says why', async () => {
    const fake = await ready();
    const { id, filter } = fake.request();
    assert.ok(filter);
    fake.headers(id);
    const body = new Uint8Array(PAGE_LIMITS.responseBody + 40_000).fill(0x61);
    const chunks = cut(body, 100_000, 100_000, 62_144, 1);
    filter.deliver(chunks);
    assert.equal(filter.calls.filter((call) => call === 'write').length, chunks.length);
    assert.ok(filter.output().equals(Buffer.from(body)), 'the page got every byte');
    const [stored] = await fake.stored();
    assert.equal(stored?.exchange.response.body, null);
    assert.ok(stored?.exchange.response.bodyNote?.startsWith(BODY_OVER_LIMIT));
    assert.match(stored?.exchange.response.bodyNote ?? '', new RegExp(`${body.length} bytes`));
  });

  test('exactly at the size limit: kept', async () => {
    const fake = await ready();
    const { id, filter } = fake.request();
    assert.ok(filter);
    fake.headers(id);
    const body = new Uint8Array(PAGE_LIMITS.responseBody).fill(0x62);
    filter.deliver(cut(body, 131_072));
    const [stored] = await fake.stored();
    assert.equal(stored?.exchange.response.body?.length, PAGE_LIMITS.responseBody);
  });

  test('non-candidates get no filter at all', async () => {
    const fake = await ready();
    const cases = [
      fake.request({ method: 'GET' }),
      fake.request({ url: 'http://127.0.0.1:4000/api/data', form: { name: ['x'] } }),
      fake.request({ url: 'http://127.0.0.1:4000/upload', requestBody: undefined }),
      fake.request({ tabId: -1 }), // Not from a tab (a service worker, the browser itself).
    ];
    for (const { result, filter } of cases) {
      assert.equal(filter, undefined);
      assert.equal(result, undefined);
    }
    assert.equal(fake.filters.size, 0);
    // A raw JSON body with grant_type, to another path, is a candidate.
    const json = fake.request({
      url: 'http://127.0.0.1:4000/auth/exchange',
      requestBody: { raw: [{ bytes: bytes('{"grant_type":"refresh_token"}').buffer }] },
    });
    assert.ok(json.filter);
  });

  test('unwatched hosts get no filter', async () => {
    const fake = await ready({ origins: ['http://127.0.0.1/*'] });
    const { filter, result } = fake.request({ url: 'https://auth.example.test/oauth2/token' });
    assert.equal(filter, undefined);
    assert.equal(result, undefined);
    assert.equal(fake.filters.size, 0);
  });

  test('a watched token endpoint called from an unwatched page gets no filter (a watched provider does not expose every app)', async () => {
    const fake = await ready();
    const { filter, result } = fake.request({
      documentUrl: 'https://unwatched-app.example.test/',
      originUrl: 'https://unwatched-app.example.test/',
    });
    assert.equal(filter, undefined);
    assert.equal(result, undefined);
  });

  test('a removed site stops capture at once; an added one starts once the list is read', async () => {
    const fake = await ready({ origins: ['http://127.0.0.1/*', 'https://auth.example.test/*'] });
    assert.ok(fake.request({ url: 'https://auth.example.test/oauth2/token' }).filter);
    fake.permissionsRemoved(['https://auth.example.test/*']);
    assert.equal(
      fake.request({ url: 'https://auth.example.test/oauth2/token' }).filter,
      undefined,
      'synchronously, before the list is read again',
    );
    assert.ok(fake.request().filter, 'the other site is still watched');

    fake.permissionsAdded(['https://login.example.test/*']);
    await until('the request filtered', () => fake.request({ url: 'https://login.example.test/oauth2/token' }).filter !== undefined);
  });

  test('a site removed while its response is on the way: the page gets it all, nothing is kept', async () => {
    const fake = await ready();
    const { id, filter } = fake.request();
    assert.ok(filter);
    fake.headers(id);
    filter.deliver([bytes(GLOBUS.slice(0, 20))], false);
    fake.permissionsRemoved(['http://127.0.0.1/*']);
    filter.deliver([bytes(GLOBUS.slice(20))]);
    assert.equal(filter.output().toString('utf8'), GLOBUS);
    assert.deepEqual(await fake.stored(), []);
    assert.equal(fake.capture.pending(), 0);
  });

  test('before the granted list is first read (a background just woken), a candidate waits for it, then is filtered', async () => {
    let release = () => {};
    const fake = setup({ holdGetAll: new Promise<void>((resolve) => (release = resolve)) });
    assert.ok(fake);
    const watched = fake.request();
    const unwatched = fake.request({ url: 'https://auth.example.test/oauth2/token' });
    const other = fake.request({ method: 'GET' });
    assert.ok(watched.result instanceof Promise, 'held: the listener returns a promise');
    assert.ok(unwatched.result instanceof Promise);
    assert.equal(other.result, undefined, 'a non-candidate is never held');
    assert.equal(watched.filter, undefined);
    release();
    assert.deepEqual(await watched.result, {});
    assert.deepEqual(await unwatched.result, {});
    assert.ok(fake.filters.get(watched.id));
    assert.equal(fake.filters.get(unwatched.id), undefined);
  });

  test('the stream ending before the response headers arrive: stored with the status once they do', async () => {
    const fake = await ready();
    const { id, filter } = fake.request();
    assert.ok(filter);
    filter.deliver([bytes(GLOBUS)]);
    assert.deepEqual(await fake.stored(), [], 'waits for the headers');
    fake.headers(id, 400, 'application/json; charset=utf-8');
    const [stored] = await fake.stored();
    assert.equal(stored?.exchange.status, 400);
    assert.equal(stored?.exchange.response.contentType, 'application/json; charset=utf-8');
  });

  test('no response headers at all: stored without a status after a short wait', async () => {
    const fake = await ready({ headersWaitMs: 30 });
    const { filter } = fake.request();
    assert.ok(filter);
    filter.deliver([bytes(GLOBUS)]);
    assert.deepEqual(await fake.stored(), []);
    const [stored] = await until('the exchange stored once the headers wait ends', async () => {
      const stored = await fake.stored();
      return stored.length > 0 ? stored : undefined;
    });
    assert.equal(stored?.exchange.status, null);
    assert.equal(stored?.exchange.response.body, GLOBUS);
  });

  test('a failed stream stores nothing and forgets the request', async () => {
    const fake = await ready();
    const { id, filter } = fake.request();
    assert.ok(filter);
    fake.headers(id);
    filter.deliver([bytes('{"access_')], false);
    filter.onerror?.({});
    assert.equal(fake.capture.pending(), 0);
    assert.deepEqual(await fake.stored(), []);
  });

  test('the same exchange from the page hook is stored once: both sources, verified', async () => {
    const fake = await ready();
    const { id, filter } = fake.request({ timeStamp: Date.now() });
    assert.ok(filter);
    fake.headers(id);
    filter.deliver(cut(bytes(GLOBUS), 17));
    const page: PageExchange = {
      url: TOKEN_URL,
      method: 'POST',
      status: 200,
      startedAt: new Date().toISOString(),
      requestBody: 'grant_type=authorization_code&code=abc&client_id=c11e',
      requestContentType: 'application/x-www-form-urlencoded',
      requestAuthorization: null,
      responseBody: GLOBUS,
      responseContentType: 'application/json',
      bodyNote: null,
    };
    assert.equal(exchangeKey(toCapturedExchange(page, 'page-hook')), (await fake.stored())[0]?.key, 'the same key from both sources');
    const sender: Runtime.MessageSender = { id: EXT_ID, tab: { id: 7, url: APP } as Runtime.MessageSender['tab'], url: APP, frameId: 0 };
    assert.deepEqual(await handleMessage(fake.deps, { type: 'page-exchange', exchange: page }, sender), { stored: true });
    const stored = await fake.stored();
    assert.equal(stored.length, 1);
    assert.deepEqual(stored[0]?.capture.seenBy, ['filter', 'page-hook']);
    assert.equal(stored[0]?.capture.verification, 'verified');
  });

  test('each capture is written as its stream ends, not behind the badge of the one before (no page side resends these)', async () => {
    const fake = await ready();
    let releaseBadge = () => {};
    const badgeHeld = new Promise<void>((resolve) => {
      releaseBadge = resolve;
    });
    (fake.deps.browser.action as unknown as { setBadgeText: () => Promise<void> }).setBadgeText = () => badgeHeld;
    const exchangeKeys = () => [...fake.area.data.keys()].filter((key) => key.startsWith('x:'));
    for (const token of ['first', 'second']) {
      const { id, filter } = fake.request();
      assert.ok(filter);
      fake.headers(id);
      filter.deliver([bytes(JSON.stringify({ access_token: token, token_type: 'Bearer' }))], false);
      filter.onstop?.({});
    }
    // The first capture's badge never finishes here; both are in storage all the same.
    // The worker's store writes in groups (store-batch.ts): wait on the condition, not on a number of turns.
    await until('both captures in storage', () => exchangeKeys().length === 2);
    releaseBadge();
    assert.equal((await fake.stored()).length, 2);
  });
});
