/**
 * Browser-test harness: real Chromium with the built extension loaded, the
 * extension's id, its popup for a tab, and the user's site-access toggles
 * (driven from chrome://extensions as ../shared/BROWSER-TESTING.md describes).
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, expect, type Page, test as base, type Worker } from '@playwright/test';
import { chromiumPath } from '../../scripts/lib/chromium.mjs';
import { runBuild } from '../../scripts/lib/project.mjs';
import type { StoredExchange } from '../../src/background/store.js';
import { itemsAdding, storedExchangesIn } from '../../src/background/store-layout.js';
import type { Report } from '../../src/core/types.js';
import { TLS_APP_HOSTS } from './tls-hosts.js';

const root = join(import.meta.dirname, '../..');
export const TEST_EXTENSION_DIR = join(root, '.cache/extension-test');
/** Two hosts, so one can be watched and the other not. */
export const TEST_HOSTS = ['http://127.0.0.1/*', 'http://localhost/*'];
/** scripts/build.mjs's arguments for the test build: TEST_HOSTS and the TLS tests' app origins (test/support/tls-hosts.ts). */
export const TEST_BUILD_ARGS = ['--test-hosts', [...TEST_HOSTS, ...TLS_APP_HOSTS].join(','), '--out-dir', TEST_EXTENSION_DIR];
export { chromiumPath };

/** Build the test extension into TEST_EXTENSION_DIR (the e2e global setup, the screenshots, the popup benches). */
export function buildTestExtension(): void {
  const status = runBuild(TEST_BUILD_ARGS);
  if (status !== 0) throw new Error(`the test build failed (exit ${status})`);
}

/**
 * Headless Chromium with one unpacked MV3 extension (a fresh copy: Chromium writes into an unpacked extension's folder,
 * `_metadata`), once its worker runs. The browser tests and the benches (scripts/bench/browser.mjs) launch this way.
 */
export async function launchExtensionCopy(
  extensionDir: string,
  extraArgs: string[] = [],
): Promise<{ context: BrowserContext; worker: Worker; close: () => Promise<void> }> {
  const copy = mkdtempSync(join(tmpdir(), 'tokenscope-ext-'));
  cpSync(extensionDir, copy, { recursive: true });
  const context = await chromium.launchPersistentContext('', {
    executablePath: chromiumPath(),
    headless: true,
    args: [
      `--disable-extensions-except=${copy}`,
      `--load-extension=${copy}`,
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
      ...extraArgs,
    ],
  });
  let [worker] = context.serviceWorkers();
  if (!worker) worker = await context.waitForEvent('serviceworker');
  const close = async () => {
    await context.close();
    rmSync(copy, { recursive: true, force: true });
  };
  return { context, worker, close };
}

export async function launchWithExtension(
  extensionDir = TEST_EXTENSION_DIR,
  extraArgs: string[] = [],
): Promise<{ context: BrowserContext; extensionId: string; worker: Worker; close: () => Promise<void> }> {
  const { context, worker, close } = await launchExtensionCopy(extensionDir, extraArgs);
  const extensionId = new URL(worker.url()).host;
  // The worker registers the page hook for the granted hosts as it starts: wait for that, as a user's first page load would come later.
  await expect
    .poll(() => worker.evaluate(async () => (await chrome.scripting.getRegisteredContentScripts()).length), { timeout: 10_000 })
    .toBe(2);
  return { context, extensionId, worker, close };
}

export interface ExtensionFixtures {
  context: BrowserContext;
  extensionId: string;
}

export const test = base.extend<ExtensionFixtures>({
  // biome-ignore lint/correctness/noEmptyPattern: Playwright's fixture signature.
  context: async ({}, use) => {
    const { context, close } = await launchWithExtension();
    await use(context);
    await close();
  },
  extensionId: async ({ context }, use) => {
    let [worker] = context.serviceWorkers();
    if (!worker) worker = await context.waitForEvent('serviceworker');
    await use(new URL(worker.url()).host);
  },
});
export { expect };

/**
 * The browser's id of the tab showing `page`. Tab URLs are hidden from the
 * extension on sites it may not access, so: bring the page to front and ask
 * the worker for the active tab.
 */
export async function tabIdOf(context: BrowserContext, _extensionId: string, page: Page): Promise<number> {
  await page.bringToFront();
  // The extension's worker, not a service worker the page registered.
  const worker = [...context.serviceWorkers()].reverse().find((w) => w.url().startsWith('chrome-extension://'));
  if (!worker) throw new Error('the extension worker is not running');
  const id = await worker.evaluate(async () => (await chrome.tabs.query({ active: true, lastFocusedWindow: true }))[0]?.id ?? -1);
  if (id < 0) throw new Error(`no active tab for ${page.url()}`);
  return id;
}

