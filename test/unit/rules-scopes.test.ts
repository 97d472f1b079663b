/** Scope rules (src/core/rules/scopes.ts): one row that fires each rule, and rows that must not. */
import assert from 'node:assert/strict';
import { API, exchange, jwt, ruleTable, VALID_CLAIMS as valid } from './helpers.js';

ruleTable('scope-beyond-server', [
  {
    name: "fires when a token carries another server's scopes",
    rule: 'scope-beyond-server',
    exchanges: [
      exchange({
        access_token: jwt({
          ...valid,
          aud: 'https://graph.microsoft.com',
          scp: 'https://graph.microsoft.com/User.Read https://storage.azure.com/user_impersonation',
        }),
        token_type: 'Bearer',
      }),
    ],
    count: 1,
    check: ([finding]) =>
      assert.deepEqual(finding?.evidence.scopes, { 'https://storage.azure.com/user_impersonation': 'https://storage.azure.com' }),
  },
  {
    name: 'does not fire for identity scopes beside the API scopes',
    rule: 'scope-beyond-server',
    exchanges: [exchange({ access_token: jwt({ ...valid, aud: API, scope: `openid profile ${API}/read` }), token_type: 'Bearer' })],
    count: 0,
  },
  {
    name: 'fires on the Globus entry that was granted a scope of another server',
    rule: 'scope-beyond-server',
    exchanges: [
      exchange({
        access_token: 'opaque-transfer',
        resource_server: 'transfer.api.globus.org',
        scope: 'urn:globus:auth:scope:transfer.api.globus.org:all urn:globus:auth:scope:groups.api.globus.org:all',
        token_type: 'Bearer',
      }),
    ],
    count: 1,
    check: ([finding]) => assert.equal(finding?.resourceServer, 'transfer.api.globus.org'),
  },
]);

ruleTable('scope-diff', [
  {
    name: 'fires (info) with dropped and added scopes',
    rule: 'scope-diff',
    exchanges: [exchange({ access_token: 'opaque', scope: 'read admin', token_type: 'Bearer' }, { scope: 'read write' })],
    count: 1,
    check: ([finding]) => {
      assert.deepEqual(finding?.evidence.dropped, ['write']);
      assert.deepEqual(finding?.evidence.added, ['admin']);
      assert.equal(finding?.severity, 'info');
    },
  },
  {
    name: 'does not fire when the response omits scope (RFC 6749 s5.1: same as requested)',
    rule: 'scope-diff',
    exchanges: [exchange({ access_token: 'opaque', token_type: 'Bearer' }, { scope: 'read write' })],
    count: 0,
  },
  {
    name: 'fires for requested scopes that no resource server of a multi-server response was granted',
    rule: 'scope-diff',
    exchanges: [
      exchange(
        {
          access_token: 'opaque-auth',
          resource_server: 'auth.globus.org',
          scope: 'openid',
          token_type: 'Bearer',
          other_tokens: [
            {
              access_token: 'opaque-transfer',
              resource_server: 'transfer.api.globus.org',
              scope: 'urn:globus:auth:scope:transfer.api.globus.org:all',
              token_type: 'Bearer',
            },
          ],
        },
        { scope: 'openid urn:globus:auth:scope:transfer.api.globus.org:all urn:globus:auth:scope:groups.api.globus.org:all' },
        { url: 'https://auth.globus.org/v2/oauth2/token' },
      ),
    ],
    count: 1,
    check: ([finding]) => assert.deepEqual(finding?.evidence.dropped, ['urn:globus:auth:scope:groups.api.globus.org:all']),
  },
]);
