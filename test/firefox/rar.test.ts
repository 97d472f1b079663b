/**
 * Rich authorization requests (RFC 9396) in Firefox: oidc-client-ts asks the real oidc-provider for `payment_initiation`
 * with initiate, status and write; the user consents without `write`. The view's report carries the details requested
 * and granted for the API, and `authorization-details-dropped` naming the right.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ViewState } from '../../src/protocol/view-state.js';
import { startOidc } from '../support/servers/oidc.js';
import { tabIdOf, waitFor } from './harness.js';
import { openSession, type Session } from './session.js';

const API = 'https://api.example.test';

describe('Firefox: a sign-in granted fewer authorization details than it asked for', () => {
  let session: Session;
  let oidc: Awaited<ReturnType<typeof startOidc>>;

  before(async () => {
    [session, oidc] = await Promise.all([
      openSession(),
      startOidc({
        rar: {
          details: [{ type: 'payment_initiation', actions: ['initiate', 'status', 'write'], locations: [API] }],
          refusedActions: ['write'],
        },
      }),
    ]);
  });

  after(async () => {
    await oidc?.close();
    await session?.close();
  });

  test('the report says which right was dropped, per resource server', async () => {
    const { firefox, state } = session;
    const page = await firefox.browser.newPage();
    await page.goto(oidc.appUrl);
    await waitFor('the page hook in the app', () =>
      page.evaluate(() => (window as unknown as Record<symbol, unknown>)[Symbol.for('tokenscope.page-hook')] === true),
    );
    await page.evaluate(() => document.getElementById('signin')?.click());
    await waitFor('the app to sign in', () =>
      page.evaluate(() => document.getElementById('status')?.textContent ?? '').then((s) => s === 'signed-in'),
    );
    const tabId = await tabIdOf(state, oidc.appUrl);
    const view = await waitFor('the code exchange in the view', async () => {
      const got = await state.run(
        (browser, id: number) => browser.runtime.sendMessage({ type: 'get-view', tabId: id }) as Promise<ViewState>,
        tabId,
      );
      return got.report.exchanges.some((e) => e.request.grantType === 'authorization_code') ? got : undefined;
    });
    const exchange = view.report.exchanges.find((e) => e.request.grantType === 'authorization_code');
    const server = exchange?.resourceServers.find((s) => s.id === API);
    assert.deepEqual(server?.authorizationDetails, {
      requested: [{ type: 'payment_initiation', actions: ['initiate', 'status', 'write'], locations: [API] }],
      granted: [{ type: 'payment_initiation', actions: ['initiate', 'status'], locations: [API] }],
      grantedFrom: 'response',
    });
    const dropped = exchange?.findings.filter((f) => f.rule === 'authorization-details-dropped') ?? [];
    assert.deepEqual(
      dropped.map((f) => f.message),
      [`${API} was granted fewer rights than requested: payment_initiation: action "write" requested, not granted.`],
    );
  });
});
