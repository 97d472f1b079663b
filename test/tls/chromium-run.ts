/**
 * One TLS sign-in test in Chromium: the sites on the TLS server, Chromium with the test build mapped to it, the app
 * driven by its buttons (each step waits for the app's #status), and the tab's view read from the worker as the popup
 * reads it (`get-view`).
 */
import type { BrowserContext, Page } from '@playwright/test';
import type { ViewState } from '../../src/protocol/view-state.js';
import { expect, openPopup, tabIdOf } from '../support/harness.js';
import { launchChromiumTls } from './chromium.js';
import { type PopupShown, runFlow, type TlsApp, type TlsFlow, type TlsStep, type WithApp } from './flows/flow.js';
import { startTlsHosts } from './server.js';

export interface ChromiumApp extends TlsApp {
  context: BrowserContext;
  extensionId: string;
  page: Page;
  /** What the user sees in the popup for the tab, once `names` are shown: the resource servers' names, and how many findings of each severity. */
  popup(names: readonly string[]): Promise<PopupShown>;
}

async function readPopup(context: BrowserContext, extensionId: string, tabId: number, names: readonly string[]): Promise<PopupShown> {
  const popup = await openPopup(context, extensionId, tabId);
  try {
    for (const name of names) await expect(popup.locator('.rs-name', { hasText: name }).first()).toBeAttached();
    // The popup adds its blocks one per frame: read once the page has stopped growing for a few frames.
    await popup.evaluate(async () => {
      const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
      for (let last = -1, same = 0; same < 3; ) {
        await frame();
        const now = document.querySelectorAll('*').length;
        same = now === last ? same + 1 : 0;
        last = now;
      }
    });
    const servers = [...new Set(await popup.locator('.rs-name').allTextContents())].sort();
    const count = (severity: string) => popup.locator(`li.finding.sev-${severity}`).count();
    return { servers, findings: { high: await count('high'), medium: await count('medium'), low: await count('low') } };
  } finally {
    await popup.close();
  }
}

async function takeSteps(page: Page, list: readonly TlsStep[]): Promise<void> {
  for (const [selector, status] of list) {
    if (selector) await page.click(selector);
    await expect(page.locator('#status')).toHaveText(status, { timeout: 20_000 });
  }
}

/** Serve `sites`, launch Chromium, open `https://<appHost>/`, take `steps`; `work` gets the app; everything closed after. */
export const withChromiumApp: WithApp<ChromiumApp> = async (sites, appHost, steps, work) => {
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
      const popup = (names: readonly string[]) => readPopup(context, extensionId, tabId, names);
      await work({ context, extensionId, tls, page, tabId, view, popup });
    } finally {
      await close();
    }
  } finally {
    await tls.close();
  }
};

/**
 * Run one flow of a table (test/tls/flows/) in Chromium: its steps, its checks on the report, and on the popup where it
 * has them; then `more`, what a spec checks in Chromium's popup beyond the table.
 */
export function runChromiumFlow(flow: TlsFlow, more?: (app: ChromiumApp) => Promise<void>): Promise<void> {
  return runFlow(flow, withChromiumApp, async (app) => {
    if (flow.popup) flow.popup.check(await app.popup(flow.popup.names));
    await more?.(app);
  });
}
