/**
 * aws-amplify 6.22 Auth in Firefox ESR at its real hostnames over TLS (the sites of test/tls/providers/cognito.ts on
 * 127.0.0.1:443): signInWithRedirect through the Cognito hosted UI (code + PKCE), the API call, Amplify's refresh; and
 * the app client allowed a second API's scope. The same expectations as test/e2e/cognito-tls.spec.ts. Run under
 * `flock /tmp/tokenscope-443.lock`.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Finding } from '../../src/core/types.js';
import { type FirefoxStep, withFirefoxApp } from '../tls/firefox-run.js';
import { accessTokens, missingFindings, outline, reportWhen, unexpectedFindings } from '../tls/report-checks.js';
import { ADMIN_API_HOST, COGNITO_APP_HOST, COGNITO_DOMAIN, cognitoSites, ORDERS_API_HOST } from '../tls/providers/cognito.js';

const ORDERS = `https://${ORDERS_API_HOST}`;
const SIGN_IN: FirefoxStep[] = [
  [null, 'ready'],
  ['#signin', 'signed-in'],
  ['#api', 'api-ok 1'],
  ['#refresh', 'refreshed'],
];
const AFTER_REFRESH: FirefoxStep[] = [...SIGN_IN, ['#api', 'api-ok 1']];
/** Cognito access tokens carry client_id, not aud (docs.aws.amazon.com/cognito, "Understanding the access token"): true, explained, low. */
const COGNITO_NO_AUD = { rule: 'no-audience', severity: 'low' as const, where: (f: Finding) => Boolean(f.explanation) };

describe('Firefox: Amplify with the Cognito hosted UI at its real hostnames over TLS', () => {
  test('correct: one sign-in joined by PKCE, the token under its API, only the documented no-aud low', async () => {
    const { sites, record } = cognitoSites({ misconfigured: false });
    await withFirefoxApp(sites, COGNITO_APP_HOST, SIGN_IN, async (app) => {
      assert.deepEqual(record.calls, ['token', 'GetTokensFromRefreshToken']);
      assert.deepEqual(record.api, [200]);
      const report = await reportWhen(app, 'the code exchange and the API call on the report', (r) =>
        accessTokens(r).some((t) => t.sentTo.some((u) => u.startsWith(`${ORDERS}/prod/orders`))),
      );
      const why = outline(report);
      const code = report.exchanges.find((e) => e.url === `https://${COGNITO_DOMAIN}/oauth2/token`);
      assert.equal(code?.request.grantType, 'authorization_code', why);
      const signIn = report.signIns.find((s) => code && s.exchanges.includes(code.id));
      assert.equal(signIn?.authorization?.endpoint, `https://${COGNITO_DOMAIN}/oauth2/authorize`, why);
      assert.equal(signIn?.joinedBy, 'pkce', why);
      assert.ok(
        accessTokens(report).some((t) => t.server === ORDERS),
        why,
      );
      assert.deepEqual(unexpectedFindings(report, [COGNITO_NO_AUD]), [], why);
    });
  });

  test('misconfigured: an app client allowed a second API scope gets one token for both APIs, flagged', async () => {
    const { sites } = cognitoSites({ misconfigured: true });
    await withFirefoxApp(sites, COGNITO_APP_HOST, SIGN_IN.slice(0, 2), async (app) => {
      const both = {
        rule: 'scope-beyond-server',
        severity: 'medium' as const,
        where: (f: Finding) => JSON.stringify(f).includes(ADMIN_API_HOST),
      };
      await reportWhen(app, 'one token for two APIs flagged', (r) => missingFindings(r, [both]).length === 0);
    });
  });

  // Amplify's refresh through the Cognito user pools API (AWS JSON GetTokensFromRefreshToken), read as the refresh it
  // is (src/core/providers/cognito-api.ts): the API call made with its token is matched too.
  test('Amplify refresh through cognito-idp shown, and the API call with its token', async () => {
    const { sites } = cognitoSites({ misconfigured: false });
    await withFirefoxApp(sites, COGNITO_APP_HOST, AFTER_REFRESH, async (app) => {
      const report = await reportWhen(
        app,
        'both API calls matched to their tokens',
        (r) => accessTokens(r).filter((t) => t.sentTo.some((u) => u.startsWith(`${ORDERS}/prod/orders`))).length === 2,
      );
      assert.ok(
        report.exchanges.some((e) => e.url === 'https://cognito-idp.eu-west-1.amazonaws.com/'),
        outline(report),
      );
    });
  });
});
