/**
 * One TLS sign-in test in Chromium: the sites on the TLS server, Chromium with the test build mapped to it, the app
 * driven by its buttons (each step waits for the app's #status), and the tab's view read from the worker as the popup
 * reads it (`get-view`).
 */
import type { BrowserContext, Page } from '@playwright/test';
import type { ViewState } from '../../src/protocol/view-state.js';
import { type AppStep, expect, tabIdOf } from '../e2e/harness.js';
import { launchChromiumTls } from './chromium.js';
import { outline } from './report-checks.js';
import { type SiteHandler, startTlsHosts, type TlsHosts } from './server.js';

export interface ChromiumApp {
  context: BrowserContext;
  extensionId: string;
  tls: TlsHosts;
  page: Page;
  tabId: number;
  /** Take more steps on the app's page. */
  steps(list: readonly AppStep[]): Promise<void>;
  /** The tab's view, as the popup gets it. */
  view(): Promise<ViewState>;
}

async function takeSteps(page: Page, list: readonly AppStep[]): Promise<void> {
  for (const [selector, status] of list) {
    if (selector) await page.click(selector);
    await expect(page.locator('#status')).toHaveText(status, { timeout: 20_000 });
  }
}

/** Serve `sites`, launch Chromium, open `https://<appHost>/`, take `steps`; `work` gets the app; everything closed after. */
export async function withChromiumApp(
  sites: Record<string, SiteHandler>,
  appHost: string,
  steps: readonly AppStep[],
  work: (app: ChromiumApp) => Promise<void>,
): Promise<void> {
  const tls = await startTlsHosts(sites);
  try {
    const { context, extensionId, close } = await launchChromiumTls(Object.keys(sites), tls.port);
    try {
      const page = await context.newPage();
      await page.goto(tls.url(appHost, '/'));
      await takeSteps(page, steps);
      const tabId = await tabIdOf(context, extensionId, page);
      const reader = await context.newPage();
      await reader.goto(`chrome-extension://${extensionId}/popup.html?tab=0`);
      const view = () => reader.evaluate((id) => chrome.runtime.sendMessage({ type: 'get-view', tabId: id }) as Promise<ViewState>, tabId);
      await page.bringToFront();
      await work({ context, extensionId, tls, page, tabId, steps: (list) => takeSteps(page, list), view });
      // TLS_OUTLINE=1: print what the report ended with (for reading what a run captured, e.g. for the README).
      if (process.env.TLS_OUTLINE) console.log(outline((await view()).report));
    } finally {
      await close();
    }
  } finally {
    await tls.close();
  }
}
