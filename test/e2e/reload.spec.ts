/**
 * The extension reloaded (or updated) while token responses are on their way: the open tab's relay is orphaned
 * and storage.session goes with the old version. The captures that arrive after the reload reach the new worker
 * (the old relay hands them back to the page hook, which passes them to the relay the new worker injects), each
 * stored once, and the tab's notes say what could not be kept.
 */
import type { Page } from '@playwright/test';
import { TOKEN_PATH } from '../../scripts/servers/globus.mjs';
import { storedExchanges, storedState, openTab } from '../support/harness.js';
import { expect, test } from '../support/fixtures.js';

/** Start `n` token exchanges from the page's fetch (and XHR for every other one); resolves to their access tokens. */
function startExchanges(page: Page, n: number): Promise<string[]> {
  return page.evaluate(
    async ([path, count]) => {
      const body = (i: number) =>
        new URLSearchParams({ grant_type: 'authorization_code', code: `reload-${i}-${Math.random()}`, client_id: 'c' });
      const viaXhr = (i: number) =>
        new Promise<string>((resolve, reject) => {
          const xhr = new XMLHttpRequest();
          xhr.open('POST', path);
          xhr.onload = () => resolve((JSON.parse(xhr.responseText) as { access_token: string }).access_token);
          xhr.onerror = () => reject(new Error('XHR failed'));
          xhr.send(body(i));
        });
      const viaFetch = async (i: number) => {
        const res = await fetch(path, { method: 'POST', body: body(i) });
        return ((await res.json()) as { access_token: string }).access_token;
      };
      return Promise.all(Array.from({ length: count }, (_, i) => (i % 2 ? viaXhr(i) : viaFetch(i))));
    },
    [TOKEN_PATH, n] as const,
  );
}

test('an extension reload mid-flow: what arrives afterwards is stored once by the new worker, and the tab is told', async ({
  context,
  extensionId,
  tokenEndpoint: server,
}) => {
  const { page, tabId } = await openTab(context, extensionId, server.pageUrl);
  const release = server.holdTokenResponses();
  const exchanges = startExchanges(page, 6);
  await expect.poll(() => server.requests.filter((r) => r.url.endsWith(TOKEN_PATH)).length).toBe(6);

  // Reload as the Reload button on chrome://extensions does. Chromium 156 disables a reloaded unpacked extension
  // ("unsupportedDeveloperExtension") unless developer mode is on. The new worker starts on its own (onInstalled).
  const extensionsPage = await context.newPage();
  await extensionsPage.goto('chrome://extensions');
  await extensionsPage.evaluate(async (id) => {
    // biome-ignore lint/suspicious/noExplicitAny: developerPrivate has no public types.
    const dev = (chrome as any).developerPrivate;
    await dev.updateProfileConfiguration({ inDeveloperMode: true });
    await dev.reload(id, { failQuietly: true });
  }, extensionId);
  await extensionsPage.close();
  // The new worker put a new relay into the open tab (it says so in the tab's notes) before the responses come.
  const notes = async () => ((await storedState(context, extensionId)).session.notes ?? []) as Array<{ tabId: number; message: string }>;
  await expect.poll(async () => (await notes()).filter((n) => n.tabId === tabId).length).toBe(1);
  expect((await notes())[0]?.message).toMatch(/reloaded or updated: exchanges stored before then were cleared/);

  release();
  const tokens = await exchanges;
  const stored = async () =>
    (await storedExchanges(context, extensionId)).map((e) => ({
      tabId: e.capture.tabId,
      token: (JSON.parse(e.exchange.response.body ?? '{}') as { access_token?: string }).access_token,
    }));
  await expect.poll(async () => (await stored()).length).toBe(6);
  const list = await stored();
  expect(list.map((e) => e.token).sort()).toEqual([...tokens].sort());
  expect(list.every((e) => e.tabId === tabId)).toBe(true);
});
