/**
 * A response from @axa-fr/oidc-client's service worker, as the page (and so the page hook) gets it: the access and
 * refresh tokens are placeholders, the real access token's claims ride along as `accessTokenPayload`. The shape is
 * the one captured in Chromium by test/e2e/axa-service-worker.spec.ts (that SDK 7.29.1 against oidc-provider).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildReport } from '../../src/core/analysis/index.js';
import { toMarkdown } from '../../src/core/format/markdown.js';
import { HELD_TOKEN_SAYING, heldTokenOf } from '../../src/core/held-tokens.js';
import { exchange, jwt, NOW_S } from './helpers.js';

const API = 'https://api.example.test';
const accessClaims = (aud: unknown) => ({
  sub: 'user-1',
  iat: NOW_S,
  exp: NOW_S + 3600,
  scope: 'api:read',
  client_id: 'spa',
  iss: 'https://as.example.test',
  aud,
});
const held = (payload: unknown) => ({
  access_token: 'ACCESS_TOKEN_SECURED_BY_OIDC_SERVICE_WORKER_default#tabId=default',
  expires_in: 3600,
  id_token: jwt({ sub: 'user-1', aud: 'spa', iss: 'https://as.example.test', iat: NOW_S, exp: NOW_S + 3600 }, { alg: 'RS256' }),
  refresh_token: 'REFRESH_TOKEN_SECURED_BY_OIDC_SERVICE_WORKER_default#tabId=default',
  scope: 'api:read',
  token_type: 'Bearer',
  issued_at: NOW_S,
  accessTokenPayload: payload,
  idTokenPayload: { sub: 'user-1', nonce: 'NONCE_SECURED_BY_OIDC_SERVICE_WORKER_default#tabId=default' },
  expiresAt: NOW_S + 3600,
});
const codeExchange = (body: unknown) =>
  exchange(body, {
    grant_type: 'authorization_code',
    code: 'abc',
    client_id: 'spa',
    code_verifier: 'CODE_VERIFIER_SECURED_BY_OIDC_SERVICE_WORKER_default#tabId=default',
  });

test('the SDK placeholders are recognised by their exact prefixes, other values are not', () => {
  assert.equal(heldTokenOf('ACCESS_TOKEN_SECURED_BY_OIDC_SERVICE_WORKER_default#tabId=default')?.sdk, '@axa-fr/oidc-client');
  assert.equal(heldTokenOf('REFRESH_TOKEN_SECURED_BY_OIDC_SERVICE_WORKER_config_x#tabId=3')?.sdk, '@axa-fr/oidc-client');
  assert.equal(heldTokenOf('ACCESS_TOKEN_SECURED'), null);
  assert.equal(heldTokenOf('opaque-access-token'), null);
});

test('a held access token is not called opaque: it is said held, and the resource server comes from the claims the worker sent', () => {
  const report = buildReport([codeExchange(held(accessClaims(API)))]);
  const [server] = report.exchanges[0]?.resourceServers ?? [];
  assert.equal(server?.id, API);
  assert.equal(server?.resolvedBy, 'aud');
  assert.deepEqual(server?.scopes, ['api:read']);
  const access = server?.tokens.find((t) => t.kind === 'access');
  const refresh = server?.tokens.find((t) => t.kind === 'refresh');
  assert.equal(access?.heldBy, '@axa-fr/oidc-client');
  assert.equal(refresh?.heldBy, '@axa-fr/oidc-client');
  assert.equal(access?.claims?.aud, API);
  assert.match(access?.note ?? '', /held by the site's service worker/);
  assert.equal(server?.tokens.find((t) => t.kind === 'id')?.heldBy, undefined);
  assert.ok(!report.exchanges.flatMap((e) => e.findings).some((f) => f.rule === 'opaque-token'));
  assert.ok(toMarkdown(report).includes(HELD_TOKEN_SAYING));
});

test('the claims the worker sent are checked like a token: an extra audience is still flagged', () => {
  const report = buildReport([codeExchange(held(accessClaims([API, 'https://other.example.test'])))]);
  assert.ok(report.exchanges.flatMap((e) => e.findings).some((f) => f.rule === 'audience-beyond-server' && f.resourceServer === API));
});

test('with no claims from the worker (its real token is not a JWT), the held token is said held and no opaque-token finding is made', () => {
  const report = buildReport([codeExchange(held(null))]);
  const access = report.exchanges[0]?.resourceServers[0]?.tokens.find((t) => t.kind === 'access');
  assert.equal(access?.heldBy, '@axa-fr/oidc-client');
  assert.equal(access?.claims, null);
  assert.ok(!report.exchanges.flatMap((e) => e.findings).some((f) => f.rule === 'opaque-token'));
});
