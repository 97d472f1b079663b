/** Live sign-in steps: what a page may report (`page-sign-in-step`), how the worker keeps them per tab, and the hook's URL tests. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SignInLog } from '../../src/background/sign-in-log.js';
import { viewState } from '../../src/background/tab-view.js';
import { looksLikeAuthorizationRequest, looksLikeAuthorizationResponse } from '../../src/content/front-channel.js';
import { PAGE_LIMITS, STORE_LIMITS } from '../../src/core/limits.js';
import { checkSignInStep } from '../../src/protocol/sign-in-step.js';
import { APP, contentScript, type Fake, popup, send, setup } from './worker-fake.js';

const AUTHORIZE =
  'https://as.example.test/authorize?response_type=code&client_id=spa&redirect_uri=http%3A%2F%2F127.0.0.1%3A3000%2Fcallback' +
  '&scope=openid%20api%3Aread&state=s3cr3tstate&code_challenge=abc&code_challenge_method=S256';
const CALLBACK = 'http://127.0.0.1:3000/callback?error=access_denied&error_description=The%20user%20said%20no&state=s3cr3tstate';
const good = { url: AUTHORIZE, method: 'GET', at: '2026-01-10T10:00:00.000Z', frame: 'top' };

function reason(value: unknown): string {
  const checked = checkSignInStep(value);
  assert.equal(checked.ok, false, `expected refusal of ${JSON.stringify(value)?.slice(0, 200)}`);
  return checked.ok ? '' : checked.reason;
}

describe('checkSignInStep', () => {
  test('a well-formed step passes, marked as the page hook’s', () => {
    const checked = checkSignInStep({ ...good, body: 'a=b', responseBody: null });
    assert.ok(checked.ok);
    assert.deepEqual(checked.step, { url: AUTHORIZE, method: 'GET', at: good.at, frame: 'top', source: 'page-hook', body: 'a=b' });
  });

  test('refuses what is not a step: other URLs, methods, times, frames, types and extra fields', () => {
    assert.match(reason(null), /not an object/);
    assert.match(reason({ ...good, url: 'javascript:alert(1)' }), /url/);
    assert.match(reason({ ...good, url: `https://a.test/?${'x'.repeat(PAGE_LIMITS.url)}` }), /url/);
    assert.match(reason({ ...good, method: 'DELETE' }), /method/);
    assert.match(reason({ ...good, at: 'yesterday' }), /at is not a time/);
    assert.match(reason({ ...good, frame: 'worker' }), /frame/);
    assert.match(reason({ ...good, body: 42 }), /body is not a string/);
    assert.match(reason({ ...good, body: 'x'.repeat(PAGE_LIMITS.requestBody + 1) }), /over the/);
    assert.match(reason({ ...good, responseBody: 'x'.repeat(PAGE_LIMITS.responseBody + 1) }), /over the/);
    assert.match(reason({ ...good, source: 'filter' }), /unexpected fields: source/);
    // A 401 challenge may answer any method, but a method all the same.
    assert.match(reason({ ...good, method: 'delete', status: 401 }), /method/);
    assert.match(reason({ ...good, method: 'DELETE <b>', status: 401 }), /method/);
  });

  test('a 401 challenge keeps the method of the call it answered', () => {
    const challenge = 'Bearer resource_metadata="https://mcp.example/.well-known/oauth-protected-resource"';
    const checked = checkSignInStep({ ...good, url: 'https://mcp.example/mcp', method: 'DELETE', status: 401, wwwAuthenticate: challenge });
    assert.ok(checked.ok);
    assert.equal(checked.step.method, 'DELETE');
    assert.equal(checked.step.wwwAuthenticate, challenge);
  });
});

describe('the hook’s URL tests (front-channel.ts)', () => {
  test('an authorization request needs response_type and client_id in the query', () => {
    assert.equal(looksLikeAuthorizationRequest(AUTHORIZE), true);
    assert.equal(looksLikeAuthorizationRequest('https://as.example.test/authorize?client_id=spa'), false);
    assert.equal(looksLikeAuthorizationRequest('https://app.test/#response_type=code&client_id=spa'), false);
  });
  test('an authorization response has code, error or state in its query or fragment', () => {
    assert.equal(looksLikeAuthorizationResponse(CALLBACK), true);
    assert.equal(looksLikeAuthorizationResponse('http://127.0.0.1:3000/cb#code=x&state=y'), true);
    assert.equal(looksLikeAuthorizationResponse('http://127.0.0.1:3000/?zipcode=1'), false);
    assert.equal(looksLikeAuthorizationResponse('http://127.0.0.1:3000/code=1'), false);
  });
});

function withSignIns(capacity?: number): Fake {
  const fake = setup();
  fake.deps.signIns = new SignInLog(fake.area, capacity);
  return fake;
}

const stepMessage = (url: string, at: string, captureId?: string) => ({
  type: 'page-sign-in-step',
  step: { url, method: 'GET', at, frame: 'top' },
  ...(captureId ? { captureId } : {}),
});

describe('page-sign-in-step in the worker', () => {
  test('the request and the refusal a watched page reported make one sign-in in its tab, with the scopes asked for', async () => {
    const fake = withSignIns();
    assert.deepEqual(await send(fake, stepMessage(AUTHORIZE, '2026-01-10T10:00:00.000Z'), contentScript()), { stored: true });
    assert.deepEqual(await send(fake, stepMessage(CALLBACK, '2026-01-10T10:00:05.000Z'), contentScript()), { stored: true });
    const view = await viewState(fake.deps, 7);
    assert.equal(view.report.signIns.length, 1);
    const signIn = view.report.signIns[0];
    assert.deepEqual(signIn?.authorization?.scopes, ['openid', 'api:read']);
    assert.equal(signIn?.response?.outcome, 'error');
    assert.equal(signIn?.response?.error, 'access_denied');
    assert.equal((await viewState(fake.deps, 8)).report.signIns.length, 0);
    // Secrets stay out of the report: the state is a fingerprint.
    assert.equal(JSON.stringify(view.report).includes('s3cr3tstate'), false);
  });

  test('a step resent with the same capture id is kept once; a bad step and an unwatched site are refused', async () => {
    const fake = withSignIns();
    const captureId = 'a1b2c3d4e5f6a1b2c3d4e5f6';
    for (let i = 0; i < 2; i++) await send(fake, stepMessage(AUTHORIZE, '2026-01-10T10:00:00.000Z', captureId), contentScript());
    assert.equal((await fake.deps.signIns.tab(7)).length, 1);
    const bad = await send(fake, { type: 'page-sign-in-step', step: { ...good, frame: 'nope' } }, contentScript());
    assert.deepEqual(bad, { stored: false, reason: 'frame is not top, popup or iframe' });
    fake.revoke(['http://127.0.0.1/*']);
    const unwatched = await send(fake, stepMessage(AUTHORIZE, '2026-01-10T10:00:01.000Z'), contentScript(7, APP));
    assert.deepEqual(unwatched, { stored: false, reason: 'site not watched' });
    assert.equal((await fake.deps.signIns.tab(7)).length, 1);
  });

  test('a login popup’s step goes to the tab the browser says opened it; without an opener it stays in its own tab', async () => {
    const fake = withSignIns();
    fake.tabs.set(9, APP);
    // The browser's sender names the opener (a snapshot taken when the message was sent: the popup may be gone since).
    const fromPopup = { ...contentScript(9), tab: { ...contentScript(9).tab, openerTabId: 7 } } as ReturnType<typeof contentScript>;
    const popupStep = () => ({ type: 'page-sign-in-step', step: { url: CALLBACK, method: 'GET', at: good.at, frame: 'popup' } });
    assert.deepEqual(await send(fake, popupStep(), fromPopup), { stored: true });
    assert.deepEqual(await send(fake, popupStep(), contentScript(8)), { stored: true });
    assert.equal((await fake.deps.signIns.tab(7)).length, 1);
    assert.equal((await fake.deps.signIns.tab(9)).length, 0);
    assert.equal((await fake.deps.signIns.tab(8)).length, 1);
  });

  test("a tab a link opened that calls window.open(authorize URL) itself: the step is its own, not the linking tab's", async () => {
    const fake = withSignIns();
    fake.tabs.set(13, APP);
    const linked = { ...contentScript(13), tab: { ...contentScript(13).tab, openerTabId: 7 } } as ReturnType<typeof contentScript>;
    const opened = { type: 'page-sign-in-step', step: { ...good, frame: 'popup' }, windowOpen: true };
    assert.deepEqual(await send(fake, opened, linked), { stored: true });
    assert.equal((await fake.deps.signIns.tab(13)).length, 1);
    assert.equal((await fake.deps.signIns.tab(7)).length, 0, 'the tab that linked to it gets nothing');
  });

  test("a popup window the browser names no opener for (Firefox) goes to the watched tab showing its opener's address", async () => {
    const fake = withSignIns();
    fake.tabs.set(7, `${APP}/signed-in`);
    fake.tabs.set(9, APP);
    const popupStep = (openerUrl: unknown) => ({
      type: 'page-sign-in-step',
      step: { url: CALLBACK, method: 'GET', at: good.at, frame: 'popup' },
      openerUrl,
    });
    assert.deepEqual(await send(fake, popupStep(`${APP}/signed-in`), contentScript(9)), { stored: true });
    assert.equal((await fake.deps.signIns.tab(7)).length, 1, "filed under the opener's tab");
    // An address no watched tab shows, or one outside the watched sites, stays in the popup's own tab.
    await send(fake, popupStep('https://elsewhere.example/'), contentScript(9));
    await send(fake, popupStep(`${APP}/nobody-here`), contentScript(9));
    assert.equal((await fake.deps.signIns.tab(9)).length, 2);
    assert.equal((await fake.deps.signIns.tab(7)).length, 1);
  });

  test('bounded: past its capacity the oldest steps go; clearing a tab clears its steps', async () => {
    const fake = withSignIns(3);
    for (let i = 0; i < 5; i++) await send(fake, stepMessage(`${AUTHORIZE}&n=${i}`, `2026-01-10T10:00:0${i}.000Z`), contentScript());
    assert.deepEqual(
      (await fake.deps.signIns?.tab(7))?.map((step) => new URL(step.url).searchParams.get('n')),
      ['2', '3', '4'],
    );
    assert.ok(STORE_LIMITS.signInSteps >= 100);
    await send(fake, { type: 'clear', tabId: 7 }, popup);
    assert.deepEqual(await fake.deps.signIns?.tab(7), []);
  });
});
