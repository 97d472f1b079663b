/** The worker's message handling: who may send what, and what each handler stores (fake `browser`, real store). */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Runtime } from 'webextension-polyfill';
import { handleMessage } from '../../src/background/dispatch.js';
import { viewState } from '../../src/background/tab-view.js';
import { PAGE_LIMITS } from '../../src/core/limits.js';
import type { ViewState } from '../../src/protocol/view-state.js';
import {
  EXT_ID,
  APP,
  APP_ORIGIN,
  setup,
  contentScript,
  popup,
  panel,
  tokenResponse,
  pageExchange,
  send,
  exchanges,
} from './worker-fake.js';

describe('page-exchange from our content script', () => {
  test('a token response on a watched site is stored under the sender tab as page-reported, and the badge counts it', async () => {
    const fake = setup();
    assert.deepEqual(await send(fake, { type: 'page-exchange', exchange: pageExchange() }, contentScript()), { stored: true });
    const list = await exchanges(fake);
    assert.equal(list.length, 1);
    assert.deepEqual(list[0]?.capture, { tabId: 7, site: APP_ORIGIN, seenBy: ['page-hook'], verification: 'page-reported' });
    assert.equal(list[0]?.exchange.source, 'page-hook');
    assert.equal(list[0]?.exchange.request.headers?.authorization, 'Basic YXBwOnNlY3JldA==');
    assert.equal(fake.badges.get(7), '1');
    assert.equal(fake.colors.get(7), '#b3261e');
    assert.equal(fake.badges.has(8), false);
    const view = await viewState(fake.deps, 7);
    assert.equal(view.report.summary.findings.high, 1);
    assert.ok(view.report.exchanges[0]?.findings.some((f) => f.rule === 'audience-beyond-server' && f.severity === 'high'));
  });

  test("with the relay's evidence (the document's resource timing holds the request), it is verified", async () => {
    const fake = setup();
    const message = { type: 'page-exchange', exchange: pageExchange(), seen: true };
    assert.deepEqual(await send(fake, message, contentScript()), { stored: true });
    assert.equal((await exchanges(fake))[0]?.capture.verification, 'verified');
  });

  test('evidence that is not exactly true leaves it page-reported', async () => {
    const fake = setup();
    for (const [i, seen] of ['true', 1, { seen: true }, null].entries())
      await send(fake, { type: 'page-exchange', exchange: pageExchange({ responseBody: tokenResponse(`e${i}`) }), seen }, contentScript());
    assert.deepEqual(
      (await exchanges(fake)).map((e) => e.capture.verification),
      ['page-reported', 'page-reported', 'page-reported', 'page-reported'],
    );
  });

  test('a capture resent with the same id is stored once and answered each time; another tab with that id is its own', async () => {
    const fake = setup();
    const captureId = 'a1b2c3d4e5f6a1b2c3d4e5f6';
    const message = { type: 'page-exchange', exchange: pageExchange(), captureId };
    assert.deepEqual(await send(fake, message, contentScript(7)), { stored: true });
    assert.deepEqual(await send(fake, message, contentScript(7)), { stored: true });
    assert.equal((await exchanges(fake)).length, 1);
    await send(fake, message, contentScript(8));
    assert.deepEqual(
      (await exchanges(fake)).map((e) => e.capture.tabId),
      [7, 8],
    );
  });

  test('two captures of identical exchanges with different ids are two exchanges', async () => {
    const fake = setup();
    const exchange = pageExchange();
    await send(fake, { type: 'page-exchange', exchange, captureId: 'a'.repeat(24) }, contentScript());
    await send(fake, { type: 'page-exchange', exchange, captureId: 'b'.repeat(24) }, contentScript());
    assert.equal((await exchanges(fake)).length, 2);
  });

  test('page-lost: the count of captures the relay gave up on becomes a note for that tab', async () => {
    const fake = setup();
    assert.deepEqual(await send(fake, { type: 'page-lost', count: 3, reason: 'x' }, contentScript(7)), { noted: true });
    assert.deepEqual(await send(fake, { type: 'page-lost', count: -1, reason: 'x' }, contentScript(7)), { noted: false });
    const { notes } = await fake.deps.store.read();
    assert.equal(notes.length, 1);
    assert.equal(notes[0]?.tabId, 7);
    assert.match(notes[0]?.message ?? '', /^3 captures from http:\/\/127\.0\.0\.1:3000 could not be delivered/);
  });

  test('a lower-case method from the page is stored upper-case', async () => {
    const fake = setup();
    await send(fake, { type: 'page-exchange', exchange: pageExchange({ method: 'post' }), seen: true }, contentScript());
    const [stored] = await exchanges(fake);
    assert.equal(stored?.exchange.method, 'POST');
    assert.equal(stored?.capture.verification, 'verified');
  });

  test('a request that is not a token exchange is not stored', async () => {
    const fake = setup();
    const reply = await send(
      fake,
      {
        type: 'page-exchange',
        exchange: pageExchange({ url: 'http://127.0.0.1:3000/api/items', requestBody: 'name=x', responseBody: '{"id":1}' }),
      },
      contentScript(),
    );
    assert.deepEqual(reply, { stored: false, reason: 'not a token exchange' });
    assert.equal((await exchanges(fake)).length, 0);
  });

  test('the page hook reporting the same answer twice is two exchanges (a client retrying gets the same error twice)', async () => {
    const fake = setup();
    const exchange = pageExchange({ responseBody: '{"error":"invalid_grant"}' });
    await send(fake, { type: 'page-exchange', exchange }, contentScript());
    await send(fake, { type: 'page-exchange', exchange }, contentScript());
    assert.equal((await exchanges(fake)).length, 2);
  });

  test('concurrent reports from several tabs lose nothing', async () => {
    const fake = setup({ tabs: { 1: APP, 2: APP, 3: APP } });
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        send(fake, { type: 'page-exchange', exchange: pageExchange({ responseBody: tokenResponse(`n${i}`) }) }, contentScript((i % 3) + 1)),
      ),
    );
    const list = await exchanges(fake);
    assert.equal(list.length, 12);
    for (const tabId of [1, 2, 3]) {
      assert.equal(list.filter((e) => e.capture.tabId === tabId).length, 4);
      assert.equal(fake.badges.get(tabId), '4');
    }
  });
});

