/**
 * Amplify's refresh through Cognito's user pools API (GetTokensFromRefreshToken, InitiateAuth REFRESH_TOKEN_AUTH) is read
 * as the token exchange it is. Shapes: docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/
 * API_GetTokensFromRefreshToken.html and API_InitiateAuth.html; CommonErrors.html for `__type` / `message`; Cognito access
 * tokens carry `client_id`, no `aud` (docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-access-token.html).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildReport } from '../../src/core/analysis/index.js';
import { isCandidateRequest } from '../../src/core/candidate.js';
import { readHar } from '../../src/core/har.js';
import type { CapturedExchange } from '../../src/core/types.js';
import { CAPTURED_AT, entry, exchange, har, jwt, NOW_S } from './helpers.js';

const POOL = 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123';
const API = 'https://cognito-idp.eu-west-1.amazonaws.com/';
const CLIENT = '4a1b2c3d4e5f6g7h8i9j0k1l2m';
const access = (jti: string) =>
  jwt({ sub: 'u-1', iss: POOL, client_id: CLIENT, token_use: 'access', scope: 'openid email', exp: NOW_S + 3600, iat: NOW_S, jti });
const idToken = jwt({ sub: 'u-1', iss: POOL, aud: CLIENT, token_use: 'id', exp: NOW_S + 3600, iat: NOW_S });

const codeExchange = exchange(
  { access_token: access('a1'), id_token: idToken, refresh_token: 'cognito-refresh-token-1', expires_in: 3600, token_type: 'Bearer' },
  {
    grant_type: 'authorization_code',
    code: 'c-1',
    client_id: CLIENT,
    redirect_uri: 'https://shop.example/',
    code_verifier: 'v'.repeat(43),
  },
  { url: 'https://shop-demo.auth.eu-west-1.amazoncognito.com/oauth2/token' },
);

function cognitoCall(target: string, body: unknown, answer: unknown, status = 200): CapturedExchange {
  return {
    url: API,
    method: 'POST',
    status,
    startedAt: new Date(Date.parse(CAPTURED_AT) + 60_000).toISOString(),
    source: 'har',
    request: { headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target }, body: JSON.stringify(body) },
    response: { contentType: 'application/x-amz-json-1.1', body: JSON.stringify(answer) },
  };
}

const refresh = cognitoCall(
  'AWSCognitoIdentityProviderService.GetTokensFromRefreshToken',
  { ClientId: CLIENT, RefreshToken: 'cognito-refresh-token-1' },
  { AuthenticationResult: { AccessToken: access('a2'), IdToken: idToken, ExpiresIn: 3600, TokenType: 'Bearer' } },
);

describe("Cognito's user pools API", () => {
  test('its token operations are candidates; its other calls and other hosts are not', () => {
    assert.equal(isCandidateRequest('POST', API, '{"ClientId":"x","RefreshToken":"r"}'), true);
    assert.equal(isCandidateRequest('POST', API, '{"AuthFlow":"REFRESH_TOKEN_AUTH","ClientId":"x"}'), true);
    assert.equal(isCandidateRequest('POST', API, '{"AccessToken":"t"}'), false, 'GetUser');
    assert.equal(isCandidateRequest('POST', 'https://evil.example/cognito-idp.eu-west-1.amazonaws.com/', '{"RefreshToken":"r"}'), false);
  });

  test('a GetTokensFromRefreshToken refresh is a refresh_token grant of the hosted-UI sign-in, its tokens read', () => {
    const report = buildReport([codeExchange, refresh]);
    const read = report.exchanges[1];
    assert.equal(read?.request.grantType, 'refresh_token');
    assert.equal(read?.request.clientId, CLIENT);
    const tokens = read?.resourceServers.flatMap((server) => server.tokens.map((token) => token.kind)) ?? [];
    assert.deepEqual(tokens.sort(), ['access', 'id']);
    assert.equal(report.signIns.length, 1, 'one sign-in: the refresh joined by its refresh token');
    assert.equal(report.signIns[0]?.exchanges.length, 2);
    assert.ok(
      !report.exchanges.flatMap((e) => e.findings).some((finding) => ['high', 'medium'].includes(finding.severity)),
      JSON.stringify(report.exchanges.flatMap((e) => e.findings)),
    );
    assert.ok(!JSON.stringify(report).includes('cognito-refresh-token-1'), 'the refresh token only as a fingerprint');
  });

  test('InitiateAuth REFRESH_TOKEN_AUTH reads the same way; a revoked refresh token is an error answer in words', () => {
    const initiate = cognitoCall(
      'AWSCognitoIdentityProviderService.InitiateAuth',
      { AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: CLIENT, AuthParameters: { REFRESH_TOKEN: 'cognito-refresh-token-1' } },
      { AuthenticationResult: { AccessToken: access('a3'), ExpiresIn: 3600, TokenType: 'Bearer' }, ChallengeParameters: {} },
    );
    const revoked = cognitoCall(
      'AWSCognitoIdentityProviderService.GetTokensFromRefreshToken',
      { ClientId: CLIENT, RefreshToken: 'cognito-refresh-token-1' },
      { __type: 'NotAuthorizedException', message: 'Refresh Token has been revoked' },
      400,
    );
    const report = buildReport([codeExchange, initiate, revoked]);
    assert.equal(report.exchanges[1]?.request.grantType, 'refresh_token');
    assert.equal(report.exchanges[1]?.resourceServers[0]?.tokens[0]?.kind, 'access');
    const error = report.exchanges[2]?.findings.find((finding) => finding.rule === 'error-response');
    assert.match(error?.message ?? '', /NotAuthorizedException/);
    assert.match(error?.message ?? '', /Refresh Token has been revoked/);
  });

  test('from a HAR: the refresh is taken, its answer read', () => {
    const text = JSON.stringify(
      har(
        entry({
          method: 'POST',
          url: API,
          requestHeaders: [{ name: 'X-Amz-Target', value: 'AWSCognitoIdentityProviderService.GetTokensFromRefreshToken' }],
          postData: { mimeType: 'application/x-amz-json-1.1', text: refresh.request.body },
          content: { mimeType: 'application/x-amz-json-1.1', text: refresh.response.body },
        }),
      ),
    );
    const { exchanges } = readHar(JSON.parse(text));
    assert.equal(exchanges.length, 1);
    assert.equal(buildReport(exchanges).exchanges[0]?.request.grantType, 'refresh_token');
  });
});
