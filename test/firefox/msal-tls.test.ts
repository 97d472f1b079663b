/**
 * Firefox: @azure/msal-browser 5.29 at login.microsoftonline.com and graph.microsoft.com over TLS
 * (test/tls/providers/entra.ts; forceResolve to the TLS server on 127.0.0.1:443, run under
 * `flock /tmp/tokenscope-443.lock`): loginRedirect and loginPopup, Graph /me, acquireTokenSilent for api://orders-api.
 * Every step shown, the APIs by the names the app asked for, no false finding, no needless "also watch" notice; an
 * orders token naming another API too is flagged HIGH.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { MSAL_CORRECT, MSAL_ORDERS_EXTRA_AUDIENCE } from '../tls/checks/entra.js';
import { failingAfterWait } from '../tls/checks/report.js';
import { firefoxReport, firefoxView, step } from '../tls/firefox-app.js';
import { type FirefoxTls, launchFirefoxTls } from '../tls/firefox.js';
import { INVOICES_APP_ID } from '../tls/providers/entra.js';
import { CONTOSO_URL, entraSites } from '../tls/providers/entra-site.js';
import type { SiteHandler } from '../tls/server.js';
import { tabIdOf } from './harness.js';

describe('Firefox: msal-browser at login.microsoftonline.com over TLS', () => {
  let session: FirefoxTls;
  let flawed = false;

  before(async () => {
    // One server for both flows: the misconfiguration is switched on for the last test only.
    const correct = entraSites().sites;
    const misconfigured = entraSites({ ordersExtraAudience: INVOICES_APP_ID }).sites;
    const sites: Record<string, SiteHandler> = {};
    for (const host of Object.keys(correct)) sites[host] = (req, res) => (flawed ? misconfigured : correct)[host]?.(req, res);
    session = await launchFirefoxTls(sites);
  });
  after(async () => {
    await session?.close();
  });

  let tabs = 0;
  /** A fresh tab: sign in with `login`, call Graph /me, get the orders token silently. */
  async function signedIn(login: string) {
    const url = `${CONTOSO_URL}#tab-${++tabs}`;
    const { page, state } = await session.firefox.openApp(url);
    const tabId = await tabIdOf(state, url);
    await step(page, null, 'ready');
    await step(page, login, /^signed-in (redirect|popup) User\.Read openid profile$/);
    await step(page, '#me', 'me 200 Megan Bowen');
    await step(page, '#orders', 'orders token api://orders-api/Orders.Read');
    return { page, state, tabId };
  }

  for (const [login, how] of [
    ['#login-redirect', 'loginRedirect'],
    ['#login-popup', 'loginPopup'],
  ] as const) {
    test(`${how}, correct: every step, Graph and api://orders-api by name, no false finding, no needless notice`, async () => {
      const { page, state, tabId } = await signedIn(login);
      const { failed, findings } = await failingAfterWait(MSAL_CORRECT, firefoxReport(state, tabId));
      assert.deepEqual(failed, [], findings);
      assert.deepEqual((await firefoxView(state, tabId)).suggestedHosts, [], 'nothing was missed: no "also watch" notice');
      await state.close();
      await page.close();
    });
  }

  test("loginRedirect, flawed: the orders token's aud also names another API: flagged HIGH", async () => {
    flawed = true;
    const { page, state, tabId } = await signedIn('#login-redirect');
    const { failed, findings } = await failingAfterWait(MSAL_ORDERS_EXTRA_AUDIENCE, firefoxReport(state, tabId));
    assert.deepEqual(failed, [], findings);
    await state.close();
    await page.close();
  });
});
