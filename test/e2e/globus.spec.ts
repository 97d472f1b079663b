/** A Globus-shaped token endpoint on a watched site: each resource server shown apart with its own scopes, by fetch and XHR, JSON and form. */
import { join } from 'node:path';
import { startTokenEndpoint, type TokenEndpointSetup } from '../support/servers/token-endpoint.js';
import { badgeText, openPopup, storedExchanges, storedState, tabIdOf } from '../support/harness.js';
import { captureOne, expect, test } from '../support/fixtures.js';

let server: TokenEndpointSetup;
test.beforeEach(async () => {
  server = await startTokenEndpoint();
});
test.afterEach(async () => {
  await server.close();
});

test('fetch and XHR, JSON and form: every exchange captured and grouped by resource server', async ({ context, extensionId }) => {
  const page = await context.newPage();
  await page.goto(server.pageUrl);
  for (const button of ['fetch-json', 'xhr-json', 'fetch-form', 'xhr-form']) {
    await page.click(`#${button}`);
    await expect(page.locator('#log')).toContainText(`done ${button}`);
  }
  const tabId = await tabIdOf(context, extensionId, page);
  await expect.poll(async () => (await storedExchanges(context, extensionId)).length).toBe(4);

  const popup = await openPopup(context, extensionId, tabId);
  await expect(popup.locator('article.exchange')).toHaveCount(4);
  const json = popup.locator('article.exchange').filter({ has: popup.locator('.rs-id', { hasText: 'groups.api.globus.org' }) });
  await expect(json).toHaveCount(2);
  const first = json.first();
  // The id_token is filed under the client (its aud), after the resource servers.
  await expect(first.locator('.rs-id')).toHaveText([
    /auth\.globus\.org/,
    /transfer\.api\.globus\.org/,
    /groups\.api\.globus\.org/,
    /the client \(its ID tokens' aud\), not a resource server/,
  ]);
  await expect(first.locator('section.rs').nth(0).locator('.scope')).toHaveText(['openid', 'profile', 'email']);
  await expect(first.locator('section.rs').nth(1).locator('.scope')).toHaveText(['urn:globus:auth:scope:transfer.api.globus.org:all']);
  await expect(first.locator('.how')).toHaveText('page hook; request seen by the browser, body as the page read it');
  // The form-encoded answers carry only the top-level token.
  await expect(popup.locator('article.exchange').filter({ hasNotText: 'groups.api.globus.org' })).toHaveCount(2);
  await popup.screenshot({ path: join(import.meta.dirname, '../../test-results/popup-globus.png') });
});

test('a captured token sent as Bearer to another host: token-sent-beyond-audience, counted on the badge', async ({
  context,
  extensionId,
}) => {
  const page = await context.newPage();
  await page.goto(server.pageUrl);
  const tabId = await captureOne(page, '#fetch-json', { log: 'done fetch-json' });
  // The page calls its API with the Transfer token: the API is on 127.0.0.1, not transfer.api.globus.org.
  await page.click('#fetch-other');
  await expect(page.locator('#log')).toContainText('done fetch-other');
  const popup = await openPopup(context, extensionId, tabId);
  const finding = popup.locator('.finding.sev-high');
  await expect(finding.locator('.message')).toHaveText(
    'The access token issued for transfer.api.globus.org was sent as a Bearer token to 127.0.0.1, a service it was not issued for.',
  );
  await expect(finding.locator('.rule a')).toHaveText('token-sent-beyond-audience');
  // The sign-in's timeline says where the token went, after its code exchange, the finding in place.
  const sent = popup.locator('section.sign-in .timeline li.step-token-sent');
  await expect(sent).toHaveCount(1);
  await expect(sent).toContainText(/access token for transfer\.api\.globus\.org sent as Bearer: \w+ http:\/\/127\.0\.0\.1:\d+\//);
  await expect(sent).toContainText('token-sent-beyond-audience');
  await expect.poll(() => badgeText(context, extensionId, tabId)).toBe('1');
  const { session } = await storedState(context, extensionId);
  expect(JSON.stringify(session.bearerUses)).not.toContain('Bearer');
});