/** Open `url` in a new tab: the page and its tab id. */
export async function openTab(context: BrowserContext, extensionId: string, url: string): Promise<{ page: Page; tabId: number }> {
  const page = await context.newPage();
  await page.goto(url);
  return { page, tabId: await tabIdOf(context, extensionId, page) };
}

/** One step of a test app: click `selector` (null: nothing, the app acts on load), then wait for `#status` to read `status`. */
export type AppStep = readonly [selector: string | null, status: string | RegExp];

/**
 * Run a test app (the sign-in servers' pages: test/support/servers/): open `url`, take each step, then wait until `stored`
 * exchanges are stored for its tab (left out: not waited for). The page and its tab id.
 */
export async function runApp(
  context: BrowserContext,
  extensionId: string,
  url: string,
  steps: readonly AppStep[],
  stored?: number,
): Promise<{ page: Page; tabId: number }> {
  const { page, tabId } = await openTab(context, extensionId, url);
  for (const [selector, status] of steps) {
    if (selector) await page.click(selector);
    await expect(page.locator('#status')).toHaveText(status);
  }
  if (stored !== undefined) await expect.poll(() => storedCount(context, extensionId, tabId)).toBe(stored);
  return { page, tabId };
}

/**
 * The same page of a test server on 127.0.0.1, watched (the hook in it), and on localhost, not watched (no hook): for
 * comparing what a page gets with and without Tokenscope. Site access is set to 127.0.0.1 only, and checked on both.
 */
export async function watchedAndUnwatched(
  context: BrowserContext,
  extensionId: string,
  origin: string,
  path: string,
): Promise<{ watched: Page; unwatched: Page; unwatchedOrigin: string }> {
  await setSiteAccess(context, extensionId, ['http://127.0.0.1/*']);
  const hasHook = (page: Page) => page.evaluate(() => Symbol.for('tokenscope.page-hook') in window);
  const watched = await context.newPage();
  await watched.goto(`${origin}${path}`);
  const unwatchedOrigin = origin.replace('127.0.0.1', 'localhost');
  const unwatched = await context.newPage();
  await unwatched.goto(`${unwatchedOrigin}${path}`);
  expect(await hasHook(watched)).toBe(true);
  expect(await hasHook(unwatched)).toBe(false);
  return { watched, unwatched, unwatchedOrigin };
}

/** Open the popup for a tab, as the DevTools panel and the tests do (`popup.html?tab=ID`). */
export async function openPopup(context: BrowserContext, extensionId: string, tabId: number): Promise<Page> {
  const popup = await context.newPage();
  await popup.setViewportSize({ width: 600, height: 600 });
  await popup.goto(`chrome-extension://${extensionId}/popup.html?tab=${tabId}`);
  return popup;
}

/**
 * The user's "site access" on chrome://extensions: withhold every host, then
 * allow the given ones. permissions.onAdded / onRemoved fire in the worker as
 * they would for a real user.
 */
export async function setSiteAccess(context: BrowserContext, extensionId: string, allowed: string[]): Promise<void> {
  const page = await context.newPage();
  await page.goto('chrome://extensions');
  await page.evaluate(
    async ({ id, hosts }) => {
      // biome-ignore lint/suspicious/noExplicitAny: developerPrivate has no public types.
      const dev = (chrome as any).developerPrivate;
      await dev.updateExtensionConfiguration({ extensionId: id, hostAccess: 'ON_CLICK' });
      for (const host of hosts) await dev.addHostPermission(id, host);
    },
    { id: extensionId, hosts: allowed },
  );
  await page.close();
}

/** Read the worker's stored state from an extension page (survives the worker being stopped). */
export async function storedState(
  context: BrowserContext,
  extensionId: string,
): Promise<{ session: Record<string, unknown>; local: Record<string, unknown>; sync: Record<string, unknown> }> {
  const page = await context.newPage();
  await page.goto(`chrome-extension://${extensionId}/popup.html?tab=0`);
  const state = await page.evaluate(async () => ({
    session: await chrome.storage.session.get(null),
    local: await chrome.storage.local.get(null),
    sync: await chrome.storage.sync.get(null),
  }));
  await page.close();
  return state;
}

