/**
 * @globus/sdk 6.2 at Globus's real hostnames over TLS (auth.globus.org, transfer.api.globusonline.org,
 * groups.api.globus.org; test/tls/providers/globus.ts), the portal at https://portal.research.example: the SDK signs
 * in by itself (PKCE, handleCodeRedirect's location.replace), refreshes per server and calls Transfer. Tokenscope
 * shows every step with Globus's server names and no false finding; the Transfer token sent to Groups is flagged HIGH.
 */
import { test } from '@playwright/test';
import { failingAfterWait } from '../tls/checks/report.js';
import { GLOBUS_CORRECT, GLOBUS_TRANSFER_TOKEN_TO_GROUPS } from '../tls/checks/globus.js';
import { launchChromiumTls, reportOf } from '../tls/chromium.js';
import { globusSites, PORTAL_URL } from '../tls/providers/globus-site.js';
import { startTlsHosts } from '../tls/server.js';
import { expect, openPopup, tabIdOf } from '../support/harness.js';

async function withGlobus(
  run: (session: Awaited<ReturnType<typeof launchChromiumTls>> & { page: import('@playwright/test').Page }) => Promise<void>,
): Promise<void> {
  const { sites } = globusSites();
  const tls = await startTlsHosts(sites);
  const browser = await launchChromiumTls(Object.keys(sites), tls.port);
  try {
    const page = await browser.context.newPage();
    await page.goto(PORTAL_URL);
    await expect(page.locator('#status')).toHaveText('ready');
    await page.click('#signin');
    // The SDK's redirect, the code exchange, then its location.replace back to the portal.
    await expect(page.locator('#status')).toHaveText('signed-in 3 tokens');
    await run({ ...browser, page });
  } finally {
    await browser.close();
    await tls.close();
  }
}

test('Globus SDK, correct: authorization, code exchange, a refresh per server and the Transfer call shown; no false finding', async () => {
  await withGlobus(async ({ context, extensionId, page }) => {
    await page.click('#refresh');
    await expect(page.locator('#status')).toHaveText('refreshed 3; transfer 200 1 endpoints');
    const tabId = await tabIdOf(context, extensionId, page);
    const { failed, findings } = await failingAfterWait(GLOBUS_CORRECT, () => reportOf(context, extensionId, tabId));
    expect.soft(failed, findings).toEqual([]);

    // The popup draws the same: every step on the sign-in's timeline, no scope struck through as not granted.
    const popup = await openPopup(context, extensionId, tabId);
    const steps = popup.locator('section.sign-in .timeline li.step');
    await expect(steps.first()).toBeAttached();
    const kinds = await steps.evaluateAll((items) => items.map((li) => li.className.match(/step-([a-z-]+)/)?.[1]));
    expect(kinds.filter((k) => k === 'refresh')).toHaveLength(3);
    expect(kinds).toEqual(expect.arrayContaining(['authorization-request', 'code-exchange', 'token-sent']));
    await expect(popup.locator('.scope.dropped')).toHaveCount(0);
    await expect(popup.locator('.finding.sev-high, .finding.sev-medium, .finding.sev-low')).toHaveCount(0);
  });
});

test('Globus SDK, flawed: the Transfer token sent to groups.api.globus.org is flagged HIGH', async () => {
  await withGlobus(async ({ context, extensionId, page }) => {
    await page.click('#misuse');
    await expect(page.locator('#status')).toHaveText('groups 401');
    const tabId = await tabIdOf(context, extensionId, page);
    const { failed, findings } = await failingAfterWait(GLOBUS_TRANSFER_TOKEN_TO_GROUPS, () => reportOf(context, extensionId, tabId));
    expect.soft(failed, findings).toEqual([]);
    const popup = await openPopup(context, extensionId, tabId);
    await expect(popup.locator('.finding.sev-high .rule a')).toHaveText(['token-sent-beyond-audience']);
  });
});