describe('the tab and the site come from the sender, never from the message', () => {
  test('a tabId or site beside the exchange is ignored: stored under the sender tab and site', async () => {
    const fake = setup();
    assert.deepEqual(
      await send(fake, { type: 'page-exchange', tabId: 99, site: 'https://evil.example', exchange: pageExchange() }, contentScript()),
      { stored: true },
    );
    const list = await exchanges(fake);
    assert.equal(list.length, 1);
    assert.equal(list[0]?.capture.tabId, 7);
    assert.equal(list[0]?.capture.site, APP_ORIGIN);
    assert.equal(fake.badges.has(99), false);
  });

  for (const extra of [{ tabId: 99 }, { site: 'https://evil.example' }, { capture: { tabId: 99 } }, { verification: 'verified' }]) {
    test(`an exchange carrying ${Object.keys(extra)[0]} is refused as extra fields`, async () => {
      const fake = setup();
      const reply = (await send(fake, { type: 'page-exchange', exchange: { ...pageExchange(), ...extra } }, contentScript())) as {
        stored: boolean;
        reason?: string;
      };
      assert.equal(reply.stored, false);
      assert.match(reply.reason ?? '', /^unexpected fields: /);
      assert.equal((await exchanges(fake)).length, 0);
      assert.deepEqual((await viewState(fake.deps, 7)).notes, []);
    });
  }

  test('a content script sender from a frame of another page keeps its own tab', async () => {
    const fake = setup();
    await send(fake, { type: 'page-exchange', exchange: pageExchange() }, contentScript(8, 'http://127.0.0.1:5000/frame'));
    const [stored] = await exchanges(fake);
    assert.equal(stored?.capture.tabId, 8);
    assert.equal(stored?.capture.site, 'http://127.0.0.1:5000');
  });
});

