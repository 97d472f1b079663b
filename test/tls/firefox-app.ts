/** What the Firefox TLS tests do to an app page and its tab: click, wait for #status, read the tab's report. */
import type { Page } from 'puppeteer-core';
import type { Report } from '../../src/core/types.js';
import type { ViewState } from '../../src/protocol/view-state.js';
import { type ExtensionPage, waitFor } from '../firefox/harness.js';

/** The app's #status line now ('' while the page is between documents). */
export async function statusOf(page: Page): Promise<string> {
  try {
    return await page.evaluate(() => document.getElementById('status')?.textContent ?? '');
  } catch {
    return '';
  }
}

/** Click `selector` (null: none) and wait until #status matches `status` (the app may navigate in between). */
export async function step(page: Page, selector: string | null, status: string | RegExp, timeoutMs = 15_000): Promise<string> {
  if (selector) await page.click(selector);
  const matches = (text: string) => (typeof status === 'string' ? text === status : status.test(text));
  try {
    return await waitFor(
      `#status to read ${String(status)}`,
      async () => {
        const text = await statusOf(page);
        return matches(text) ? text : undefined;
      },
      timeoutMs,
    );
  } catch (error) {
    throw new Error(`${String(error)}; #status reads "${await statusOf(page)}"`);
  }
}

/** The report the views build for `tabId` (`export-report`, tokens hidden), asked from the state page. */
export function firefoxReport(state: ExtensionPage, tabId: number): () => Promise<Report> {
  return () =>
    state.run(
      (browser, id: number) => browser.runtime.sendMessage({ type: 'export-report', tabId: id, showTokens: false }) as Promise<Report>,
      tabId,
    );
}

/** What the popup is told about `tabId` (`get-view`): its report, notices, hosts it suggests watching. */
export function firefoxView(state: ExtensionPage, tabId: number): Promise<ViewState> {
  return state.run((browser, id: number) => browser.runtime.sendMessage({ type: 'get-view', tabId: id }) as Promise<ViewState>, tabId);
}
