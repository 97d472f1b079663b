/**
 * A DPoP sign-in in Firefox (RFC 9449): the real oidc-provider demands a nonce, the real oauth4webapi client retries
 * with it and calls the API with `Authorization: DPoP`. The view shows one sign-in joined by PKCE, its access token
 * bound to the page's key (thumbprint by jose), and nothing at or over low. An API that asks for its own nonce first
 * (RFC 9449 s9: 401 `use_dpop_nonce`): the page hook reports the challenge and the retry, joined in the token's `sentTo`.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { calculateJwkThumbprint } from 'jose';
import type { Report } from '../../src/core/types.js';
import type { ViewState } from '../../src/protocol/view-state.js';
import { type OidcOptions, startOidc } from '../support/servers/oidc.js';
import { tabIdOf, waitFor } from './harness.js';
import { openSession } from './session.js';

/**
 * The oauth4webapi app against oidc-provider in DPoP mode (`dpop`): sign in (through the server's nonce challenge),
 * call the API, and wait for the tab's view until `ready` (`what` names it on a time-out). The view, and the thumbprint
 * of the page's DPoP key.
 */
async function dpopFlow(dpop: OidcOptions['dpop'], what: string, ready: (view: ViewState) => boolean) {
  const [session, oidc] = await Promise.all([openSession(), startOidc({ app: 'oauth4webapi', dpop })]);
  try {
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
    const view = await waitFor(what, async () => {
      const got = await state.run(
        (browser, id: number) => browser.runtime.sendMessage({ type: 'get-view', tabId: id }) as Promise<ViewState>,
        tabId,
      );
      return ready(got) ? got : undefined;
    });
    await page.close();
    return { view, jkt };
  } finally {
    await oidc.close();
    await session.close();
  }
}

const atOrOverLow = (report: Report) =>
  [...report.exchanges.flatMap((e) => e.findings), ...report.signIns.flatMap((s) => s.findings)].filter((f) => f.severity !== 'info');

describe('Firefox: a DPoP sign-in with a server nonce', () => {
  test('one sign-in, the retry granted, the access token bound to the page key, no finding at or over low', async () => {
    const { view, jkt } = await dpopFlow({}, 'the sign-in with its challenge and its retry', (got) =>
      got.report.signIns.some((s) => s.authorization !== null && s.exchanges.length === 2),
    );
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
    assert.deepEqual(atOrOverLow(report), []);
  });
});

// The same app on fetch, then on XMLHttpRequest (its discovery and API calls through oauth4webapi's `customFetch`).
for (const transport of ['fetch', 'xhr'] as const)
  describe(`Firefox: the API's own DPoP nonce challenge (RFC 9449 s9), on ${transport}`, () => {
    test('the 401 and its retry are one use of the token, its challenge answered (retried), no finding at or over low', async () => {
      const sentTo = (view: ViewState) =>
        view.report.exchanges.flatMap((e) =>
          e.resourceServers.flatMap((s) => s.tokens.filter((t) => t.kind === 'access').flatMap((t) => t.sentTo ?? [])),
        );
      const { view } = await dpopFlow(
        { resourceNonce: true, xhr: transport === 'xhr' },
        'the API use with its challenge joined to the retry',
        (got) => sentTo(got).some((sent) => sent.nonceChallenge === 'retried'),
      );
      assert.deepEqual(
        sentTo(view).map((sent) => [sent.method, sent.scheme, sent.nonceChallenge]),
        [['GET', 'dpop', 'retried']],
      );
      assert.deepEqual(atOrOverLow(view.report), []);
      // oauth4webapi's discovery request (OIDC Discovery s4), on fetch or XHR alike: a step of the sign-in, read by the hook.
      const discovery = view.report.signIns.flatMap((signIn) => signIn.discovery?.steps ?? []);
      assert.ok(
        discovery.some(
          (step) => step.kind === 'server-metadata' && step.method === 'GET' && step.status === 200 && step.source === 'page-hook',
        ),
        `a server-metadata step from the page hook, among ${JSON.stringify(discovery)}`,
      );
    });
  });