describe('who may send what', () => {
  test('a site that is not watched is not stored', async () => {
    const fake = setup();
    const reply = await send(
      fake,
      { type: 'page-exchange', exchange: pageExchange() },
      contentScript(7, 'https://unwatched.example.test/app'),
    );
    assert.deepEqual(reply, { stored: false, reason: 'site not watched' });
    assert.equal((await exchanges(fake)).length, 0);
    assert.equal(fake.badges.size, 0);
    assert.deepEqual(
      await send(fake, { type: 'page-refused', reason: 'x', size: 1e6 }, contentScript(7, 'https://unwatched.example.test/app')),
      { noted: false },
    );
    assert.deepEqual((await fake.deps.store.read()).notes, []);
  });

  test('removing the site stops capture at once', async () => {
    const fake = setup();
    assert.deepEqual(await send(fake, { type: 'page-exchange', exchange: pageExchange() }, contentScript()), { stored: true });
    fake.revoke(['http://127.0.0.1/*']);
    assert.deepEqual(
      await send(fake, { type: 'page-exchange', exchange: pageExchange({ responseBody: tokenResponse('later') }) }, contentScript()),
      { stored: false, reason: 'site not watched' },
    );
    assert.equal((await exchanges(fake)).length, 1);
  });

  test("with the worker's kept list of granted sites: a removal stops capture at once, a grant starts it", async () => {
    const fake = setup({ origins: [] });
    const bodies = new Map<string, string>();
    const report = (n: string) => {
      bodies.set(n, tokenResponse(n));
      return send(fake, { type: 'page-exchange', exchange: pageExchange({ responseBody: bodies.get(n) }) }, contentScript());
    };
    assert.deepEqual(await report('before'), { stored: false, reason: 'site not watched' });
    fake.grant(['http://127.0.0.1/*']);
    assert.deepEqual(await report('granted'), { stored: true });
    fake.revoke(['http://127.0.0.1/*']);
    assert.deepEqual(await report('removed'), { stored: false, reason: 'site not watched' });
    const stored = await exchanges(fake);
    assert.equal(stored.length, 1, 'only the capture made while granted');
    assert.equal(stored[0]?.exchange.response.body, bodies.get('granted'));
  });

  test('another extension is ignored', () => {
    const fake = setup();
    const other = { ...contentScript(), id: 'someotherextension' };
    for (const message of [
      { type: 'page-exchange', exchange: pageExchange() },
      { type: 'page-refused', reason: 'x', size: 1 },
      { type: 'get-view', tabId: 7 },
      { type: 'clear', tabId: null },
      { type: 'devtools-exchange', tabId: 7, exchange: pageExchange() },
    ]) {
      assert.equal(handleMessage(fake.deps, message, other), undefined, message.type);
      assert.equal(
        handleMessage(fake.deps, message, { id: 'someotherextension', url: `chrome-extension://someotherextension/popup.html` }),
        undefined,
        message.type,
      );
      assert.equal(
        handleMessage(fake.deps, message, { url: APP, tab: { id: 7 } as Runtime.MessageSender['tab'] }),
        undefined,
        message.type,
      );
    }
  });

  test('a page message without a tab, or from an extension page, is ignored', () => {
    const fake = setup();
    const message = { type: 'page-exchange', exchange: pageExchange() };
    assert.equal(handleMessage(fake.deps, message, { id: EXT_ID, url: APP }), undefined);
    assert.equal(handleMessage(fake.deps, message, popup), undefined);
    assert.equal(handleMessage(fake.deps, message, panel), undefined);
  });

  test('unknown and malformed messages are ignored', () => {
    const fake = setup();
    for (const message of [null, undefined, 'page-exchange', 42, [], {}, { type: 1 }, { type: 'nope' }, { type: 'PAGE-EXCHANGE' }]) {
      assert.equal(handleMessage(fake.deps, message, popup), undefined, JSON.stringify(message));
      assert.equal(handleMessage(fake.deps, message, contentScript()), undefined, JSON.stringify(message));
    }
    for (const type of ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf']) {
      assert.equal(handleMessage(fake.deps, { type }, popup), undefined, type);
    }
  });

  // Types are looked up with Object.hasOwn: inherited names (constructor, toString, __proto__) are not handlers.
  test('Object.prototype names as message types are ignored from a content script', () => {
    const fake = setup();
    for (const type of ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf', '__defineGetter__']) {
      let reply: unknown;
      assert.doesNotThrow(() => {
        reply = handleMessage(fake.deps, { type }, contentScript());
      }, type);
      assert.equal(reply, undefined, type);
    }
  });

  test('privileged messages from a content script are ignored', async () => {
    const fake = setup();
    await send(fake, { type: 'page-exchange', exchange: pageExchange() }, contentScript());
    for (const message of [
      { type: 'get-view', tabId: 7 },
      { type: 'clear', tabId: 7 },
      { type: 'clear', tabId: null },
      { type: 'devtools-exchange', tabId: 8, exchange: pageExchange({ responseBody: tokenResponse('dt') }) },
    ]) {
      assert.equal(handleMessage(fake.deps, message, contentScript()), undefined, message.type);
    }
    assert.equal((await exchanges(fake)).length, 1);
  });

  test('from an extension page they work: get-view', async () => {
    const fake = setup();
    await send(fake, { type: 'page-exchange', exchange: pageExchange() }, contentScript());
    const view = (await send(fake, { type: 'get-view', tabId: 7 }, popup)) as ViewState;
    assert.equal(view.tabId, 7);
    assert.equal(view.report.exchanges.length, 1);
  });

  test('from an extension page they work: devtools-exchange, merged with the page report', async () => {
    const fake = setup();
    const exchange = pageExchange();
    await send(fake, { type: 'page-exchange', exchange }, contentScript());
    assert.deepEqual(
      await send(fake, { type: 'devtools-exchange', tabId: 7, exchange: { ...exchange, requestAuthorization: null } }, panel),
      { stored: true },
    );
    const list = await exchanges(fake);
    assert.equal(list.length, 1);
    assert.deepEqual(list[0]?.capture.seenBy, ['page-hook', 'devtools']);
    assert.equal(list[0]?.capture.verification, 'devtools');

    assert.deepEqual(
      await send(fake, { type: 'devtools-exchange', tabId: 8, exchange: pageExchange({ responseBody: tokenResponse('b') }) }, panel),
      { stored: true },
    );
    const other = (await exchanges(fake)).find((e) => e.capture.tabId === 8);
    assert.deepEqual(other?.capture, { tabId: 8, site: APP_ORIGIN, seenBy: ['devtools'], verification: 'devtools' });
    assert.equal(fake.badges.get(8), '1');
  });

  test('devtools-exchange refuses a bad tab id or a bad exchange, and keeps one from a closed tab', async () => {
    const fake = setup();
    assert.deepEqual(await send(fake, { type: 'devtools-exchange', tabId: -1, exchange: pageExchange() }, panel), {
      stored: false,
      reason: 'no tab',
    });
    assert.deepEqual(await send(fake, { type: 'devtools-exchange', tabId: 1.5, exchange: pageExchange() }, panel), {
      stored: false,
      reason: 'no tab',
    });
    assert.deepEqual(await send(fake, { type: 'devtools-exchange', tabId: '7', exchange: pageExchange() }, panel), {
      stored: false,
      reason: 'no tab',
    });
    const bad = (await send(fake, { type: 'devtools-exchange', tabId: 7, exchange: { ...pageExchange(), url: 'file:///x' } }, panel)) as {
      stored: boolean;
    };
    assert.equal(bad.stored, false);
    assert.deepEqual(await send(fake, { type: 'devtools-exchange', tabId: 55, exchange: pageExchange() }, panel), { stored: true });
    assert.equal((await exchanges(fake))[0]?.capture.site, 'unknown');
  });

  test('from an extension page they work: clear one tab, then all', async () => {
    const fake = setup();
    await send(fake, { type: 'page-exchange', exchange: pageExchange() }, contentScript(7));
    await send(fake, { type: 'page-exchange', exchange: pageExchange({ responseBody: tokenResponse('b') }) }, contentScript(8));
    await send(fake, { type: 'page-exchange', exchange: pageExchange({ responseBody: tokenResponse('c') }) }, contentScript(8));
    assert.equal(fake.badges.get(8), '2');
    assert.deepEqual(await send(fake, { type: 'clear', tabId: 7 }, popup), { cleared: 1 });
    assert.equal(fake.badges.get(7), '');
    assert.equal(fake.badges.get(8), '2');
    assert.deepEqual(await send(fake, { type: 'clear', tabId: null }, popup), { cleared: 2 });
    assert.equal(fake.badges.get(8), '');
    assert.equal((await exchanges(fake)).length, 0);
  });
});

