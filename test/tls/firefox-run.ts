/**
 * One TLS sign-in test in Firefox: the sites on the TLS server at 127.0.0.1:443, Firefox with the test build
 * (test/tls/firefox.ts), the app opened and driven by its buttons (each step waits for the app's #status), and the tab's
 * view read from the background as the popup reads it (`get-view`). Run under `flock /tmp/tokenscope-443.lock`.
 */
import type { Page } from 'puppeteer-core';
import type { ViewState } from '../../src/protocol/view-state.js';
import { type ExtensionPage, waitFor } from '../firefox/harness.js';
import { launchFirefoxTls } from './firefox.js';
import { runFlow, type TlsApp, type TlsFlow, type TlsStep, type WithApp } from './flows/flow.js';

export interface FirefoxApp extends TlsApp {
  page: Page;
  state: ExtensionPage;
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
export const withFirefoxApp: WithApp<FirefoxApp> = async (sites, appHost, steps, work) => {
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
    await work({ page, state, tls, tabId, view });
  } finally {
    await close();
  }
};

/** Run one flow of a table (test/tls/flows/) in Firefox: its steps and its checks on the report (the popup is Chromium's). */
export const runFirefoxFlow = (flow: TlsFlow): Promise<void> => runFlow(flow, withFirefoxApp);
