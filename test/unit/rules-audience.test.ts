/** Audience rules (src/core/rules/audience.ts): one row that fires each rule, and rows that must not. */
import assert from 'node:assert/strict';
import { API, exchange, jwt, ruleTable, VALID_CLAIMS as valid } from './helpers.js';

const cc = { grant_type: 'client_credentials' };

ruleTable('audience-beyond-server', [
  {
    name: 'fires for each audience beyond the requested resource, high',
    rule: 'audience-beyond-server',
    exchanges: [
      exchange(
        { access_token: jwt({ ...valid, aud: [API, 'https://other.example.test'], scope: 'read' }), token_type: 'Bearer', scope: 'read' },
        { ...cc, resource: API },
      ),
    ],
    count: 1,
    check: ([finding]) => {
      assert.equal(finding?.severity, 'high');
      assert.equal(finding?.resourceServer, API);
      assert.equal(finding?.evidence.extraAudience, 'https://other.example.test');
      assert.match(finding?.message ?? '', /also accepted by https:\/\/other\.example\.test/);
    },
  },
  {
    name: 'does not fire when aud is exactly the resource server (trailing slash and case aside)',
    rule: 'audience-beyond-server',
    exchanges: [
      exchange({ access_token: jwt({ ...valid, aud: 'HTTPS://api.example.test/' }), token_type: 'Bearer' }, { ...cc, resource: API }),
    ],
    count: 0,
  },
  {
    name: 'fires once, high, for a token whose aud names two APIs: both are its servers',
    rule: 'audience-beyond-server',
    exchanges: [exchange({ access_token: jwt({ ...valid, aud: ['svc-a', 'svc-b'] }), token_type: 'Bearer' }, cc)],
    count: 1,
    check: ([finding]) => {
      assert.equal(finding?.severity, 'high');
      assert.equal(finding?.resourceServer, 'svc-a');
      assert.deepEqual(finding?.evidence.resourceServers, ['svc-a', 'svc-b']);
      assert.match(finding?.message ?? '', /accepted by 2 resource servers \(svc-a, svc-b\)/);
    },
  },
  {
    name: 'is low, and says why, when aud is the host the requested resource is a path on',
    rule: 'resource-not-honoured',
    exchanges: [
      exchange(
        { access_token: jwt({ ...valid, aud: 'https://api.example.test' }), token_type: 'Bearer' },
        { ...cc, resource: 'https://api.example.test/mcp' },
      ),
    ],
    count: 1,
    check: ([finding]) => {
      assert.equal(finding?.severity, 'low');
      assert.equal(finding?.lowered?.from, 'high');
      assert.match(finding?.lowered?.reason ?? '', /broader than asked, not another service/);
    },
  },
  {
    name: 'does not fire for one audience on an unidentified server',
    rule: 'audience-beyond-server',
    exchanges: [exchange({ access_token: jwt({ ...valid, aud: 'svc-a' }), token_type: 'Bearer' }, cc)],
    count: 0,
  },
]);

ruleTable('audience-missing-server', [
  {
    name: 'fires when the server named by the response is not in aud',
    rule: 'audience-missing-server',
    exchanges: [exchange({ access_token: jwt({ ...valid, aud: 'https://elsewhere.example.test' }), token_type: 'Bearer', resource: API })],
    count: 1,
    check: ([finding]) => assert.equal(finding?.resourceServer, API),
  },
  {
    name: 'does not fire when aud names the server',
    rule: 'audience-missing-server',
    exchanges: [exchange({ access_token: jwt({ ...valid, aud: API }), token_type: 'Bearer', resource: API })],
    count: 0,
  },
]);

ruleTable('no-audience', [
  {
    name: 'fires for a JWT access token without aud',
    rule: 'no-audience',
    exchanges: [exchange({ access_token: jwt({ ...valid, scope: `${API}/read` }), token_type: 'Bearer' })],
    count: 1,
    check: ([finding]) => {
      assert.equal(finding?.severity, 'medium');
      assert.equal(finding?.resourceServer, API, 'the scope names the server');
    },
  },
  {
    name: 'does not fire for an ID token or an opaque access token',
    rule: 'no-audience',
    exchanges: [
      exchange({ access_token: 'opaque-123', id_token: jwt({ ...valid, aud: 'app' }), token_type: 'Bearer' }, { client_id: 'app' }),
    ],
    count: 0,
  },
]);

