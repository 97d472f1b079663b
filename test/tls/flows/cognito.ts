/**
 * aws-amplify 6.22 (Auth, @aws-amplify/auth 6.21) with the Cognito hosted UI (test/tls/providers/cognito.ts): the shop
 * at https://shop.cognito-demo.example signs in with `signInWithRedirect` (shop-demo.auth.eu-west-1.amazoncognito.com,
 * code + PKCE), calls its API Gateway HTTP API with the access token, and refreshes through
 * cognito-idp.eu-west-1.amazonaws.com (GetTokensFromRefreshToken). What a user must see: the code exchange as one sign-in
 * joined by PKCE, the access token under the API its scope names, and only Cognito's documented no-`aud` pattern (low,
 * explained); when the app client is allowed another API's scope too, one token for two APIs is flagged.
 */
import assert from 'node:assert/strict';
import type { Finding } from '../../../src/core/types.js';
import { ADMIN_API_HOST, COGNITO_APP_HOST, COGNITO_DOMAIN, COGNITO_IDP_HOST, cognitoSites, ORDERS_API_HOST } from '../providers/cognito.js';
import { accessTokens, missingFindings, unexpectedFindings } from '../report-checks.js';
import { flow, type TlsStep } from './flow.js';

const ORDERS = `https://${ORDERS_API_HOST}`;
const SIGN_IN: TlsStep[] = [
  [null, 'ready'],
  ['#signin', 'signed-in'],
  ['#api', 'api-ok 1'],
  ['#refresh', 'refreshed'],
  ['#api', 'api-ok 1'],
];
/** Cognito access tokens carry client_id, not aud (docs.aws.amazon.com/cognito, "Understanding the access token"): true, explained, low. */
const COGNITO_NO_AUD = { rule: 'no-audience', severity: 'low' as const, where: (f: Finding) => Boolean(f.explanation) };
const BOTH_APIS = {
  rule: 'scope-beyond-server',
  severity: 'medium' as const,
  where: (f: Finding) => JSON.stringify(f).includes(ADMIN_API_HOST),
};
const ordersCalls = (r: Parameters<typeof accessTokens>[0]) =>
  accessTokens(r).filter((t) => t.sentTo.some((u) => u.startsWith(`${ORDERS}/prod/orders`))).length;

export const COGNITO_FLOWS = [
  flow({
    title: 'Cognito hosted UI (Amplify signInWithRedirect, PKCE): one sign-in, the token under its API, only the documented no-aud low',
    sites: () => cognitoSites({ misconfigured: false }),
    appHost: COGNITO_APP_HOST,
    steps: SIGN_IN,
    wait: { what: 'the code exchange and the API call', until: (r) => ordersCalls(r) > 0 },
    check(report, record, why) {
      assert.deepEqual(record.calls, ['token', 'GetTokensFromRefreshToken']);
      assert.deepEqual(record.api, [200, 200]);
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
    },
    // The popup names the API the token's scope is for, and nothing over low.
    popup: {
      names: [ORDERS],
      check(shown) {
        assert.ok(shown.servers.includes(ORDERS), shown.servers.join(', '));
        assert.equal(shown.findings.high + shown.findings.medium, 0);
      },
    },
  }),
  flow({
    title: 'Cognito, misconfigured: an app client allowed a second API scope gets one token for both APIs, flagged',
    sites: () => cognitoSites({ misconfigured: true }),
    appHost: COGNITO_APP_HOST,
    steps: SIGN_IN.slice(0, 3),
    wait: { what: 'one token for two APIs flagged', until: (r) => missingFindings(r, [BOTH_APIS]).length === 0 },
    check(report, record, why) {
      assert.deepEqual(record.api, [200]);
      assert.equal(report.exchanges.length, 1, why);
    },
  }),
  // Amplify refreshes through the Cognito user pools API (POST https://cognito-idp.<region>.amazonaws.com/, x-amz-target
  // GetTokensFromRefreshToken, AWS JSON `{ClientId, RefreshToken}`, answered `{AuthenticationResult: {AccessToken, IdToken}}`):
  // no token-endpoint path, no grant_type, no access_token member. Tokenscope reads it as the refresh it is
  // (src/core/providers/cognito-api.ts), so the API call made with its token is matched too.
  flow({
    title: 'Cognito: Amplify refresh through cognito-idp (GetTokensFromRefreshToken) shown, and the API call with its token',
    sites: () => cognitoSites({ misconfigured: false }),
    appHost: COGNITO_APP_HOST,
    steps: SIGN_IN,
    wait: { what: 'both API calls matched to their tokens', until: (r) => ordersCalls(r) === 2 },
    check(report, _record, why) {
      assert.ok(
        report.exchanges.some((e) => e.url === `https://${COGNITO_IDP_HOST}/`),
        why,
      );
    },
  }),
];
