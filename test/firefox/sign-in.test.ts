/**
 * A whole sign-in in Firefox: the demo's app (code + PKCE against the Globus-shaped sign-in server) on a watched
 * site. The relay reads the authorization request from the Navigation API's `navigate` event and the answer on the
 * redirect URI at document_start; the filter and the hook capture the code exchange; the view joins them by PKCE.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { REQUESTED_SCOPE, startDemo } from '../../scripts/demo/servers.mjs';
import type { ViewState } from '../../src/protocol/view-state.js';
import { tabIdOf, waitFor } from './harness.js';
import { openSession, type Session } from './session.js';

describe('Firefox: a whole sign-in, live', () => {
  let session: Session;
  let demo: Awaited<ReturnType<typeof startDemo>>;

  before(async () => {
    [session, demo] = await Promise.all([openSession(), startDemo({ autoApprove: true })]);
  });

  after(async () => {
    await demo?.close();
    await session?.close();
  });

  test('the authorization request, its answer and the code exchange are one sign-in, joined by PKCE', async () => {
    const { firefox, state } = session;
    const page = await firefox.browser.newPage();
    await page.goto(demo.appUrl);
    await waitFor('the page hook in the app', () =>
      page.evaluate(() => (window as unknown as Record<symbol, unknown>)[Symbol.for('tokenscope.page-hook')] === true),
    );
    await page.evaluate(() => document.getElementById('signin')?.click());
    await waitFor('the app to say it signed in', () =>
      page.evaluate(() => /^Signed in as/.test(document.getElementById('status')?.textContent ?? '')),
    );
    const tabId = await tabIdOf(state, demo.appUrl);
    const signIn = await waitFor('the sign-in with its authorization request and code exchange', async () => {
      const view = await state.run(
        (browser, id: number) => browser.runtime.sendMessage({ type: 'get-view', tabId: id }) as Promise<ViewState>,
        tabId,
      );
      const found = view.report.signIns.find((s) => s.authorization !== null && s.exchanges.length > 0);
      return found ?? undefined;
    });
    assert.equal(signIn.authorization?.endpoint.endsWith('/v2/oauth2/authorize'), true, signIn.authorization?.endpoint);
    assert.deepEqual(signIn.authorization?.scopes, REQUESTED_SCOPE.split(' '));
    assert.equal(signIn.response?.outcome, 'code');
    assert.equal(signIn.joinedBy, 'pkce');
    assert.ok(signIn.resourceServers.some((server) => server.id === 'compute.demo.test'));
    await page.close();
  });
});
