/**
 * Token calls known and not read (`page-unread`): what the worker keeps (origin and path, never a query), per tab,
 * once per resend and once per context; and what the views say instead of "no token exchange seen".
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { viewState } from '../../src/background/tab-view.js';
import { UnreadLog } from '../../src/background/unread-log.js';
import { buildReport } from '../../src/core/analysis/index.js';
import { checkUnread, type UnreadToken } from '../../src/protocol/unread.js';
import type { ViewState } from '../../src/protocol/view-state.js';
import { EmptyState } from '../../src/ui/blocks/empty-state.js';
import { ViewNotices } from '../../src/ui/blocks/view-notices.js';
import type { ViewActions } from '../../src/ui/hooks/use-actions.js';
import { APP, APP_ORIGIN, contentScript, exchanges, pageExchange, popup, send, setup } from './worker-fake.js';
import { exchange } from './helpers.js';

const AT = '2026-01-02T03:04:05.000Z';
const request = (fields: Record<string, unknown> = {}) => ({
  kind: 'request',
  context: 'page',
  url: 'https://id.example.test/oauth/token?code=secret-code#x',
  at: AT,
  ...fields,
});

function withUnread() {
  const fake = setup();
  fake.deps.unread = new UnreadLog(fake.area);
  return fake;
}

describe('checkUnread', () => {
  test('keeps origin and path only: a query or fragment (a code, a token) never reaches the store', () => {
    const checked = checkUnread(request());
    assert.ok(checked.ok);
    assert.deepEqual(checked.unread, {
      kind: 'request',
      context: 'page',
      where: 'https://id.example.test/oauth/token',
      at: AT,
      beforeWatching: false,
    });
    const data = checkUnread({ kind: 'context', context: 'worker', url: 'data:text/javascript,fetch("x?secret")', at: AT });
    assert.ok(data.ok && data.unread.where === 'data:');
  });

  test('refuses anything else: extra fields, unknown contexts, a request said to come from a worker, non-http URLs', () => {
    for (const bad of [
      null,
      request({ body: 'access_token=x' }),
      request({ context: 'elsewhere' }),
      request({ context: 'service-worker' }),
      request({ url: 'javascript:alert(1)' }),
      request({ url: 'x'.repeat(100_000) }),
      request({ at: 'yesterday' }),
      request({ beforeWatching: 'yes' }),
    ])
      assert.equal(checkUnread(bad).ok, false, JSON.stringify(bad)?.slice(0, 60));
  });
});

describe('page-unread', () => {
  test('stored under the sender tab, once per capture id; a context once per tab with its latest time', async () => {
    const fake = withUnread();
    const message = { type: 'page-unread', unread: request(), captureId: 'a'.repeat(24) };
    assert.deepEqual(await send(fake, message, contentScript()), { stored: true });
    await send(fake, message, contentScript());
    const sw = (at: string) => ({
      type: 'page-unread',
      unread: { kind: 'context', context: 'service-worker', url: `${APP_ORIGIN}/sw.js?v=2`, at },
    });
    await send(fake, sw(AT), contentScript());
    await send(fake, sw('2026-01-02T04:00:00.000Z'), contentScript());
    const mine = (await viewState(fake.deps, 7)).unread ?? [];
    assert.equal(mine.length, 2);
    assert.equal(mine[1]?.where, 'http://127.0.0.1:3000/sw.js');
    assert.equal(mine[1]?.at, '2026-01-02T04:00:00.000Z');
    assert.deepEqual((await viewState(fake.deps, 8)).unread, []);
    assert.ok(!JSON.stringify([...fake.area.data.values()]).includes('secret-code'));
  });

  test('not kept from a site that is not watched; cleared with the tab', async () => {
    const fake = withUnread();
    assert.deepEqual(await send(fake, { type: 'page-unread', unread: request() }, contentScript(7, 'https://elsewhere.test/')), {
      stored: false,
      reason: 'site not watched',
    });
    await send(fake, { type: 'page-unread', unread: request() }, contentScript());
    await send(fake, { type: 'clear', tabId: 7 }, popup);
    assert.deepEqual((await viewState(fake.deps, 7)).unread, []);
  });
});

describe('a login popup', () => {
  const fromPopup = (openerTabId: number) => ({ ...contentScript(9), tab: { id: 9, url: APP, openerTabId } as never });

  test('its exchange goes to the tab the browser names as its opener, when the page says it has one', async () => {
    const fake = setup({ tabs: { 7: APP, 9: APP } });
    await send(fake, { type: 'page-exchange', exchange: pageExchange(), opened: true }, fromPopup(7));
    await send(fake, { type: 'page-exchange', exchange: pageExchange({ responseBody: '{"access_token":"b"}' }) }, fromPopup(7));
    assert.deepEqual(
      (await exchanges(fake)).map((e) => e.capture.tabId),
      [7, 9],
    );
  });

  test('an opener on a site that is not watched (or closed) keeps the exchange in the popup', async () => {
    const fake = setup({ tabs: { 7: 'https://elsewhere.test/', 9: APP } });
    await send(fake, { type: 'page-exchange', exchange: pageExchange(), opened: true }, fromPopup(7));
    await send(
      fake,
      { type: 'page-exchange', exchange: pageExchange({ responseBody: '{"access_token":"c"}' }), opened: true },
      fromPopup(5),
    );
    assert.deepEqual(
      (await exchanges(fake)).map((e) => e.capture.tabId),
      [9, 9],
    );
  });
});

const noActions = new Proxy({}, { get: () => () => {} }) as ViewActions;
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

function view(unread: UnreadToken[], exchanges = buildReport([], {})): ViewState {
  return {
    tabId: 7,
    tabUrl: `${APP}`,
    site: 'http://127.0.0.1:3000',
    isWatched: true,
    watchedSites: ['http://127.0.0.1/*'],
    report: exchanges,
    totalExchanges: exchanges.exchanges.length,
    captures: {},
    dropped: 0,
    capacity: 200,
    notes: [],
    unread,
    suggestedHosts: [],
    otherTabs: [],
  };
}

const seen: UnreadToken = { kind: 'request', context: 'page', where: 'https://id.example.test/oauth/token', at: AT, beforeWatching: true };
const sharedWorker: UnreadToken = {
  kind: 'context',
  context: 'shared-worker',
  where: 'http://127.0.0.1:3000/shared.js',
  at: AT,
  beforeWatching: false,
};

describe('the views', () => {
  test('a request seen and not read: said with where it went and what gets it, never "no token exchange seen"', () => {
    const said = text(renderToString(h(EmptyState, { view: view([seen, sharedWorker]) })));
    assert.match(said, /Seen, not readable: a token request of this tab/);
    assert.match(said, /https:\/\/id\.example\.test\/oauth\/token at .*, from the page, before Tokenscope watched it/);
    assert.match(said, /reload and sign in again/);
    assert.match(said, /the DevTools panel .* Firefox .* a HAR/);
    assert.match(said, /a shared worker \(http:\/\/127\.0\.0\.1:3000\/shared\.js\)/);
    assert.doesNotMatch(said, /No token exchange seen/);
  });

  test('only contexts that cannot be seen: "no token exchange seen", and which contexts would not show', () => {
    const worker: UnreadToken = { ...sharedWorker, context: 'worker', where: 'data:' };
    const said = text(renderToString(h(EmptyState, { view: view([worker]) })));
    assert.match(said, /No token exchange seen in this tab yet/);
    assert.match(said, /a Web Worker started from a data: URL/);
    assert.match(said, /open the DevTools panel .* on this tab before/);
  });

  test('beside captured exchanges, the notices still say what was not read', () => {
    const withOne = buildReport([exchange({ access_token: 'opaque-at', token_type: 'Bearer' }, { grant_type: 'client_credentials' })]);
    const said = text(renderToString(h(ViewNotices, { view: view([seen], withOne), actionError: null, actions: noActions })));
    assert.match(said, /Seen, not readable/);
  });

  test("the site's service worker: not in this view, or, when it holds the tokens shown, the page's side in view and its own calls not", () => {
    const serviceWorker: UnreadToken = { ...sharedWorker, context: 'service-worker', where: 'http://127.0.0.1:3000/sw.js' };
    const notices = (report: ReturnType<typeof buildReport>) =>
      text(renderToString(h(ViewNotices, { view: view([serviceWorker], report), actionError: null, actions: noActions })));
    const plain = notices(
      buildReport([exchange({ access_token: 'opaque-at', token_type: 'Bearer' }, { grant_type: 'client_credentials' })]),
    );
    assert.match(plain, /the site's service worker \(http:\/\/127\.0\.0\.1:3000\/sw\.js\)/);
    assert.match(plain, /If they make token calls, those are not in this view/);
    const held = notices(
      buildReport([
        exchange(
          {
            access_token: 'ACCESS_TOKEN_SECURED_BY_OIDC_SERVICE_WORKER_default#tabId=default',
            refresh_token: 'REFRESH_TOKEN_SECURED_BY_OIDC_SERVICE_WORKER_default#tabId=default',
            token_type: 'Bearer',
            scope: 'api:read',
          },
          { grant_type: 'authorization_code', code: 'abc', client_id: 'spa' },
        ),
      ]),
    );
    assert.match(held, /holds the tokens of the calls shown here \(@axa-fr\/oidc-client\): the page's side of each call is in this view/);
    assert.match(held, /the worker's own calls to the token endpoint, with the real tokens, are not/);
    assert.doesNotMatch(held, /If they make token calls, those are not in this view/);
  });
});