ruleTable('resource-not-honoured', [
  {
    name: 'fires when the requested resource is not the audience',
    rule: 'resource-not-honoured',
    exchanges: [
      exchange(
        { access_token: jwt({ ...valid, aud: 'https://default-api.example.test' }), token_type: 'Bearer' },
        { ...cc, audience: API },
      ),
    ],
    count: 1,
    check: ([finding]) => assert.deepEqual(finding?.evidence.requested, [API]),
  },
  {
    name: 'fires when the response names another resource than requested',
    rule: 'resource-not-honoured',
    exchanges: [exchange({ access_token: 'opaque', resource: 'https://b.example.test', token_type: 'Bearer' }, { resource: API })],
    count: 1,
  },
  {
    name: 'does not fire when the response names the requested resource',
    rule: 'resource-not-honoured',
    exchanges: [exchange({ access_token: 'opaque', resource: `${API}/`, token_type: 'Bearer' }, { resource: API })],
    count: 0,
  },
  {
    name: 'does not fire when the request named no resource',
    rule: 'resource-not-honoured',
    exchanges: [exchange({ access_token: jwt({ ...valid, aud: API }), token_type: 'Bearer' })],
    count: 0,
  },
]);

ruleTable('opaque-token', [
  {
    name: 'fires (info) for an opaque access token',
    rule: 'opaque-token',
    exchanges: [exchange({ access_token: 'ya29.a0AfH6SMBx', token_type: 'Bearer' })],
    count: 1,
    check: ([finding]) => assert.equal(finding?.severity, 'info'),
  },
  {
    name: 'does not fire for a JWT access token or an opaque refresh token',
    rule: 'opaque-token',
    exchanges: [
      exchange({ access_token: jwt({ ...valid, aud: API }), refresh_token: 'opaque-refresh', token_type: 'Bearer' }, { resource: API }),
    ],
    count: 0,
  },
]);

const keycloak = 'https://kc.example.test/realms/demo';
ruleTable('provider profiles lower and explain, never hide', [
  {
    name: 'Auth0 /userinfo audience: low, explained',
    rule: 'audience-beyond-server',
    exchanges: [
      exchange(
        {
          access_token: jwt({ ...valid, iss: 'https://tenant.auth0.com/', aud: [API, 'https://tenant.auth0.com/userinfo'] }),
          token_type: 'Bearer',
        },
        { audience: API },
        { url: 'https://tenant.auth0.com/oauth/token' },
      ),
    ],
    count: 1,
    check: ([finding]) => {
      assert.equal(finding?.severity, 'low');
      assert.match(finding?.explanation ?? '', /userinfo/);
    },
  },
  {
    name: 'the same audience at an unknown provider stays high',
    rule: 'audience-beyond-server',
    exchanges: [
      exchange(
        { access_token: jwt({ ...valid, aud: [API, 'https://other.example.test/userinfo'] }), token_type: 'Bearer' },
        { audience: API },
      ),
    ],
    count: 1,
    check: ([finding]) => assert.equal(finding?.severity, 'high'),
  },
  {
    name: 'Keycloak account audience: medium, explained',
    rule: 'audience-beyond-server',
    exchanges: [
      exchange(
        { access_token: jwt({ ...valid, iss: keycloak, aud: ['my-api', 'account'], scope: 'openid profile' }), token_type: 'Bearer' },
        { scope: 'openid' },
        { url: `${keycloak}/protocol/openid-connect/token` },
      ),
    ],
    count: 1,
    check: ([finding]) => {
      assert.equal(finding?.severity, 'medium');
      assert.equal(finding?.resourceServer, 'my-api');
    },
  },
  {
    name: 'Cognito access token without aud: low, explained',
    rule: 'no-audience',
    exchanges: [
      exchange(
        {
          access_token: jwt({
            ...valid,
            iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc',
            scope: 'aws.cognito.signin.user.admin',
            token_use: 'access',
          }),
          token_type: 'Bearer',
        },
        {},
        { url: 'https://x.auth.us-east-1.amazoncognito.com/oauth2/token' },
      ),
    ],
    count: 1,
    check: ([finding]) => {
      assert.equal(finding?.severity, 'low');
      assert.match(finding?.explanation ?? '', /client_id/);
    },
  },
]);
