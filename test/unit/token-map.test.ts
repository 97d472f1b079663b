/** The sign-in map (src/core/analysis/token-map.ts): what it draws, from a real core report. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildReport } from '../../src/core/analysis/index.js';
import { tokenMap } from '../../src/core/analysis/token-map.js';
import { jwt, NOW_S } from './helpers.js';
import { tokenExchange } from './sign-in-fixtures.js';
import { GROUPS, GROUPS_SCOPE, globusSignIn, SEARCH, SEARCH_SCOPE, TRANSFER } from './token-map-fixture.js';

describe('token map', () => {
  const report = globusSignIn();
  const signIn = report.signIns[0];
  assert.ok(signIn);
  const map = tokenMap(signIn, report.exchanges);

  test('every requested scope, with its server, and the one no token carries marked', () => {
    assert.deepEqual(
      map.scopes.map((scope) => [scope.server, scope.granted]),
      [
        ['auth.globus.org', true],
        [TRANSFER, true],
        [GROUPS, true],
        [SEARCH, false],
      ],
    );
    assert.equal(map.scopes.find((scope) => scope.scope === SEARCH_SCOPE)?.granted, false);
    assert.equal(map.scopes.find((scope) => scope.scope === GROUPS_SCOPE)?.granted, true);
  });

  test('servers in the sign-in, the one with no token said', () => {
    const search = map.servers.find((server) => server.id === SEARCH);
    assert.deepEqual(search, { id: SEARCH, requested: true, hasToken: false, outside: false });
    assert.equal(map.servers.filter((server) => server.outside).length, 0);
  });

  test('a JWT whose aud names another server reaches it, with the rule; opaque tokens are unverifiable', () => {
    const transfer = map.tokens.find((token) => token.server === TRANSFER);
    assert.ok(transfer);
    assert.deepEqual(map.reaches, [
      { token: transfer.fingerprint, server: GROUPS, rule: 'audience-beyond-server', severity: 'high', via: GROUPS },
    ]);
    assert.equal(transfer.verifiable, true);
    assert.deepEqual(
      map.tokens.filter((token) => !token.verifiable).map((token) => token.server),
      ['auth.globus.org', GROUPS],
    );
    assert.equal(map.worst?.severity, 'high');
  });

  test('an audience naming a server outside the sign-in adds it, marked outside', () => {
    const claims = { iss: 'https://as.example', iat: NOW_S, exp: NOW_S + 600, aud: ['https://api.example', 'https://other.example'] };
    const single = buildReport([
      tokenExchange('https://as.example/token', 'grant_type=client_credentials&resource=https%3A%2F%2Fapi.example', {
        access_token: jwt(claims),
        token_type: 'Bearer',
      }),
    ]);
    const signInOfOne = single.signIns[0];
    assert.ok(signInOfOne);
    const outside = tokenMap(signInOfOne, single.exchanges);
    assert.deepEqual(
      outside.servers.map((server) => [server.id, server.outside]),
      [
        ['https://api.example', false],
        ['https://other.example', true],
      ],
    );
    assert.equal(outside.reaches[0]?.server, 'https://other.example');
  });

  test('a token sent as Bearer to another host reaches that host', () => {
    const claims = { iss: 'https://as.example', iat: NOW_S, exp: NOW_S + 600, aud: 'https://api.example' };
    const token = jwt(claims);
    const captured = tokenExchange('https://as.example/token', 'grant_type=client_credentials', {
      access_token: token,
      token_type: 'Bearer',
    });
    const first = buildReport([captured]);
    const fingerprint = first.exchanges[0]?.resourceServers[0]?.tokens[0]?.fingerprint as string;
    const sent = buildReport([captured], {
      bearerUses: [{ url: 'https://evil.example/x?y', method: 'GET', fingerprint, at: captured.startedAt }],
    });
    const sentMap = tokenMap(sent.signIns[0] as NonNullable<(typeof sent.signIns)[0]>, sent.exchanges);
    assert.deepEqual(
      sentMap.reaches.map((reach) => [reach.server, reach.rule]),
      [['evil.example', 'token-sent-beyond-audience']],
    );
  });
});
