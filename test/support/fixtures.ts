/**
 * The browser tests' fixtures: the extension (harness.ts), the test servers started for a test and closed after it
 * whatever the test did, and `captureOne`, the user's one click that makes a token request, waited on until the
 * worker stored it. A spec starts in one line, as preact-devtools' `gotoTest(page, name)` does.
 */
import type { Server } from 'node:http';
import type { Page } from '@playwright/test';
import { closeServer, listen } from '../../scripts/lib/http.mjs';
import { type AppStep, test as extension, expect, openPopup, runApp, storedCount, tabIdOf, watchedAndUnwatched } from './harness.js';
import { type OidcOptions, type OidcSetup, startOidc } from './servers/oidc.js';
import { startTokenEndpoint, type TokenEndpointSetup } from './servers/token-endpoint.js';

export interface ServerFixtures {
  /** The Globus-shaped token endpoint and its app page (servers/token-endpoint.ts), closed after the test. */
  tokenEndpoint: TokenEndpointSetup;
  /** Start an OpenID provider and its app (servers/oidc.ts) with the test's options; each one closed after the test. */
  oidcServer: (options?: OidcOptions) => Promise<OidcSetup>;
  /**
   * An OpenID provider and its app (`oidcServer(options)`), the app run through `steps` until `stored` exchanges are
   * stored for its tab (harness.ts `runApp`), then the tab's popup opened: the provider, the tab and the popup.
   */
  oidcApp: (options: OidcOptions, steps: readonly AppStep[], stored?: number) => Promise<{ oidc: OidcSetup; tabId: number; popup: Page }>;
  /**
   * A spec's own server (`served`), its `path` opened in a watched tab (127.0.0.1) and in one not watched (localhost):
   * harness.ts `watchedAndUnwatched`, with the server.
   */
  watchedPair: <S extends { origin: string; close(): Promise<void> }>(
    starting: Promise<S>,
    path: string,
  ) => Promise<{ server: S } & Awaited<ReturnType<typeof watchedAndUnwatched>>>;
  /** Any server a spec starts itself (`served(startServer())`): the server, closed after the test. */
  served: <S extends { close(): Promise<void> }>(starting: Promise<S>) => Promise<S>;
}

export const test = extension.extend<ServerFixtures>({
  // biome-ignore lint/correctness/noEmptyPattern: Playwright's fixture signature.
  tokenEndpoint: async ({}, use) => {
    const server = await startTokenEndpoint();
    await use(server);
    await server.close();
  },
  // biome-ignore lint/correctness/noEmptyPattern: Playwright's fixture signature.
  served: async ({}, use) => {
    const started: Array<{ close(): Promise<void> }> = [];
    await use(async (starting) => {
      const server = await starting;
      started.push(server);
      return server;
    });
    for (const server of started.reverse()) await server.close();
  },
  oidcServer: async ({ served }, use) => {
    await use((options) => served(startOidc(options)));
  },
  watchedPair: async ({ context, extensionId, served }, use) => {
    await use(async (starting, path) => {
      const server = await served(starting);
      return { server, ...(await watchedAndUnwatched(context, extensionId, server.origin, path)) };
    });
  },
  oidcApp: async ({ context, extensionId, oidcServer }, use) => {
    await use(async (options, steps, stored) => {
      const oidc = await oidcServer(options);
      const { tabId } = await runApp(context, extensionId, oidc.appUrl, steps, stored);
      return { oidc, tabId, popup: await openPopup(context, extensionId, tabId) };
    });
  },
});
export { expect };

/** A spec's own `node:http` server, listening on a free port of 127.0.0.1 (for `served`): its origin and its close. */
export async function listening(server: Server): Promise<{ origin: string; close(): Promise<void> }> {
  return { origin: `http://127.0.0.1:${await listen(server)}`, close: () => closeServer(server) };
}

/** What the page says once its token request is done: its `#status` reads exactly, or its `#log` contains. */
export type PageSays = { status: string | RegExp } | { log: string };

/**
 * The user's click on `selector` in a watched page that makes one token request: waits until the page says it is
 * done (`says`), then until the worker has stored one more exchange for the page's tab. The tab's id.
 */
export async function captureOne(page: Page, selector: string, says: PageSays): Promise<number> {
  const context = page.context();
  const worker = [...context.serviceWorkers()].reverse().find((w) => w.url().startsWith('chrome-extension://'));
  if (!worker) throw new Error('the extension worker is not running');
  const extensionId = new URL(worker.url()).host;
  const tabId = await tabIdOf(context, extensionId, page);
  const before = await storedCount(context, extensionId, tabId);
  await page.click(selector);
  if ('status' in says) await expect(page.locator('#status')).toHaveText(says.status);
  else await expect(page.locator('#log')).toContainText(says.log);
  await expect.poll(() => storedCount(context, extensionId, tabId)).toBe(before + 1);
  return tabId;
}
