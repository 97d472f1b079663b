/**
 * A real OpenID provider (oidc-provider: PKCE, resource indicators, JWT access
 * tokens) and a real client (oidc-client-ts) on a watched site: the popup shows
 * the resource server, its scopes and the decoded claims; with an extra audience
 * the finding appears and the badge counts it.
 */
import { badgeText } from '../support/harness.js';
import { expect, test } from '../support/fixtures.js';

test('sign-in with PKCE and a refresh: the API token is shown with its claims, no finding', async ({ context, extensionId, oidcApp }) => {
  const steps = [
    ['#signin', 'signed-in'],
    ['#refresh', 'refreshed'],
  ] as const;
  const { oidc, tabId, popup } = await oidcApp({}, steps, 2);
  const cards = popup.locator('article.exchange');
  await expect(cards).toHaveCount(2);
  await expect(cards.locator('.grant')).toHaveText(['refresh_token', 'authorization_code']);
  const code = cards.nth(1);
  // The API, then the client its id_token is filed under.
  await expect(code.locator('.rs-id')).toHaveText([/https:\/\/api\.example\.test/, /the client \(its ID tokens' aud\)/]);
  await expect(code.locator('.rs-id small.confidence')).toHaveText([
    'resolved by request, confidence request',
    "the client (its ID tokens' aud), not a resource server",
  ]);
  await expect(code.locator('.scope')).toContainText(['api:read']);
  await expect(code.locator('.finding.sev-high')).toHaveCount(0);
  await code.locator('details.claims-details summary', { hasText: 'access token claims' }).click();
  const claims = code.locator('table.claims').first();
  await expect(claims.locator('tr', { has: popup.locator('th', { hasText: /^iss$/ }) }).locator('td')).toHaveText(oidc.issuer);
  await expect(claims.locator('.aud.own')).toHaveText('https://api.example.test');
  await expect(claims.locator('.aud.other')).toHaveCount(0);
  expect(await badgeText(context, extensionId, tabId)).toBe('');
});

test('an extra audience in the access token: audience-beyond-server, and the badge counts it', async ({
  context,
  extensionId,
  oidcApp,
}) => {
  const { tabId, popup } = await oidcApp({ extraAudience: 'https://other.example.test' }, [['#signin', 'signed-in']], 1);
  const finding = popup.locator('.finding.sev-high');
  await expect(finding).toHaveCount(1);
  await expect(finding.locator('.message')).toHaveText(
    'The access token for https://api.example.test is also accepted by https://other.example.test: its audience goes beyond its resource server.',
  );
  await expect(finding.locator('.rule a')).toHaveText('audience-beyond-server');
  await expect.poll(() => badgeText(context, extensionId, tabId)).toBe('1');
  await popup.locator('details.claims-details summary', { hasText: 'access token claims' }).click();
  await expect(popup.locator('.aud.other')).toHaveText('https://other.example.test');
});
