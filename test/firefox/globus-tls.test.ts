/**
 * Firefox: @globus/sdk 6.2 at Globus's real hostnames over TLS (test/tls/providers/globus.ts; forceResolve to the
 * TLS server on 127.0.0.1:443, run under `flock /tmp/tokenscope-443.lock`). The portal signs in with the SDK's own
 * redirect handling, refreshes per server and calls Transfer: every step shown, no false finding; the Transfer token
 * sent to Groups flagged HIGH.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { failingAfterWait } from '../tls/checks/report.js';
import { GLOBUS_CORRECT, GLOBUS_TRANSFER_TOKEN_TO_GROUPS } from '../tls/checks/globus.js';
import { firefoxReport, step } from '../tls/firefox-app.js';
import { type FirefoxTls, launchFirefoxTls } from '../tls/firefox.js';
import { globusSites, PORTAL_URL } from '../tls/providers/globus-site.js';
import { tabIdOf } from './harness.js';

describe('Firefox: Globus SDK at auth.globus.org over TLS', () => {
  let session: FirefoxTls;

  before(async () => {
    session = await launchFirefoxTls(globusSites().sites);
  });
  after(async () => {
    await session?.close();
  });

  /** A fresh portal tab signed in by the SDK (login, authorize, handleCodeRedirect, location.replace). */
  let tabs = 0;
  async function signedIn() {
    // A fragment of its own, so this tab is told from the one before (the tab keeps its id across the sign-in).
    const url = `${PORTAL_URL}#tab-${++tabs}`;
    const { page, state } = await session.firefox.openApp(url);
    const tabId = await tabIdOf(state, url);
    // A tab before may have left the SDK's tokens in localStorage: start signed out, as a new user.
    await step(page, null, /^(ready|signed-in)/);
    await page.evaluate(() => {
      localStorage.clear();
      (document.getElementById('status') as HTMLElement).textContent = 'signing in';
    });
    await step(page, '#signin', 'signed-in 3 tokens');
    return { page, state, tabId };
  }

  test('correct: authorization, code exchange, a refresh per server and the Transfer call shown; no false finding', async () => {
    const { page, state, tabId } = await signedIn();
    await step(page, '#refresh', 'refreshed 3; transfer 200 1 endpoints');
    const { failed, findings } = await failingAfterWait(GLOBUS_CORRECT, firefoxReport(state, tabId));
    assert.deepEqual(failed, [], findings);
    await state.close();
    await page.close();
  });

  test('flawed: the Transfer token sent to groups.api.globus.org is flagged HIGH', async () => {
    const { page, state, tabId } = await signedIn();
    await step(page, '#misuse', 'groups 401');
    const { failed, findings } = await failingAfterWait(GLOBUS_TRANSFER_TOKEN_TO_GROUPS, firefoxReport(state, tabId));
    assert.deepEqual(failed, [], findings);
    await state.close();
    await page.close();
  });
});
