/**
 * @azure/msal-browser 5.29 at login.microsoftonline.com and graph.microsoft.com over TLS (test/tls/providers/entra.ts),
 * the app at https://app.contoso.example: loginRedirect or loginPopup for Graph, GET /me, acquireTokenSilent for
 * api://orders-api (a v2.0 API whose tokens carry its application id in aud). Tokenscope shows every step, the APIs
 * by the names the app asked for, ID tokens under the client, no false finding, and no "also watch
 * login.microsoftonline.com" when nothing was missed; an orders token naming another API too is flagged HIGH.
 */
import { type Page, test } from '@playwright/test';
import { MSAL_CORRECT, MSAL_ORDERS_EXTRA_AUDIENCE } from '../tls/checks/entra.js';
import { failingAfterWait } from '../tls/checks/report.js';
import { launchChromiumTls, reportOf, viewOf } from '../tls/chromium.js';
import type { EntraOptions } from '../tls/providers/entra.js';
import { INVOICES_APP_ID, ORDERS_APP_ID } from '../tls/providers/entra.js';
import { CONTOSO_URL, entraSites } from '../tls/providers/entra-site.js';
import { startTlsHosts } from '../tls/server.js';
import { expect, openPopup, tabIdOf } from '../support/harness.js';

type Session = Awaited<ReturnType<typeof launchChromiumTls>> & { page: Page; tabId: number };

/** Sign in with `login` (#login-redirect or #login-popup), call Graph /me, then get the orders token silently. */
async function withMsal(login: string, options: EntraOptions, run: (session: Session) => Promise<void>): Promise<void> {
  const { sites } = entraSites(options);
  const tls = await startTlsHosts(sites);
  const browser = await launchChromiumTls(Object.keys(sites), tls.port);
  try {
    const page = await browser.context.newPage();
    await page.goto(CONTOSO_URL);
    await expect(page.locator('#status')).toHaveText('ready');
    await page.click(login);
    await expect(page.locator('#status')).toHaveText(/^signed-in (redirect|popup) User\.Read openid profile$/);
    await page.click('#me');
    await expect(page.locator('#status')).toHaveText('me 200 Megan Bowen');
    await page.click('#orders');
    await expect(page.locator('#status')).toHaveText('orders token api://orders-api/Orders.Read');
    await run({ ...browser, page, tabId: await tabIdOf(browser.context, browser.extensionId, page) });
  } finally {
    await browser.close();
    await tls.close();
  }
}

for (const [login, how] of [
  ['#login-redirect', 'loginRedirect'],
  ['#login-popup', 'loginPopup'],
] as const) {
  test(`MSAL ${how}, correct: every step, Graph and api://orders-api by name, no false finding, no needless notice`, async () => {
    await withMsal(login, {}, async ({ context, extensionId, tabId }) => {
      const { failed, findings } = await failingAfterWait(MSAL_CORRECT, () => reportOf(context, extensionId, tabId));
      expect.soft(failed, findings).toEqual([]);
      expect.soft((await viewOf(context, extensionId, tabId)).suggestedHosts, 'nothing was missed: no "also watch" notice').toEqual([]);
      // The popup names the API as the app did, its application id beside it.
      const popup = await openPopup(context, extensionId, tabId);
      const orders = popup.locator('.rs-id', { hasText: 'api://orders-api' });
      await expect(orders.first()).toContainText(ORDERS_APP_ID);
      await expect(popup.locator('.finding.sev-high, .finding.sev-medium, .finding.sev-low')).toHaveCount(0);
    });
  });
}

test("MSAL loginRedirect, flawed: the orders token's aud also names another API: flagged HIGH", async () => {
  await withMsal('#login-redirect', { ordersExtraAudience: INVOICES_APP_ID }, async ({ context, extensionId, tabId }) => {
    const { failed, findings } = await failingAfterWait(MSAL_ORDERS_EXTRA_AUDIENCE, () => reportOf(context, extensionId, tabId));
    expect.soft(failed, findings).toEqual([]);
  });
});
