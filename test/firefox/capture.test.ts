/**
 * Firefox, one browser, tests in order:
 * - Globus-shaped exchanges through fetch and XHR, JSON and form answers: the
 *   background's filterResponseData and the page hook both see each one; it is
 *   stored once, verified, with the exact bytes the server sent, and the page's
 *   own code got those same bytes. The popup for the tab shows the three servers.
 * - A token response in ISO-8859-1 is stored as the text the server meant.
 * - A page on a site that is not granted (localhost) leaves no trace.
 * - The badge counts a two-audience JWT access token on its own tab.
 * - A site removed with permissions.remove is no longer captured in its open tab
 *   (last: it takes 127.0.0.1 away from the rest).
 * Where something must NOT be stored, a later exchange on a watched site that
 * does land is the barrier: no sleeps.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'puppeteer-core';
import type { ViewState } from '../../src/protocol/view-state.js';
import { type ExtensionPage, type Firefox, type StoredLike, storedExchanges, tabIdOf, waitFor } from './harness.js';
import { EXTRA_AUDIENCE, LATIN1_NAME, LATIN1_TOKEN_PATH, type Proxied, type Recorded, TWO_AUDIENCES_TOKEN_PATH } from './servers.js';
import { openSession, type Session } from './session.js';

const BUTTONS = ['fetch-json', 'xhr-json', 'fetch-form', 'xhr-form'] as const;
const SERVERS = ['auth.globus.org', 'transfer.api.globus.org', 'groups.api.globus.org'];

/** Record what the page's own code reads from each response (Response.text, XHR responseText), before the page runs. */
function spyOnPageReads(page: Page): Promise<void> {
  return page.evaluate(() => {
    const seen: Array<{ via: string; url: string; text: string }> = [];
    Object.defineProperty(window, '__pageReads', { value: seen });
    const text = Response.prototype.text;
    Response.prototype.text = function (this: Response) {
      const url = this.url;
      return text.call(this).then((body) => {
        seen.push({ via: 'fetch', url, text: body });
        return body;
      });
    };
    const responseText = Object.getOwnPropertyDescriptor(XMLHttpRequest.prototype, 'responseText');
    const read = new WeakSet<XMLHttpRequest>();
    Object.defineProperty(XMLHttpRequest.prototype, 'responseText', {
      configurable: true,
      get(this: XMLHttpRequest) {
        const body = responseText?.get?.call(this) as string;
        // The page's onload reads first; the page hook reads later, at loadend.
        if (!read.has(this)) {
          read.add(this);
          seen.push({ via: 'xhr', url: this.responseURL, text: body });
        }
        return body;
      },
    });
  });
}

/** Click one of the app page's buttons (a DOM click: the page's own handler runs) and wait for its next "done" line. */
async function click(page: Page, id: string): Promise<void> {
  const count = (button: string) =>
    (document.getElementById('log')?.textContent ?? '').split('\n').filter((line) => line === `done ${button}`).length;
  const before = await page.evaluate(count, id);
  await page.evaluate((button) => document.getElementById(button)?.click(), id);
  await waitFor(`the page to log done ${id}`, async () => (await page.evaluate(count, id)) > before);
}

