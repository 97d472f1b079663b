/**
 * A DPoP sign-in in Firefox (RFC 9449): the real oidc-provider demands a nonce, the real oauth4webapi client retries
 * with it and calls the API with `Authorization: DPoP`. The view shows one sign-in joined by PKCE, its access token
 * bound to the page's key (thumbprint by jose), and nothing at or over low. An API that asks for its own nonce first
 * (RFC 9449 s9: 401 `use_dpop_nonce`): the page hook reports the challenge and the retry, joined in the token's `sentTo`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { calculateJwkThumbprint } from 'jose';
import type { ViewState } from '../../src/protocol/view-state.js';
import { startOidc } from '../support/servers/oidc.js';
import { tabIdOf, waitFor } from './harness.js';
import { openSession, type Session } from './session.js';

describe('Firefox: a DPoP sign-in with a server nonce', () => {
  let session: Session;
  let oidc: Awaited<ReturnType<typeof startOidc>>;

  before(async () => {
    [session, oidc] = await Promise.all([openSession(), startOidc({ app: 'oauth4webapi-dpop', dpop: {} })]);
  });

  after(async () => {
    await oidc?.close();
    await session?.close();
  });

  test('one sign-in, the retry granted, the access token bound to the page key, no finding at or over low', async () => {
    const { firefox, state } = session;
    const page = await firefox.browser.newPage();
    await page.goto(oidc.appUrl);
    const status = (text: string) => () =>
      page.evaluate(() => document.getElementById('status')?.textContent ?? '').then((s) => s === text);
    await waitFor('the page hook in the app', () =>
      page.evaluate(() => (window as unknown as Record<symbol, unknown>)[Symbol.for('tokenscope.page-hook')] === true),
    );
    await page.evaluate(() => document.getElementById('signin')?.click());
    await waitFor('the app to sign in (after the nonce challenge)', status('signed-in dpop'));
    await page.evaluate(() => document.getElementById('call-api')?.click());
    await waitFor('the API call', status('api 200'));
    const saved = await page.evaluate(() => sessionStorage.getItem('dpop-key'));
    const jkt = await calculateJwkThumbprint(JSON.parse(saved ?? '{}').publicKey, 'sha256');

    const tabId = await tabIdOf(state, oidc.appUrl);
    const view = await waitFor('the sign-in with its challenge and its retry', async () => {
      const got = await state.run(
        (browser, id: number) => browser.runtime.sendMessage({ type: 'get-view', tabId: id }) as Promise<ViewState>,
        tabId,
      );
      return got.report.signIns.some((s) => s.authorization !== null && s.exchanges.length === 2) ? got : undefined;
    });
    const { report } = view;
    assert.equal(report.signIns.length, 1);
    const [signIn] = report.signIns;
    assert.equal(signIn?.joinedBy, 'pkce');
    assert.deepEqual(
      signIn?.requestedScopes.filter((s) => !s.granted),
      [],
    );
    // The view lists the newest exchange first: the retry, then the challenge.
    const challenge = report.exchanges.find((e) => e.challenge === 'use_dpop_nonce');
    const retry = report.exchanges.find((e) => e.challenge === undefined);
    assert.equal(report.exchanges.length, 2);
    assert.ok(challenge && retry);
    // The token request's proof, kept by the network filter (Firefox stores its copy) as by the page hook.
    assert.equal(retry.dpopProof?.jkt, jkt);
    assert.equal(retry.dpopProof?.nonce, true);
    const access = retry.resourceServers.flatMap((s) => s.tokens).find((t) => t.kind === 'access');
    assert.deepEqual(access?.binding, { method: 'dpop', jkt, from: 'cnf' });
    const serious = [...report.exchanges.flatMap((e) => e.findings), ...report.signIns.flatMap((s) => s.findings)].filter(
      (f) => f.severity !== 'info',
    );
    assert.deepEqual(serious, []);
    await page.close();
  });
});

// The same app on fetch, then on XMLHttpRequest (its discovery and API calls through oauth4webapi's `customFetch`).
for (const transport of ['fetch', 'xhr'] as const)
  describe(`Firefox: the API's own DPoP nonce challenge (RFC 9449 s9), on ${transport}`, () => {
    let session: Session;
    let oidc: Awaited<ReturnType<typeof startOidc>>;

    before(async () => {
      [session, oidc] = await Promise.all([
        openSession(),
        startOidc({ app: 'oauth4webapi-dpop', dpop: { resourceNonce: true, xhr: transport === 'xhr' } }),
      ]);
    });

    after(async () => {
      await oidc?.close();
      await session?.close();
    });

    test('the 401 and its retry are one use of the token, its challenge answered (retried), no finding at or over low', async () => {
      const { firefox, state } = session;
      const page = await firefox.browser.newPage();
      await page.goto(oidc.appUrl);
      const status = (text: string) => () =>
        page.evaluate(() => document.getElementById('status')?.textContent ?? '').then((s) => s === text);
      await waitFor('the page hook in the app', () =>
        page.evaluate(() => (window as unknown as Record<symbol, unknown>)[Symbol.for('tokenscope.page-hook')] === true),
      );
      await page.evaluate(() => document.getElementById('signin')?.click());
      await waitFor('the app to sign in', status('signed-in dpop'));
      await page.evaluate(() => document.getElementById('call-api')?.click());
      await waitFor('the API call, after its nonce challenge', status('api 200'));
      const tabId = await tabIdOf(state, oidc.appUrl);
      const sentTo = (view: ViewState) =>
        view.report.exchanges.flatMap((e) =>
          e.resourceServers.flatMap((s) => s.tokens.filter((t) => t.kind === 'access').flatMap((t) => t.sentTo ?? [])),
        );
      const view = await waitFor('the API use with its challenge joined to the retry', async () => {
        const got = await state.run(
          (browser, id: number) => browser.runtime.sendMessage({ type: 'get-view', tabId: id }) as Promise<ViewState>,
          tabId,
        );
        return sentTo(got).some((sent) => sent.nonceChallenge === 'retried') ? got : undefined;
      });
      assert.deepEqual(
        sentTo(view).map((sent) => [sent.method, sent.scheme, sent.nonceChallenge]),
        [['GET', 'dpop', 'retried']],
      );
      const serious = [...view.report.exchanges.flatMap((e) => e.findings), ...view.report.signIns.flatMap((s) => s.findings)].filter(
        (f) => f.severity !== 'info',
      );
      assert.deepEqual(serious, []);
      // oauth4webapi's discovery request (OIDC Discovery s4), on fetch or XHR alike: a step of the sign-in, read by the hook.
      const discovery = view.report.signIns.flatMap((signIn) => signIn.discovery?.steps ?? []);
      assert.ok(
        discovery.some(
          (step) => step.kind === 'server-metadata' && step.method === 'GET' && step.status === 200 && step.source === 'page-hook',
        ),
        `a server-metadata step from the page hook, among ${JSON.stringify(discovery)}`,
      );
      await page.close();
    });
  });
