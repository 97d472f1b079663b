/**
 * One TLS sign-in test in Firefox: the sites on the TLS server at 127.0.0.1:443, Firefox with the test build
 * (test/tls/firefox.ts), the app opened and driven by its buttons (each step waits for the app's #status), and the tab's
 * view read from the background as the popup reads it (`get-view`). Run under `flock /tmp/tokenscope-443.lock`.
 */
import type { Page } from 'puppeteer-core';
import type { ViewState } from '../../src/protocol/view-state.js';
import { type ExtensionPage, waitFor } from '../firefox/harness.js';
import { launchFirefoxTls } from './firefox.js';
import type { TlsFlow, TlsStep } from './flows/flow.js';
import { outline, outlineWithCapture, reportWhen } from './report-checks.js';
import type { SiteHandler, TlsHosts } from './server.js';

export interface FirefoxApp {
  page: Page;
  state: ExtensionPage;
  tls: TlsHosts;
  tabId: number;
  steps(list: readonly TlsStep[]): Promise<void>;
  /** The tab's view, as the popup gets it. */
  view(): Promise<ViewState>;
}

async function takeSteps(page: Page, list: readonly TlsStep[]): Promise<void> {
  for (const [selector, status] of list) {
    if (selector) await page.evaluate((s: string) => (document.querySelector(s) as HTMLElement | null)?.click(), selector);
    let last = '';
    await waitFor(
      `the app's status "${status}"`,
      async () => {
        last = await page.evaluate(() => document.getElementById('status')?.textContent ?? '');
        if (last.startsWith('error')) throw new Error(last);
        return last === status;
      },
      30_000,
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}; the app says "${last}"`);
    });
  }
}

/** Serve `sites` on 443, launch Firefox, open `https://<appHost>/`, take `steps`; `work` gets the app; all closed after. */
export async function withFirefoxApp(
  sites: Record<string, SiteHandler>,
  appHost: string,
  steps: readonly TlsStep[],
  work: (app: FirefoxApp) => Promise<void>,
): Promise<void> {
  const { firefox, tls, close } = await launchFirefoxTls(sites);
  try {
    const { page, state } = await firefox.openApp(tls.url(appHost, '/'));
    await takeSteps(page, steps);
    const origin = tls.origin(appHost);
    const tabId = await waitFor('the app tab', () =>
      state.run(
        async (browser, prefix: string) => (await browser.tabs.query({})).find((tab) => tab.url?.startsWith(prefix))?.id,
        `${origin}/`,
      ),
    );
    const view = () =>
      state.run((browser, id: number) => browser.runtime.sendMessage({ type: 'get-view', tabId: id }) as Promise<ViewState>, tabId);
    await work({ page, state, tls, tabId, steps: (list) => takeSteps(page, list), view });
    // TLS_OUTLINE=1: print what the report ended with (for reading what a run captured, e.g. for the README).
    if (process.env.TLS_OUTLINE) console.log(outlineWithCapture(await view()));
  } finally {
    await close();
  }
}

/** Run one flow of a table (test/tls/flows/) in Firefox: its steps and its checks on the report (the popup is Chromium's). */
export function runFirefoxFlow(flow: TlsFlow): Promise<void> {
  const { sites, record } = flow.sites();
  return withFirefoxApp(sites, flow.appHost, flow.steps, async (app) => {
    const report = await reportWhen(app, flow.wait.what, flow.wait.until);
    flow.check(report, record, outline(report), await app.view());
  });
}