describe('refused exchanges leave a note for their tab', () => {
  test('an oversize exchange is refused and noted for that tab only', async () => {
    const fake = setup();
    const reply = (await send(
      fake,
      { type: 'page-exchange', exchange: pageExchange({ responseBody: 'x'.repeat(PAGE_LIMITS.responseBody + 1) }) },
      contentScript(),
    )) as { stored: boolean; reason?: string };
    assert.equal(reply.stored, false);
    assert.match(reply.reason ?? '', /responseBody .* over the 262144 limit/);
    assert.equal((await exchanges(fake)).length, 0);
    const notes = (await viewState(fake.deps, 7)).notes;
    assert.equal(notes.length, 1);
    assert.equal(notes[0]?.tabId, 7);
    assert.match(notes[0]?.message ?? '', /127\.0\.0\.1:3000/);
    assert.match(notes[0]?.message ?? '', /responseBody/);
    assert.deepEqual((await viewState(fake.deps, 8)).notes, []);
  });

  test('a malformed (not oversize) exchange leaves no note', async () => {
    const fake = setup();
    const reply = (await send(fake, { type: 'page-exchange', exchange: { ...pageExchange(), status: 'ok' } }, contentScript())) as {
      stored: boolean;
    };
    assert.equal(reply.stored, false);
    assert.deepEqual((await viewState(fake.deps, 7)).notes, []);
  });

  test('page-refused from the relay is noted with a rounded size; a non-number size reads 0', async () => {
    const fake = setup();
    assert.deepEqual(
      await send(fake, { type: 'page-refused', reason: 'an exchange over the size limit', size: 400000.4 }, contentScript()),
      { noted: true },
    );
    assert.deepEqual(await send(fake, { type: 'page-refused', reason: 'x', size: 'huge' }, contentScript()), { noted: true });
    const notes = (await viewState(fake.deps, 7)).notes.map((n) => n.message);
    assert.match(notes[0] ?? '', /about 400000 characters from http:\/\/127\.0\.0\.1:3000/);
    assert.match(notes[1] ?? '', /about 0 characters/);
  });
});
