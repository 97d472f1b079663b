/**
 * Scopes OpenID Connect grants by issuing a token, which many servers leave out of `scope`: `offline_access` with a
 * refresh token (OIDC Core s11), `openid profile email` with an ID token (s3.1.2.1, s5.4). Shapes: Globus Auth's
 * per-server refresh answer (its `scope` names the server's own scopes), Entra v2's answer (its `scope` lists only
 * the API's: learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow#successful-response-2).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildReport } from '../../src/core/analysis/index.js';
import { exchange, jwt, NOW_S } from './helpers.js';

test('a refresh answer that omits offline_access honoured it with its refresh token: not dropped, no scope-diff', () => {
  const report = buildReport([
    exchange(
      {
        access_token: 'AgBopaque-auth-globus-token',
        refresh_token: 'AgBrefresh-token-value',
        scope: 'openid profile email',
        resource_server: 'auth.globus.org',
        token_type: 'Bearer',
        expires_in: 172800,
      },
      { grant_type: 'refresh_token', refresh_token: 'AgBold-refresh', scope: 'openid profile email offline_access' },
      { url: 'https://auth.globus.org/v2/oauth2/token' },
    ),
  ]);
  const server = report.exchanges[0]?.resourceServers.find((s) => s.id === 'auth.globus.org');
  assert.deepEqual(server?.honoured, ['offline_access']);
  assert.equal(report.exchanges[0]?.findings.filter((f) => f.rule === 'scope-diff').length, 0);
});

test('an Entra v2 answer listing only the API scope honoured openid, profile and offline_access with its ID and refresh tokens', () => {
  const api = 'api://orders-api';
  const report = buildReport([
    exchange(
      {
        token_type: 'Bearer',
        scope: `${api}/Orders.Read`,
        expires_in: 3599,
        access_token: jwt({ aud: api, scp: 'Orders.Read', exp: NOW_S + 3600, ver: '1.0' }),
        refresh_token: '0.AAAA-refresh',
        id_token: jwt({ aud: 'client-1', iss: 'https://login.microsoftonline.com/t/v2.0', exp: NOW_S + 3600 }),
      },
      { grant_type: 'authorization_code', code: 'c', client_id: 'client-1', scope: `${api}/Orders.Read openid profile offline_access` },
      { url: 'https://login.microsoftonline.com/t/oauth2/v2.0/token' },
    ),
  ]);
  const dropped = report.exchanges[0]?.findings.find((f) => f.rule === 'scope-diff');
  assert.equal(dropped, undefined, JSON.stringify(dropped));
});

test('a requested offline_access with no refresh token is still dropped', () => {
  const report = buildReport([
    exchange(
      { access_token: jwt({ aud: 'https://api.example.test', exp: NOW_S + 60 }), scope: 'api:read', token_type: 'Bearer' },
      { grant_type: 'authorization_code', code: 'c', scope: 'api:read offline_access', resource: 'https://api.example.test' },
    ),
  ]);
  const diff = report.exchanges[0]?.findings.find((f) => f.rule === 'scope-diff');
  assert.deepEqual(diff?.evidence.dropped, ['offline_access']);
});
