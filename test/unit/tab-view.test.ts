/** The view state the worker composes for a tab (fake `browser`, real store). */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SignInLog } from '../../src/background/sign-in-log.js';
import { viewState } from '../../src/background/tab-view.js';
import { UnreadLog } from '../../src/background/unread-log.js';
import { EXT_BASE, APP, APP_ORIGIN, TOKEN_URL, type Fake, setup, contentScript, tokenResponse, pageExchange, send } from './worker-fake.js';

describe('viewState', () => {
  async function filled(): Promise<Fake> {
    const fake = setup({ tabs: { 7: APP, 8: 'http://127.0.0.1:3000/other' } });
    const base = Date.now();
    const at = (seconds: number) => new Date(base + seconds * 1000).toISOString();
    // Tab 7: one verified on a watched token endpoint, two page-reported from an unwatched one.
    await send(
      fake,
      { type: 'page-exchange', exchange: pageExchange({ startedAt: at(0), responseBody: tokenResponse('first') }), seen: true },
      contentScript(7),
    );
    await send(
      fake,
      {
        type: 'page-exchange',
        exchange: pageExchange({ url: 'https://as.example.test/oauth2/token', startedAt: at(1), responseBody: tokenResponse('second') }),
      },
      contentScript(7),
    );
    await send(
      fake,
      {
        type: 'page-exchange',
        exchange: pageExchange({ url: 'https://as.example.test/oauth2/token?x=1', startedAt: at(2), responseBody: tokenResponse('third') }),
      },
      contentScript(7),
    );
    // Tab 8: two exchanges.
    await send(
      fake,
      { type: 'page-exchange', exchange: pageExchange({ startedAt: at(3), responseBody: tokenResponse('tab8-a') }) },
      contentScript(8, 'http://127.0.0.1:3000/other'),
    );
    await send(
      fake,
      { type: 'page-exchange', exchange: pageExchange({ startedAt: at(4), responseBody: tokenResponse('tab8-b') }) },
      contentScript(8, 'http://127.0.0.1:3000/other'),
    );
    return fake;
  }

  test("lists the tab's exchanges newest first, with captures keyed by exchange id", async () => {
    const fake = await filled();
    const view = await viewState(fake.deps, 7);
    assert.equal(view.tabId, 7);
    assert.equal(view.tabUrl, APP);
    assert.equal(view.site, APP_ORIGIN);
    assert.equal(view.isWatched, true);
    assert.deepEqual(view.watchedSites, ['http://127.0.0.1/*']);
    assert.equal(view.capacity, 200);
    assert.equal(view.dropped, 0);
    assert.deepEqual(
      view.report.exchanges.map((e) => e.url),
      ['https://as.example.test/oauth2/token?x=1', 'https://as.example.test/oauth2/token', TOKEN_URL],
    );
    const starts = view.report.exchanges.map((e) => Date.parse(e.startedAt));
    assert.deepEqual(
      starts,
      [...starts].sort((a, b) => b - a),
    );
    assert.deepEqual(Object.keys(view.captures).sort(), view.report.exchanges.map((e) => e.id).sort());
    assert.deepEqual(
      view.report.exchanges.map((e) => view.captures[e.id]?.verification),
      ['page-reported', 'page-reported', 'verified'],
    );
    for (const e of view.report.exchanges) assert.equal(view.captures[e.id]?.tabId, 7);
    assert.equal(view.report.summary.exchanges, 3);
  });

  test('a view of the newest exchanges carries their sign-ins and captures only; the summary still counts all', async () => {
    const fake = await filled();
    const view = await viewState(fake.deps, 7, 2);
    assert.equal(view.totalExchanges, 3);
    assert.equal(view.report.summary.exchanges, 3);
    const shown = view.report.exchanges.map((e) => e.id);
    assert.equal(shown.length, 2);
    assert.deepEqual(Object.keys(view.captures).sort(), [...shown].sort());
    // Each exchange here is a sign-in of one step: the oldest one's sign-in stays in the worker.
    assert.equal(view.report.signIns.length, 2);
    assert.ok(view.report.signIns.every((signIn) => signIn.exchanges.every((id) => shown.includes(id))));
    assert.equal((await viewState(fake.deps, 7)).report.signIns.length, 3);
  });

  test('suggests no host when every token call was captured, even from an unwatched token endpoint', async () => {
    // Before: tab 7 was told to watch as.example.test though its two exchanges there were read in full.
    const fake = await filled();
    assert.deepEqual((await viewState(fake.deps, 7)).suggestedHosts, []);
    assert.deepEqual((await viewState(fake.deps, 8)).suggestedHosts, []);
  });

  test('suggests the unwatched host of a token call seen and not read, once, and never a watched one', async () => {
    const fake = await filled();
    fake.deps.unread = new UnreadLog(fake.area);
    const unread = (url: string, n: number) => ({
      type: 'page-unread',
      unread: { kind: 'request', context: 'page', url, at: new Date(Date.now() + n).toISOString() },
    });
    await send(fake, unread('https://login.microsoftonline.com/common/oauth2/v2.0/token?x=1', 1), contentScript(7));
    await send(fake, unread('https://login.microsoftonline.com/common/oauth2/v2.0/token', 2), contentScript(7));
    await send(fake, unread(TOKEN_URL, 3), contentScript(7));
    assert.deepEqual((await viewState(fake.deps, 7)).suggestedHosts, ['https://login.microsoftonline.com']);
    assert.deepEqual((await viewState(fake.deps, 8)).suggestedHosts, []);
  });

  test('suggests the authorization server of a sign-in whose code came back with no exchange after it', async () => {
    const fake = setup();
    fake.deps.signIns = new SignInLog(fake.area);
    const authorize =
      'https://login.example-idp.test/authorize?response_type=code&client_id=spa&redirect_uri=http%3A%2F%2F127.0.0.1%3A3000%2Fcallback' +
      '&scope=openid&state=st4te&code_challenge=abc&code_challenge_method=S256';
    const step = (url: string, at: string) => ({ type: 'page-sign-in-step', step: { url, method: 'GET', at, frame: 'top' } });
    await send(fake, step(authorize, '2026-01-10T10:00:00.000Z'), contentScript(7));
    await send(fake, step('http://127.0.0.1:3000/callback?code=c0de&state=st4te', '2026-01-10T10:00:05.000Z'), contentScript(7));
    const view = await viewState(fake.deps, 7);
    assert.equal(view.report.signIns[0]?.response?.outcome, 'code');
    assert.deepEqual(view.suggestedHosts, ['https://login.example-idp.test']);
  });

  test('lists the other tabs with their counts', async () => {
    const fake = await filled();
    assert.deepEqual((await viewState(fake.deps, 7)).otherTabs, [{ tabId: 8, site: APP_ORIGIN, exchanges: 2, high: 2 }]);
    const fromEight = await viewState(fake.deps, 8);
    assert.deepEqual(fromEight.otherTabs, [{ tabId: 7, site: APP_ORIGIN, exchanges: 3, high: 3 }]);
    assert.equal(fromEight.report.exchanges.length, 2);
  });

  test('with no tab, every tab is another tab', async () => {
    const fake = await filled();
    const view = await viewState(fake.deps, null);
    assert.equal(view.tabId, null);
    assert.equal(view.tabUrl, null);
    assert.equal(view.site, null);
    assert.equal(view.isWatched, false);
    assert.equal(view.report.exchanges.length, 0);
    assert.deepEqual(
      view.otherTabs.map((t) => [t.tabId, t.exchanges]),
      [
        [7, 3],
        [8, 2],
      ],
    );
  });

  test('a tab on an unwatched site is not watched; a closed tab has no URL', async () => {
    const fake = setup({ tabs: { 7: 'https://elsewhere.example.test/x', 9: `${EXT_BASE}popup.html` } });
    const elsewhere = await viewState(fake.deps, 7);
    assert.equal(elsewhere.site, 'https://elsewhere.example.test');
    assert.equal(elsewhere.isWatched, false);
    const closed = await viewState(fake.deps, 42);
    assert.equal(closed.tabUrl, null);
    assert.equal(closed.site, null);
    assert.equal(closed.isWatched, false);
    const extensionTab = await viewState(fake.deps, 9);
    assert.equal(extensionTab.site, null);
    assert.equal(extensionTab.isWatched, false);
  });

  test('a tab whose address is hidden falls back to the site of its exchanges', async () => {
    const fake = setup({ tabs: { 7: undefined } });
    await send(fake, { type: 'page-exchange', exchange: pageExchange() }, contentScript(7));
    const view = await viewState(fake.deps, 7);
    assert.equal(view.tabUrl, null);
    assert.equal(view.site, APP_ORIGIN);
    assert.equal(view.isWatched, true);
  });

  test('an exchange with an unparseable http URL does not break the view', async () => {
    const fake = setup();
    const reply = await send(
      fake,
      { type: 'page-exchange', exchange: pageExchange({ url: 'http://exa mple/oauth2/token' }) },
      contentScript(7),
    );
    assert.deepEqual(reply, { stored: true });
    const view = await viewState(fake.deps, 7);
    assert.equal(view.report.exchanges.length, 1);
    assert.deepEqual(view.suggestedHosts, []);
  });
});
