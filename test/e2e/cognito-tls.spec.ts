/**
 * aws-amplify 6.22 (Auth, @aws-amplify/auth 6.21) from npm, at its real hostnames over TLS in Chromium: the shop at
 * https://shop.cognito-demo.example signs in with `signInWithRedirect` through the Cognito hosted UI
 * (shop-demo.auth.eu-west-1.amazoncognito.com, code + PKCE), calls its API Gateway HTTP API with the access token, and
 * refreshes through cognito-idp.eu-west-1.amazonaws.com (GetTokensFromRefreshToken). Provider shapes:
 * test/tls/providers/cognito.ts. What a user must see: the code exchange as one sign-in joined by PKCE, the access token under
 * the API its scope names, and only Cognito's documented no-`aud` pattern (low, explained); when the app client is
 * allowed another API's scope too, one token for two APIs is flagged.
 */
import { test } from '@playwright/test';
import type { Finding } from '../../src/core/types.js';
import { withChromiumApp } from '../tls/chromium-run.js';
import { accessTokens, missingFindings, outline, unexpectedFindings, reportWhen } from '../tls/report-checks.js';
import { ADMIN_API_HOST, COGNITO_APP_HOST, COGNITO_DOMAIN, ORDERS_API_HOST } from '../tls/providers/cognito.js';
import { cognitoSites } from '../tls/providers/cognito.js';
import type { AppStep } from '../support/harness.js';
import { expect } from '../support/harness.js';

const ORDERS = `https://${ORDERS_API_HOST}`;
const SIGN_IN: AppStep[] = [
  [null, 'ready'],
  ['#signin', 'signed-in'],
  ['#api', 'api-ok 1'],
  ['#refresh', 'refreshed'],
  ['#api', 'api-ok 1'],
];
/** Cognito access tokens carry client_id, not aud (docs.aws.amazon.com/cognito, "Understanding the access token"): true, explained, low. */
const COGNITO_NO_AUD = { rule: 'no-audience', severity: 'low' as const, where: (f: Finding) => Boolean(f.explanation) };

test('Cognito hosted UI (Amplify signInWithRedirect, PKCE): one sign-in, the token under its API, only the documented no-aud low', async () => {
  const { sites, record } = cognitoSites({ misconfigured: false });
  await withChromiumApp(sites, COGNITO_APP_HOST, SIGN_IN, async ({ view, popup }) => {
    expect(record.calls).toEqual(['token', 'GetTokensFromRefreshToken']);
    expect(record.api).toEqual([200, 200]);
    const report = await reportWhen({ view }, 'the code exchange and the API call', (r) =>
      accessTokens(r).some((t) => t.sentTo.some((u) => u.startsWith(`${ORDERS}/prod/orders`))),
    );
    const why = outline(report);
    const code = report.exchanges.find((e) => e.url === `https://${COGNITO_DOMAIN}/oauth2/token`);
    expect(code?.request.grantType, why).toBe('authorization_code');
    const signIn = report.signIns.find((s) => code && s.exchanges.includes(code.id));
    expect(signIn?.authorization?.endpoint, why).toBe(`https://${COGNITO_DOMAIN}/oauth2/authorize`);
    expect(signIn?.joinedBy, why).toBe('pkce');
    expect(
      accessTokens(report).map((t) => t.server),
      why,
    ).toContain(ORDERS);
    expect(unexpectedFindings(report, [COGNITO_NO_AUD]), why).toEqual([]);
    // The popup names the API the token's scope is for, and nothing over low.
    const shown = await popup([ORDERS]);
    expect(shown.servers).toContain(ORDERS);
    expect(shown.findings.high + shown.findings.medium).toBe(0);
  });
});

test('Cognito, misconfigured: an app client allowed a second API scope gets one token for both APIs, flagged', async () => {
  const { sites, record } = cognitoSites({ misconfigured: true });
  await withChromiumApp(sites, COGNITO_APP_HOST, SIGN_IN.slice(0, 3), async ({ view }) => {
    expect(record.api).toEqual([200]);
    const report = await reportWhen({ view }, 'the code exchange', (r) => r.exchanges.length === 1);
    const expected = [
      {
        rule: 'scope-beyond-server',
        severity: 'medium' as const,
        where: (f: Finding) => JSON.stringify(f).includes(ADMIN_API_HOST),
      },
    ];
    expect(missingFindings(report, expected), outline(report)).toEqual([]);
  });
});

// Amplify refreshes through the Cognito user pools API (POST https://cognito-idp.<region>.amazonaws.com/, x-amz-target
// GetTokensFromRefreshToken, AWS JSON `{ClientId, RefreshToken}`, answered `{AuthenticationResult: {AccessToken, IdToken}}`):
// no token-endpoint path, no grant_type, no access_token member. Tokenscope reads it as the refresh it is
// (src/core/providers/cognito-api.ts), so the API call made with its token is matched too.
test('Cognito: Amplify refresh through cognito-idp (GetTokensFromRefreshToken) shown, and the API call with its token', async () => {
  const { sites } = cognitoSites({ misconfigured: false });
  await withChromiumApp(sites, COGNITO_APP_HOST, SIGN_IN, async ({ view }) => {
    await expect
      .poll(
        async () => accessTokens((await view()).report).filter((t) => t.sentTo.some((u) => u.startsWith(`${ORDERS}/prod/orders`))).length,
        {
          timeout: 5_000,
        },
      )
      .toBe(2);
    const { report } = await view();
    expect(
      report.exchanges.map((e) => e.url),
      outline(report),
    ).toContain(`https://cognito-idp.eu-west-1.amazonaws.com/`);
  });
});
