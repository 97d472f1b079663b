/**
 * 8 tabs on a watched site, each making 12 token exchanges at once, while the worker is stopped twice (CDP
 * ServiceWorker.stopAllWorkers, as Chromium does on its own when idle, updating or short of memory). Every
 * exchange is stored, once, under the tab that made it: the relay resends what the worker did not answer for,
 * and the store recognises a resend by its capture id.
 */
import type { Page } from '@playwright/test';
import { TOKEN_PATH } from '../../scripts/servers/globus.mjs';
import { storedExchanges, tabIdOf } from '../support/harness.js';
import { expect, test } from '../support/fixtures.js';

const TABS = 8;
const PER_TAB = 12;

/** `n` token exchanges at once from the page's own fetch; the access tokens it received. */
function burst(page: Page, n: number): Promise<string[]> {
  return page.evaluate(
    async ([path, count]) => {
      const one = async (i: number) => {
        const body = new URLSearchParams({ grant_type: 'authorization_code', code: `burst-${i}-${Math.random()}`, client_id: 'c' });
        const res = await fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body });
        return ((await res.json()) as { access_token: string }).access_token;
      };
      return Promise.all(Array.from({ length: count }, (_, i) => one(i)));
    },
    [TOKEN_PATH, n] as const,
  );
}

test('96 exchanges from 8 tabs at once, the worker stopped twice meanwhile: each stored once, under its own tab', async ({
  context,
  extensionId,
  tokenEndpoint: server,
}) => {
  test.setTimeout(120_000);
  const pages: Page[] = [];
  const tabIds: number[] = [];
  for (let i = 0; i < TABS; i++) {
    const page = await context.newPage();
    await page.goto(`${server.pageUrl}?tab=${i}`);
    pages.push(page);
    tabIds.push(await tabIdOf(context, extensionId, page));
  }
  const cdp = await context.newCDPSession(pages[0] as Page);
  await cdp.send('ServiceWorker.enable');
  const stops = (async () => {
    await new Promise((resolve) => setTimeout(resolve, 150));
    await cdp.send('ServiceWorker.stopAllWorkers');
    await new Promise((resolve) => setTimeout(resolve, 250));
    await cdp.send('ServiceWorker.stopAllWorkers');
  })();
  const tokens = await Promise.all(pages.map((page) => burst(page, PER_TAB)));
  await stops;
  expect(new Set(tokens.flat()).size).toBe(TABS * PER_TAB);

  const expected = new Map<string, number>();
  tokens.forEach((list, i) => {
    for (const token of list) expected.set(token, tabIds[i] as number);
  });
  const placement = async () => {
    const seen = new Map<string, number[]>();
    for (const stored of await storedExchanges(context, extensionId)) {
      const token = (JSON.parse(stored.exchange.response.body ?? '{}') as { access_token?: string }).access_token ?? '';
      seen.set(token, [...(seen.get(token) ?? []), stored.capture.tabId]);
    }
    return seen;
  };
  await expect.poll(async () => (await placement()).size, { timeout: 60_000 }).toBe(TABS * PER_TAB);
  const seen = await placement();
  for (const [token, tabId] of expected) expect(seen.get(token), `token ${token.slice(0, 12)}…`).toEqual([tabId]);
});