/** POST a token request from the page's own world (the hooked fetch or XHR); resolves with what the page's code read. */
function postFromPage(
  page: Page,
  via: 'fetch' | 'xhr',
  path: string,
  extra: Record<string, string> = {},
): Promise<{ status: number; text: string }> {
  return page.evaluate(
    async (how, target, more) => {
      const body = new URLSearchParams({
        grant_type: 'authorization_code',
        code: crypto.randomUUID(),
        client_id: 'app',
        code_verifier: 'v3rifier',
        ...more,
      }).toString();
      const headers = { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' };
      if (how === 'fetch') {
        const res = await fetch(target, { method: 'POST', headers, body });
        return { status: res.status, text: await res.text() };
      }
      return new Promise<{ status: number; text: string }>((resolve, reject) => {
        const xhr = new XMLHttpRequest();
        xhr.open('POST', target);
        for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
        xhr.onload = () => resolve({ status: xhr.status, text: xhr.responseText });
        xhr.onerror = () => reject(new Error('network error'));
        xhr.send(body);
      });
    },
    via,
    path,
    extra,
  );
}

/** A page on `url` with the page hook running in it (the registration covers a site granted before it loads). */
async function openWatched(firefox: Firefox, url: string): Promise<Page> {
  const page = await firefox.browser.newPage();
  await page.goto(url);
  await waitFor(`the page hook in ${url}`, () =>
    page.evaluate(() => (window as unknown as Record<symbol, unknown>)[Symbol.for('tokenscope.page-hook')] === true),
  );
  return page;
}

const both = (e: StoredLike) => e.capture.seenBy.includes('filter') && e.capture.seenBy.includes('page-hook');
const sameBody = (e: StoredLike, sent: Recorded) =>
  e.exchange.response.body !== null && Buffer.from(e.exchange.response.body, 'utf8').equals(sent.body);

/** Make an exchange on a watched page and wait until both sources stored it: whatever the background had to do before it is done. */
async function barrier(page: Page, state: ExtensionPage, server: Proxied): Promise<StoredLike> {
  await click(page, 'fetch-json');
  const sent = server.responses.at(-1);
  assert.ok(sent);
  return waitFor('the barrier exchange on a watched site to land', async () =>
    (await storedExchanges(state)).find((e) => sameBody(e, sent) && both(e)),
  );
}

describe('Firefox: capture on watched sites, Globus-shaped exchanges and more, one browser', () => {
  let session: Session;
  let firefox: Firefox;
  let server: Proxied;
  let page: Page;
  let state: ExtensionPage;

  before(async () => {
    session = await openSession({ alsoOn: ['127.0.0.2'] });
    ({ firefox, server, page, state } = session);
  });

  after(async () => {
    await session?.close();
  });

  test('fetch and XHR, JSON and form: each stored once, verified, seen by the filter and the hook, bytes as sent', async () => {
    await spyOnPageReads(page);
    for (const id of BUTTONS) {
      // A DOM click: the page's own handler runs (puppeteer's BiDi input click costs a second or two each).
      await page.evaluate((button) => document.getElementById(button)?.click(), id);
      await waitFor(`the page to log done ${id}`, () =>
        page.evaluate((button) => document.getElementById('log')?.textContent?.includes(`done ${button}`), id),
      );
    }
    assert.equal(server.responses.length, BUTTONS.length);

    // The page's own code got exactly what the server sent.
    const reads = await page.evaluate(
      () => (window as unknown as { __pageReads: Array<{ via: string; url: string; text: string }> }).__pageReads,
    );
    assert.deepEqual(
      reads.map((r) => r.via),
      ['fetch', 'xhr', 'fetch', 'xhr'],
    );
    reads.forEach((read, i) => {
      const sent = server.responses[i];
      assert.ok(sent);
      assert.equal(read.url, sent.url);
      assert.ok(Buffer.from(read.text, 'utf8').equals(sent.body), `the page got what the server sent (${BUTTONS[i]})`);
    });

    // Both sources reported every exchange (the filter's onstop lands just after the page's read): poll.
    const stored = await waitFor(
      'every exchange seen by the filter and the page hook',
      async () => {
        const all = await storedExchanges(state);
        const each = server.responses.map((sent) => all.filter((e) => e.exchange.response.body === sent.body.toString('utf8')));
        return each.every((list) => list.some((e) => e.capture.seenBy.includes('filter') && e.capture.seenBy.includes('page-hook')))
          ? { all, each }
          : undefined;
      },
      10_000,
    );
    assert.equal(stored.all.length, BUTTONS.length, 'one stored exchange per request');
    stored.each.forEach((list, i) => {
      const sent = server.responses[i];
      assert.ok(sent);
      assert.equal(list.length, 1, `stored once (${BUTTONS[i]})`);
      const [one] = list as [StoredLike];
      assert.deepEqual([...one.capture.seenBy].sort(), ['filter', 'page-hook']);
      assert.equal(one.capture.verification, 'verified');
      assert.equal(one.capture.site, server.origin);
      assert.equal(one.exchange.url, sent.url);
      assert.equal(one.exchange.method, 'POST');
      assert.equal(one.exchange.status, 200);
      assert.ok(Buffer.from(one.exchange.response.body ?? '', 'utf8').equals(sent.body), `stored body byte-identical (${BUTTONS[i]})`);
    });
  });

  test('the view for the tab, and its popup, show the three resource servers', async () => {
    const tabId = await tabIdOf(state, server.pageUrl);
    const stored = await storedExchanges(state);
    assert.ok(stored.every((e) => e.capture.tabId === tabId));

    const view = await state.run(
      (browser, id: number) => browser.runtime.sendMessage({ type: 'get-view', tabId: id }) as Promise<ViewState>,
      tabId,
    );
    assert.equal(view.tabId, tabId);
    assert.equal(view.report.exchanges.length, BUTTONS.length);
    const servers = new Set(view.report.exchanges.flatMap((e) => e.resourceServers.map((rs) => rs.id)));
    for (const id of SERVERS) assert.ok(servers.has(id), `${id} in the view (got ${[...servers].join(', ')})`);
    for (const exchange of view.report.exchanges) assert.ok(view.captures[exchange.id]?.seenBy.includes('filter'));

    const popup = await firefox.openExtensionPage(state, `popup.html?tab=${tabId}`);
    const text = await waitFor('the popup to show the three servers', async () => {
      const shown = await popup.run(() => document.body.textContent ?? '');
      return SERVERS.every((id) => shown.includes(id)) ? shown : undefined;
    });
    assert.ok(text.length > 0);
    await popup.close();
  });

  test('a token response in ISO-8859-1: stored as the text the server meant (charset from its Content-Type)', async () => {
    const read = await postFromPage(page, 'xhr', LATIN1_TOKEN_PATH);
    const sent = server.responses.at(-1);
    assert.ok(sent);
    assert.ok(sent.url.endsWith(LATIN1_TOKEN_PATH));
    assert.equal(sent.contentType, 'application/json; charset=iso-8859-1');
    assert.ok(sent.body.includes(0xe9) && !sent.body.includes(0xc3), 'é went out as the one byte 0xE9');
    const text = sent.body.toString('latin1');
    assert.equal(read.text, text, "the page's XHR decodes it with the charset too");

    // The page hook reads the XHR's responseText: the same text, so one exchange from both sources.
    const stored = await waitFor('the exchange from the filter and the page hook', async () => {
      const same = (await storedExchanges(state)).filter((e) => e.exchange.url === sent.url);
      return same.some(both) ? same : undefined;
    });
    assert.equal(stored.length, 1);
    assert.equal(stored[0]?.exchange.response.body, text);
    assert.equal(JSON.parse(stored[0]?.exchange.response.body ?? '{}').name, LATIN1_NAME);
  });

  test('a page on a site that is not granted (localhost, same server): nothing from it reaches the extension', async () => {
    const url = `http://localhost:${new URL(server.origin).port}/app`;
    const unwatchedPage = await firefox.browser.newPage();
    try {
      await unwatchedPage.goto(url);
      assert.equal(
        await unwatchedPage.evaluate(() => (window as unknown as Record<symbol, unknown>)[Symbol.for('tokenscope.page-hook')] === true),
        false,
        'no page hook there',
      );
      const from = server.responses.length;
      await click(unwatchedPage, 'fetch-json');
      await click(unwatchedPage, 'xhr-json');
      const unwatched = server.responses.slice(from);
      assert.equal(unwatched.length, 2);
      assert.ok(unwatched.every((sent) => sent.url.startsWith(`${new URL(url).origin}/`) && sent.status === 200));

      // An exchange on the watched page after them lands: had those been seen, they would be stored by now.
      await barrier(page, state, server);
      const all = await storedExchanges(state);
      assert.deepEqual(
        all.filter((e) => !e.exchange.url.startsWith(`${server.origin}/`)).map((e) => e.exchange.url),
        [],
      );
      for (const sent of unwatched) assert.ok(!all.some((e) => sameBody(e, sent)), `not stored: ${sent.url}`);
      assert.deepEqual(
        [...new Set(all.map((e) => e.capture.tabId))],
        [await tabIdOf(state, server.pageUrl)],
        'every exchange is from the watched tab',
      );
      // No trace anywhere in the extension's storage: exchanges, notes, the wire log.
      const session = await state.run(async (browser) => JSON.stringify(await browser.storage.session.get(null)));
      assert.ok(!session.includes('localhost'), 'nothing about localhost in storage.session');
    } finally {
      await unwatchedPage.close();
    }
  });

  test('the badge: a JWT access token with two audiences makes it 1, on its own tab only', async () => {
    const url = `${server.pageUrl}?badge`;
    const badgePage = await openWatched(firefox, url);
    const [tabId, firstTabId] = [await tabIdOf(state, url), await tabIdOf(state, server.pageUrl)];
    const badge = (id: number) => state.run((browser, tab: number) => browser.action.getBadgeText({ tabId: tab }), id);
    assert.equal(await badge(tabId), '');

    await postFromPage(badgePage, 'fetch', TWO_AUDIENCES_TOKEN_PATH, { resource: 'https://api.example.test' });
    const sent = server.responses.at(-1);
    assert.ok(sent);
    assert.ok(sent.url.endsWith(TWO_AUDIENCES_TOKEN_PATH));
    await waitFor('both sources to store the exchange', async () =>
      (await storedExchanges(state)).find((e) => sameBody(e, sent) && both(e)),
    );
    await waitFor("the tab's badge to read 1", async () => (await badge(tabId)) === '1');

    const view = await state.run(
      (browser, id: number) => browser.runtime.sendMessage({ type: 'get-view', tabId: id }) as Promise<ViewState>,
      tabId,
    );
    assert.equal(view.report.summary.findings.high, 1);
    const high = view.report.exchanges.flatMap((e) => e.findings).filter((f) => f.severity === 'high');
    assert.deepEqual(
      high.map((f) => [f.rule, f.resourceServer, f.evidence.extraAudience]),
      [['audience-beyond-server', 'https://api.example.test', EXTRA_AUDIENCE]],
    );
    assert.equal(await badge(tabId), '1', 'still 1 once both sources reported it');
    assert.equal(await badge(firstTabId), '', 'the other tab keeps its own (empty) badge');
    await badgePage.close();
  });

  test('a site removed with permissions.remove: its open tab is no longer captured; another watched site still is', async () => {
    const otherPage = await openWatched(firefox, server.also[0]?.pageUrl ?? '');
    assert.equal(
      await state.run((browser) => browser.permissions.remove({ origins: ['http://127.0.0.1/*'] })),
      true,
      'Firefox removes a manifest host permission of an MV3 add-on',
    );
    const granted = await state.run(async (browser) => (await browser.permissions.getAll()).origins ?? []);
    assert.deepEqual(granted, ['http://127.0.0.2/*']);
    // The background heard of it: the page hook is registered for the remaining site only.
    await waitFor('the registrations to follow the removal', async () => {
      const matches = await state.run(async (browser) =>
        (await browser.scripting.getRegisteredContentScripts()).map((script) => (script.matches ?? []).join(' ')),
      );
      return matches.length === 2 && matches.every((m) => m === 'http://127.0.0.2/*');
    });

    const storedBefore = await storedExchanges(state);
    const from = server.responses.length;
    // The page hook still runs in the open 127.0.0.1 tab, and the filter could still attach: neither may store.
    await click(page, 'fetch-json');
    await click(page, 'xhr-json');
    const removed = server.responses.slice(from);
    assert.equal(removed.length, 2);

    const landed = await barrier(otherPage, state, server);
    assert.equal(landed.capture.site, server.also[0]?.origin);
    const after = await storedExchanges(state);
    for (const sent of removed) assert.ok(!after.some((e) => sameBody(e, sent)), `not stored: ${sent.url}`);
    assert.equal(after.length, storedBefore.length + 1, 'only the barrier exchange was added');
    await otherPage.close();
  });
});
