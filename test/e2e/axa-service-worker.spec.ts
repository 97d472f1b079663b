/**
 * @axa-fr/oidc-client (from npm, its documented service-worker setup) against the real oidc-provider: its service
 * worker intercepts the page's token calls, makes them itself and answers the page with placeholders for the access
 * and refresh tokens. In Chromium the page hook captures the page's side of each call (verified by Resource Timing:
 * a fetch a service worker answered is in the document's entries); the worker's own request is not seen. The popup
 * says the tokens are held by the site's service worker, files them under the API named by the claims the worker
 * hands the page, and names the worker as a context it cannot read, with the remedy. The page signs in and renews the
 * same with and without the extension.
 */
import { chromium } from '@playwright/test';
import { HELD_TOKEN_SAYING } from '../../src/core/held-tokens.js';
import { chromiumPath, openPopup, setSiteAccess, storedExchanges, tabIdOf } from '../support/harness.js';
import { expect, test } from '../support/fixtures.js';

/** Signs in and renews once; what the page reports after each (the SDK's tokens: a placeholder or a value). */
async function signInAndRenew(page: import('@playwright/test').Page, appUrl: string): Promise<string[]> {
  await page.goto(appUrl);
  await expect(page.locator('#status')).toHaveText('ready');
  await page.click('#signin');
  await expect(page.locator('#status')).toHaveText(/^(signed-in|error)/);
  const signedIn = (await page.locator('#status').textContent()) ?? '';
  await page.click('#refresh');
  await expect(page.locator('#status')).toHaveText(/^(refreshed|error)/);
  return [signedIn, (await page.locator('#status').textContent()) ?? ''];
}

test('@axa-fr/oidc-client with its service worker: code exchange and renewal captured, tokens said held by the worker, the API from its claims', async ({
  context,
  extensionId,
  oidcServer,
}) => {
  const oidc = await oidcServer({ app: 'axa-oidc-client' });
  // Without the extension: the page gets placeholders from its service worker, signs in and renews.
  const plain = await chromium.launch({ executablePath: chromiumPath(), headless: true, args: ['--no-sandbox'] });
  let without: string[];
  try {
    without = await signInAndRenew(await plain.newPage(), oidc.appUrl);
  } finally {
    await plain.close();
  }
  expect(without).toEqual(['signed-in placeholder', 'refreshed placeholder']);

  await setSiteAccess(context, extensionId, ['http://127.0.0.1/*']);
  const page = await context.newPage();
  expect(await signInAndRenew(page, oidc.appUrl)).toEqual(without);

  const tabId = await tabIdOf(context, extensionId, page);
  const stored = async () => (await storedExchanges(context, extensionId)).filter((e) => e.capture.tabId === tabId);
  await expect.poll(async () => (await stored()).length).toBe(2);
  const list = await stored();
  // What the page hook sees is the page's side: the worker's placeholders in the request and the response.
  expect(list.every((e) => e.capture.verification === 'verified')).toBe(true);
  expect(list.map((e) => /grant_type=(authorization_code|refresh_token)/.exec(e.exchange.request.body ?? '')?.[1]).sort()).toEqual([
    'authorization_code',
    'refresh_token',
  ]);
  for (const e of list) expect(e.exchange.response.body).toContain('"access_token":"ACCESS_TOKEN_SECURED_BY_OIDC_SERVICE_WORKER_');

  const popup = await openPopup(context, extensionId, tabId);
  // The service worker is named as a context Tokenscope cannot read, with what gets its own calls.
  await expect(popup.locator('body')).toContainText(`the site's service worker (${oidc.appOrigin}/OidcServiceWorker.js)`);
  await expect(popup.locator('body')).toContainText('chrome://inspect');
  // One sign-in: the redirect's authorization request, the code exchange (joined by the code: the page's
  // code_verifier is the worker's placeholder, so PKCE cannot join it) and the renewal.
  const signIn = popup.locator('section.sign-in');
  await expect(signIn).toHaveCount(1);
  await expect(signIn.locator('.sign-in-result')).toContainText('code exchange joined by the code');
  await expect(signIn.locator('.timeline .step-refresh')).toHaveCount(1);
  // The API, named by the access token's aud as the worker decoded it for the page.
  await expect(popup.locator('body')).toContainText(`${oidc.apiResource} resolved by aud`);
  // Access and refresh token of each exchange: held, not shown as opaque tokens with a fingerprint to reveal.
  await expect(popup.locator('.token-value .held')).toHaveCount(4);
  await expect(popup.locator('.token-value .held').first()).toHaveText(HELD_TOKEN_SAYING);
  await expect(popup.locator('body')).not.toContainText('unverifiable audience');
  await expect(popup.locator('body')).not.toContainText('No token exchange seen');
  // The ID token the page does get is masked.
  const idToken = (JSON.parse(list[0]?.exchange.response.body ?? '{}') as { id_token: string }).id_token;
  await expect(popup.locator('body')).not.toContainText(idToken);
  await expect(popup.locator('body')).not.toContainText(idToken.slice(0, 40));
});