/** The action badge text Tokenscope set for a tab. */
export async function badgeText(context: BrowserContext, extensionId: string, tabId: number): Promise<string> {
  const page = await context.newPage();
  await page.goto(`chrome-extension://${extensionId}/popup.html?tab=0`);
  const text = await page.evaluate((id) => chrome.action.getBadgeText({ tabId: id }), tabId);
  await page.close();
  return text;
}

/** The tab's report, as the views' export gets it (`export-report`, token values left out). */
export async function exportReport(context: BrowserContext, extensionId: string, tabId: number): Promise<Report> {
  const page = await context.newPage();
  await page.goto(`chrome-extension://${extensionId}/popup.html?tab=0`);
  const report = await page.evaluate((id) => chrome.runtime.sendMessage({ type: 'export-report', tabId: id, showTokens: false }), tabId);
  await page.close();
  return report as Report;
}

/**
 * Every exchange the worker stored, oldest first, read from an extension page (storage.session holds one key per
 * exchange and an index per tab: src/background/store-layout.ts). The one way the browser tests read them.
 */
export async function storedExchanges(context: BrowserContext, extensionId: string): Promise<StoredExchange[]> {
  return storedExchangesIn((await storedState(context, extensionId)).session);
}

/**
 * Stop the extension's worker, as Chromium does when it is idle, and wait until it is gone: the next message wakes a
 * new worker, which reads storage.session anew. The worker is the only writer of its store and keeps it in memory
 * (src/background/store.ts): a test that writes storage itself restarts it after writing.
 */
export async function restartWorker(extensionPage: Page): Promise<void> {
  const cdp = await extensionPage.context().newCDPSession(extensionPage);
  const extensionId = new URL(extensionPage.url()).host;
  const workers = async () =>
    ((await cdp.send('Target.getTargets')).targetInfos as Array<{ type: string; url: string }>).filter(
      (t) => t.type === 'service_worker' && t.url.includes(extensionId),
    ).length;
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.stopAllWorkers');
  await expect.poll(workers).toBe(0);
  await cdp.detach();
}

/**
 * Store `list` as the worker would have (after what is stored), from an open extension page: a full store without the
 * capture path. Then the worker is restarted (`restartWorker`), as after Chromium stopped it: it reads the seeded store.
 */
export async function seedExchanges(extensionPage: Page, list: readonly StoredExchange[]): Promise<void> {
  const items = itemsAdding(await extensionPage.evaluate(() => chrome.storage.session.get(null)), list);
  await extensionPage.evaluate((all) => chrome.storage.session.set(all), items);
  await restartWorker(extensionPage);
}

/** Number of exchanges stored for a tab (or all tabs). */
export async function storedCount(context: BrowserContext, extensionId: string, tabId?: number): Promise<number> {
  return (await storedExchanges(context, extensionId)).filter((e) => tabId === undefined || e.capture.tabId === tabId).length;
}

/** Wait until a DevTools front end has loaded Tokenscope's devtools_page for `tabId` (with --auto-open-devtools-for-tabs). */
export async function waitForDevtoolsPage(context: BrowserContext, page: Page, tabId: number): Promise<void> {
  const cdp = await context.newCDPSession(page);
  let next = 1;
  const replies = new Map<number, (value: unknown) => void>();
  cdp.on('Target.receivedMessageFromTarget', (event: { message: string }) => {
    const message = JSON.parse(event.message) as { id?: number; result?: { result?: { value?: unknown } } };
    if (message.id !== undefined) replies.get(message.id)?.(message.result?.result?.value);
  });
  const inspectedTabs = async (): Promise<unknown[]> => {
    const { targetInfos } = (await cdp.send('Target.getTargets')) as { targetInfos: Array<{ targetId: string; url: string }> };
    const pages = targetInfos.filter((t) => t.url.startsWith('chrome-extension://') && t.url.endsWith('/devtools.html'));
    return Promise.all(
      pages.map(async (target) => {
        const { sessionId } = (await cdp.send('Target.attachToTarget', { targetId: target.targetId, flatten: false })) as {
          sessionId: string;
        };
        const id = next++;
        const reply = new Promise((resolve) => replies.set(id, resolve));
        await cdp.send('Target.sendMessageToTarget', {
          sessionId,
          message: JSON.stringify({
            id,
            method: 'Runtime.evaluate',
            params: { expression: 'chrome.devtools.inspectedWindow.tabId', returnByValue: true },
          }),
        });
        const value = await reply;
        await cdp.send('Target.detachFromTarget', { sessionId });
        return value;
      }),
    );
  };
  await expect.poll(inspectedTabs, { timeout: 15_000 }).toContain(tabId);
  await cdp.detach();
}
