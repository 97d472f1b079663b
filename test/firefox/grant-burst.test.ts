/**
 * Nothing lost when the page moves on, in Firefox (issue #21; Firefox's CPU cannot be slowed from puppeteer, so each
 * flow is repeated instead):
 * - API calls made in the same task as the grant's answer was read, with its fresh tokens, 10 rounds: every Bearer
 *   use recorded (held by the worker until the exchange lands, from the hook or the filter), and the one outside the
 *   token's audience flagged. The Globus API hosts at their real names: `network.dns.forceResolve` sends every name to
 *   127.0.0.1, where the test server answers on its own port.
 * - 25 code exchanges in a row whose page `location.replace`s itself in the same task as it read the answer.
 * Servers: test/support/servers/moves-on.ts.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { fingerprint } from '../../src/core/sha256.js';
import type { BearerUse, Report } from '../../src/core/types.js';
import { type MovesOnServer, startMovesOnServer } from '../support/servers/moves-on.js';
import { buildTestExtension, type ExtensionPage, Firefox, storedExchanges, tabIdOf, waitFor } from './harness.js';

const ROUNDS = 10;
const IN_A_ROW = 25;

describe('Firefox: nothing lost when the page moves on', () => {
  let firefox: Firefox;
  let server: MovesOnServer;
  let state: ExtensionPage;
  let extensionDir: string;

  before(async () => {
    [extensionDir, server] = await Promise.all([buildTestExtension(), startMovesOnServer()]);
    firefox = await Firefox.launch(extensionDir, { 'network.dns.forceResolve': '127.0.0.1' });
    ({ state } = await firefox.openApp(`${server.origin}/moves-on?tab=warm-up&n=1&of=1`));
  });

  after(async () => {
    await firefox?.close();
    await server?.close();
    if (extensionDir) rmSync(extensionDir, { recursive: true, force: true });
  });

  test(`20 API calls in the same task as the grant, ${ROUNDS} rounds: every Bearer use recorded, the one beyond the audience flagged`, async () => {
    const api = `http://transfer.api.globus.org:${server.port},http://groups.api.globus.org:${server.port}`;
    const url = `${server.origin}/grant-burst?api=${encodeURIComponent(api)}`;
    const page = await firefox.browser.newPage();
    const expected: Array<{ fingerprint: string; host: string }> = [];
    for (let round = 0; round < ROUNDS; round++) {
      await page.goto(url);
      const shown = await waitFor('the burst to end', () =>
        page.evaluate(() =>
          document.getElementById('status')?.textContent === 'done' ? document.getElementById('tokens')?.textContent : undefined,
        ),
      );
      const { transfer, groups, statuses } = JSON.parse(shown ?? '{}') as { transfer: string; groups: string; statuses: number[] };
      assert.deepEqual(statuses, Array(20).fill(200));
      expected.push(
        { fingerprint: fingerprint(transfer), host: `transfer.api.globus.org:${server.port}` },
        { fingerprint: fingerprint(groups), host: `groups.api.globus.org:${server.port}` },
        { fingerprint: fingerprint(transfer), host: new URL(server.origin).host },
      );
    }
    const recorded = async () => {
      const items = await state.run(async (browser) => (await browser.storage.session.get('bearerUses')) as Record<string, unknown>);
      // The recorded uses, per tab (background/bearer-held.ts `TabUses`).
      const uses = Object.values((items.bearerUses ?? {}) as Record<string, BearerUse[]>).flat();
      return expected.filter((e) => uses.some((u) => u.fingerprint === e.fingerprint && new URL(u.url).host === e.host)).length;
    };
    await waitFor('every Bearer use', async () => (await recorded()) === expected.length, 15_000).catch(() => undefined);
    const lost = expected.length - (await recorded());
    console.log(`grant burst (Firefox): ${lost}/${expected.length} Bearer uses lost`);
    assert.equal(lost, 0);

    const tabId = await tabIdOf(state, url);
    const report = await state.run(
      (browser, id: number) => browser.runtime.sendMessage({ type: 'export-report', tabId: id, showTokens: false }) as Promise<Report>,
      tabId,
    );
    const beyond = report.exchanges.flatMap((e) => e.findings).filter((f) => f.rule === 'token-sent-beyond-audience');
    const sentTo = beyond.map((f) => String(f.evidence.sentTo));
    assert.equal(sentTo.filter((to) => to.includes(server.origin)).length, ROUNDS, sentTo.join('\n'));
    assert.equal(sentTo.filter((to) => to.includes('globus.org')).length, 0, sentTo.join('\n'));
    await page.close();
  });

  test(`${IN_A_ROW} sign-ins in a row whose page moves on in the same task: every code exchange stored`, async () => {
    const page = await firefox.browser.newPage();
    await page.goto(`${server.origin}/moves-on?tab=ff&n=0&of=${IN_A_ROW}`);
    await waitFor('the last sign-in', () => page.evaluate(() => document.getElementById('status')?.textContent === 'done'), 120_000);
    const codes = async () =>
      new Set(
        (await storedExchanges(state))
          .map((stored) =>
            new URLSearchParams((stored.exchange as unknown as { request: { body: string | null } }).request.body ?? '').get('code'),
          )
          .filter((code) => code?.startsWith('moves-ff-')),
      ).size;
    await waitFor('every code exchange', async () => (await codes()) === IN_A_ROW, 15_000).catch(() => undefined);
    const lost = IN_A_ROW - (await codes());
    console.log(`page moves on (Firefox): ${lost}/${IN_A_ROW} code exchanges lost`);
    assert.equal(lost, 0);
    await page.close();
  });
});
