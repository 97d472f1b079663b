/** Rules across exchanges (src/core/rules/cross-exchange.ts): rows that fire each rule, and rows that must not. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildReport } from '../../src/core/analysis/index.js';
import { fingerprint } from '../../src/core/sha256.js';
import { CAPTURED_AT, exchange, jwt, ruleTable, VALID_CLAIMS } from './helpers.js';

const shared = 'opaque-shared-token-value';
const twoApis = jwt({ ...VALID_CLAIMS, aud: ['api1', 'api2'] });
const filedUnder = (server: string, startedAt = CAPTURED_AT) =>
  exchange({ access_token: shared, resource_server: server, token_type: 'Bearer' }, {}, { startedAt });

ruleTable('token-shared-across-servers', [
  {
    name: 'fires when one token value is filed under two resource servers',
    rule: 'token-shared-across-servers',
    exchanges: [
      exchange({
        access_token: 'top',
        resource_server: 'auth.globus.org',
        scope: 'openid',
        token_type: 'Bearer',
        other_tokens: [
          {
            access_token: shared,
            resource_server: 'transfer.api.globus.org',
            scope: 'urn:globus:auth:scope:transfer.api.globus.org:all',
            token_type: 'Bearer',
          },
          {
            access_token: shared,
            resource_server: 'groups.api.globus.org',
            scope: 'urn:globus:auth:scope:groups.api.globus.org:all',
            token_type: 'Bearer',
          },
        ],
      }),
    ],
    count: 1,
    check: ([finding]) => {
      assert.deepEqual(finding?.evidence.resourceServers, ['transfer.api.globus.org', 'groups.api.globus.org']);
      assert.equal(finding?.severity, 'high');
    },
  },
  {
    name: 'fires across two exchanges too, once in each',
    rule: 'token-shared-across-servers',
    exchanges: [filedUnder('a.example.test'), filedUnder('b.example.test', '2026-01-10T10:01:00Z')],
    count: 2,
  },
  {
    name: 'counts a token filed under each API its own aud names as one filing, also when another exchange files it under one of them',
    rule: 'token-shared-across-servers',
    exchanges: [
      exchange({ access_token: twoApis, token_type: 'Bearer' }, { grant_type: 'client_credentials' }),
      exchange(
        { access_token: twoApis, token_type: 'Bearer' },
        { grant_type: 'refresh_token', resource: 'api1' },
        { startedAt: '2026-01-10T10:03:00Z' },
      ),
    ],
    count: 0,
  },
  {
    name: 'fires when another exchange files that token under a server its aud does not name',
    rule: 'token-shared-across-servers',
    exchanges: [
      exchange({ access_token: twoApis, token_type: 'Bearer' }, { grant_type: 'client_credentials' }),
      exchange({ access_token: twoApis, resource_server: 'api3', token_type: 'Bearer' }, {}, { startedAt: '2026-01-10T10:04:00Z' }),
    ],
    count: 2,
    check: (found) => {
      assert.deepEqual(found[0]?.evidence.resourceServers, ['api1', 'api2', 'api3']);
      assert.deepEqual(
        found.map((f) => f.resourceServer),
        ['api1', 'api3'],
        'one finding in each exchange, on the server it filed the token under there',
      );
    },
  },
  {
    name: 'does not fire when the same token comes back for the same server',
    rule: 'token-shared-across-servers',
    exchanges: [filedUnder('a.example.test'), filedUnder('a.example.test', '2026-01-10T10:02:00Z')],
    count: 0,
  },
]);

const globus = {
  access_token: 'auth-token',
  resource_server: 'auth.globus.org',
  scope: 'openid',
  token_type: 'Bearer',
  other_tokens: [
    {
      access_token: 'transfer-token',
      resource_server: 'transfer.api.globus.org',
      scope: 'urn:globus:auth:scope:transfer.api.globus.org:all',
      token_type: 'Bearer',
    },
  ],
};
const use = (token: string, url: string) => ({ url, method: 'GET', fingerprint: fingerprint(token), at: CAPTURED_AT });

ruleTable('token-sent-beyond-audience', [
  {
    name: 'fires high when a token is sent as Bearer to another site than its resource server, once per host',
    rule: 'token-sent-beyond-audience',
    exchanges: [exchange(globus)],
    options: {
      bearerUses: [
        use('transfer-token', 'https://api.evil.example.test/v2/groups'),
        use('transfer-token', 'https://api.evil.example.test/v2/groups?x=1'),
      ],
    },
    count: 1,
    check: ([finding]) => {
      assert.equal(finding?.severity, 'high');
      assert.equal(finding?.resourceServer, 'transfer.api.globus.org');
      assert.equal(finding?.evidence.sentTo, 'GET https://api.evil.example.test/v2/groups');
      assert.equal(finding?.lowered, undefined);
    },
  },
  {
    // The ladder: the same registrable domain (globus.org, from the Public Suffix List) is one step lower.
    name: 'is medium, and says why, when the receiving host is on the same site as the resource server',
    rule: 'token-sent-beyond-audience',
    exchanges: [exchange(globus)],
    options: { bearerUses: [use('transfer-token', 'https://groups.api.globus.org/v2/groups')] },
    count: 1,
    check: ([finding]) => {
      assert.equal(finding?.severity, 'medium');
      assert.match(finding?.message ?? '', /to groups\.api\.globus\.org, another host on the same site \(globus\.org\)/);
      assert.match(finding?.lowered?.reason ?? '', /same site \(globus\.org\)/);
    },
  },
  {
    name: 'is low when the server was only inferred from scopes, info on the same site, and info when no server is known',
    rule: 'token-sent-beyond-audience',
    exchanges: [
      exchange({ access_token: 'inferred-token', token_type: 'Bearer', scope: 'https://api.example.test/read' }),
      exchange({ access_token: 'unknown-token', token_type: 'Bearer' }),
    ],
    options: {
      bearerUses: [
        use('inferred-token', 'https://elsewhere.example.org/x'),
        use('inferred-token', 'https://other.example.test/x'),
        use('unknown-token', 'https://api.example.org/y'),
      ],
    },
    count: 3,
    check: (found) => {
      assert.deepEqual(
        found.map((f) => [f.resourceServer, f.severity]),
        [
          ['https://api.example.test', 'low'],
          ['https://api.example.test', 'info'],
          ['unknown', 'info'],
        ],
      );
      assert.match(found[0]?.lowered?.reason ?? '', /only inferred from the token's scopes/);
      assert.match(found[2]?.message ?? '', /the token's resource server is not known/);
    },
  },
  {
    name: 'does not fire for the token sent to its own server, for unknown tokens, or for servers that name no host',
    rule: 'token-sent-beyond-audience',
    exchanges: [exchange(globus), exchange({ access_token: 'api-token', token_type: 'Bearer' }, { audience: 'api://default' })],
    options: {
      bearerUses: [
        use('transfer-token', 'https://transfer.api.globus.org/v0.10/task'),
        use('someone-else', 'https://evil.example.test/'),
        use('api-token', 'https://anything.example.test/'),
      ],
    },
    count: 0,
  },
]);

test('token-sent-beyond-audience: the finding sits on the exchange that issued the token, and the report holds no token value', () => {
  const bearerUses = [
    use('transfer-token', 'https://groups.api.globus.org/v2/groups'),
    use('transfer-token', 'https://groups.api.globus.org/v2/groups?x=1'),
  ];
  const report = buildReport([exchange(globus)], { bearerUses });
  assert.equal(report.exchanges[0]?.findings.filter((f) => f.rule === 'token-sent-beyond-audience').length, 1);
  assert.ok(!JSON.stringify(report).includes('transfer-token'));
});
