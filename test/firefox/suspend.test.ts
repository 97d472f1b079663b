/**
 * Firefox suspends an idle MV3 background (here after 2 s): its memory is gone,
 * storage.session is not. Stored exchanges survive, and the next token request
 * wakes the background through its blocking webRequest listener, which captures
 * that request's response before it has read the granted origins anew.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'puppeteer-core';
import { type ExtensionPage, storedExchanges, waitFor } from './harness.js';
import type { Proxied } from './servers.js';
import { openSession, type Session } from './session.js';

const IDLE_MS = 2_000;

/**
 * Whether the background page is running: extension.getViews() lists Firefox's
 * generated background page only while it runs, and asking does not wake it.
 */
function backgroundRunning(state: ExtensionPage): Promise<boolean> {
  return state.run((browser) => browser.extension.getViews().some((view) => view.location.pathname === '/_generated_background_page.html'));
}

async function click(page: Page, id: string): Promise<void> {
  await page.evaluate((button) => document.getElementById(button)?.click(), id);
  await waitFor(`the page to log done ${id}`, () =>
    page.evaluate((button) => document.getElementById('log')?.textContent?.includes(`done ${button}`), id),
  );
}

describe('Firefox: the background suspended and woken', () => {
  let session: Session;
  let server: Proxied;
  let page: Page;
  let state: ExtensionPage;

  before(async () => {
    session = await openSession({ prefs: { 'extensions.background.idle.timeout': IDLE_MS } });
    ({ server, page, state } = session);
  });

  after(async () => {
    await session?.close();
  });

  test('stored exchanges survive; the request that wakes the background is captured by the filter', async () => {
    await click(page, 'fetch-json');
    const first = await waitFor('the first exchange from both sources', async () =>
      (await storedExchanges(state)).find((e) => e.capture.seenBy.includes('filter') && e.capture.seenBy.includes('page-hook')),
    );

    // Something only the running background's memory holds.
    assert.equal(await backgroundRunning(state), true);
    await state.run(async (browser) => {
      const background = (await browser.runtime.getBackgroundPage()) as unknown as Record<string, unknown>;
      background.tokenscopeTestMark = 'before suspension';
    });

    const started = Date.now();
    await waitFor('Firefox to suspend the idle background', async () => !(await backgroundRunning(state)), 20_000, 100);
    const suspendedAfter = Date.now() - started;
    assert.ok(suspendedAfter < 15_000, `suspended after ${suspendedAfter} ms`);
    const whileSuspended = await storedExchanges(state);
    assert.equal(whileSuspended.length, 1, 'storage.session holds the exchange while the background is gone');

    // The token request itself wakes the background (its blocking webRequest listener).
    await click(page, 'xhr-json');
    const sent = server.responses.at(-1);
    assert.ok(sent);
    const second = await waitFor('the wake-up exchange from the filter', async () =>
      (await storedExchanges(state)).find((e) => e.key !== first.key && e.capture.seenBy.includes('filter')),
    );
    assert.ok(Buffer.from(second.exchange.response.body ?? '', 'utf8').equals(sent.body), 'captured byte-identical after the wake-up');
    assert.equal(second.capture.verification, 'verified');

    const after = await storedExchanges(state);
    assert.equal(after.length, 2);
    assert.deepEqual(
      after.find((e) => e.key === first.key),
      first,
      'the exchange from before the suspension is unchanged',
    );
    assert.equal(await backgroundRunning(state), true);
    const mark = await state.run(
      async (browser) => ((await browser.runtime.getBackgroundPage()) as unknown as Record<string, unknown>).tokenscopeTestMark ?? null,
    );
    assert.equal(mark, null, 'a new background: the old memory is gone');
  });
});
