/**
 * A response with one token (a Globus refresh for one resource server) is compared with what that request
 * asked for, not with every scope of its sign-in. Shapes: @globus/sdk 6.2 `AuthorizationManager.refreshToken`
 * (node_modules/@globus/sdk/dist/esm/core/authorization/AuthorizationManager.js: a form of client_id,
 * refresh_token and grant_type, no scope) and the refresh answer of globus/globus-sdk-javascript
 * `src/core/__tests__/authorization/AuthorizationManager.spec.ts`@0092ff2e ("refreshTokens should refresh
 * existing tokens": one token, its resource_server, `other_tokens: []`).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { buildReport } from '../../src/core/analysis/index.js';
import { codeChallengeOf } from '../../src/core/sign-in/pkce.js';
import { nav, T0, T1, T2, T3, tokenExchange } from './sign-in-fixtures.js';

const TRANSFER = 'urn:globus:auth:scope:transfer.api.globus.org:all';
const GROUPS = 'urn:globus:auth:scope:groups.api.globus.org:all';
const CLIENT = '7fb58e00-839d-44e3-8047-10a502612dca';
const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const TOKEN_URL = 'https://auth.globus.org/v2/oauth2/token';
/** The code exchange's answer: test/fixtures/responses/globus-other-tokens.json (auth.globus.org + transfer). */
const fixture = JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/responses/globus-other-tokens.json'), 'utf8'));
const codeAnswer = JSON.parse(fixture.response.body);

/** The SDK's login URL (RedirectTransport: response_type, client_id, scope, redirect_uri, state, PKCE S256). */
const authorize = (scopes: string) =>
  `https://auth.globus.org/v2/oauth2/authorize?response_type=code&client_id=${CLIENT}&scope=${encodeURIComponent(scopes)}&redirect_uri=https%3A%2F%2Fbar.example.org%2F&state=s1&code_challenge=${codeChallengeOf(VERIFIER, 'S256')}&code_challenge_method=S256`;
const callback = 'https://bar.example.org/?code=foo&state=s1';
const codeExchange = tokenExchange(
  TOKEN_URL,
  `grant_type=authorization_code&code=foo&redirect_uri=https%3A%2F%2Fbar.example.org%2F&client_id=${CLIENT}&code_verifier=${VERIFIER}`,
  codeAnswer,
  T2,
);
/** `refreshToken(token)` for the transfer token: one token back, for transfer.api.globus.org. */
const transferRefresh = tokenExchange(
  TOKEN_URL,
  `client_id=${CLIENT}&refresh_token=transfer_refresh&grant_type=refresh_token`,
  {
    access_token: 'new-transfer-token',
    scope: TRANSFER,
    expires_in: 172800,
    token_type: 'Bearer',
    resource_server: 'transfer.api.globus.org',
    refresh_token: 'new-transfer-refresh',
    other_tokens: [],
  },
  T3,
);

describe('a single-token response is compared with its own request', () => {
  test('a Globus refresh for one server drops nothing: it asked again for what that refresh token was granted (RFC 6749 s6)', () => {
    const report = buildReport([codeExchange, transferRefresh], {
      signInSteps: [nav(authorize(`${TRANSFER} openid profile email offline_access`), T0), nav(callback, T1)],
    });
    assert.equal(report.signIns.length, 1);
    assert.equal(report.signIns[0]?.exchanges.length, 2, 'the refresh joins the sign-in');
    const refresh = report.exchanges[1];
    assert.deepEqual(
      refresh?.resourceServers.map((server) => [server.id, server.requestedScopes]),
      [['transfer.api.globus.org', [TRANSFER]]],
    );
    assert.deepEqual(
      refresh?.findings.filter((finding) => finding.rule === 'scope-diff'),
      [],
    );
  });

  test("a token request's own scope of another server is not shown as dropped under the one server answered", () => {
    const asked = tokenExchange(
      TOKEN_URL,
      `grant_type=refresh_token&refresh_token=r1&client_id=${CLIENT}&scope=${encodeURIComponent(`${TRANSFER} ${GROUPS}`)}`,
      { ...JSON.parse(transferRefresh.response.body as string) },
    );
    const report = buildReport([asked]);
    const transfer = report.exchanges[0]?.resourceServers[0];
    assert.deepEqual(transfer?.requestedScopes, [TRANSFER], 'the groups scope is not filed under transfer');
    const diff = report.exchanges[0]?.findings.find((finding) => finding.rule === 'scope-diff');
    assert.match(diff?.message ?? '', /granted to no resource server: urn:globus:auth:scope:groups/);
    const [signIn] = report.signIns;
    const groups = signIn?.resourceServers.find((server) => server.id === 'groups.api.globus.org');
    assert.deepEqual(groups && { requested: groups.requested, hasToken: groups.hasToken }, { requested: [GROUPS], hasToken: false });
  });

  test('a one-server response still takes identity scopes and scopes that name no server', () => {
    const report = buildReport([
      tokenExchange('https://as.example.test/token', 'grant_type=authorization_code&code=c&scope=openid%20read%20write', {
        access_token: 'opaque-1',
        token_type: 'Bearer',
        scope: 'openid read',
      }),
    ]);
    assert.deepEqual(report.exchanges[0]?.resourceServers[0]?.requestedScopes, ['openid', 'read', 'write']);
  });
});
