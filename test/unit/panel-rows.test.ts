/** The DevTools panel's list and filter (src/ui/panel-rows.ts), from real core reports. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildReport } from '../../src/core/analysis/index.js';
import { filterRows, panelRows } from '../../src/ui/panel-rows.js';
import { exchange } from './helpers.js';
import { nav, RFC6749_CODE, T0, T1, T2, T3, tokenExchange } from './sign-in-fixtures.js';
import { GROUPS, globusSignIn, SEARCH_SCOPE, TRANSFER } from './token-map-fixture.js';

const TOKEN_URL = 'https://server.example.com/token';
const code = () => tokenExchange(TOKEN_URL, RFC6749_CODE.tokenBody, RFC6749_CODE.tokenResponse, T2, { authorization: RFC6749_CODE.basic });
const refresh = () =>
  tokenExchange(TOKEN_URL, 'grant_type=refresh_token&refresh_token=tGzv3JOkF0XG5Qx2TlKWIA', { access_token: 'a2', token_type: 'x' }, T3, {
    authorization: RFC6749_CODE.basic,
  });
const steps = [nav(RFC6749_CODE.authorize, T0), nav(RFC6749_CODE.callback, T1)];
/** A client-credentials exchange on another host, with no finding above info. */
const other = exchange(
  { access_token: 'cc-token', token_type: 'Bearer', scope: 'reports:read' },
  { grant_type: 'client_credentials' },
  { url: 'https://login.partner.example.org/oauth/token', startedAt: '2026-01-10T09:00:00.000Z' },
);

describe('the rows', () => {
  const report = buildReport([code(), refresh(), other], { signInSteps: steps });
  const rows = panelRows(report);

  test('oldest first, as the Network panel: a sign-in row just before its first exchange', () => {
    assert.deepEqual(
      rows.map((row) => [row.kind, row.grant]),
      [
        ['exchange', 'client_credentials'],
        ['sign-in', 'sign-in (code)'],
        ['exchange', 'authorization_code'],
        ['exchange', 'refresh_token'],
      ],
    );
    assert.equal(rows[1]?.endpoint, 'https://server.example.com/authorize');
    assert.equal(rows[1]?.counts.low, 1, 'the sign-in counts its flow finding (no PKCE)');
  });

  test("keys stay when more arrives: a refresh joining the sign-in changes its id, not the row's key", () => {
    const before = panelRows(buildReport([code()], { signInSteps: steps }));
    const signInBefore = before.find((row) => row.kind === 'sign-in');
    const signInAfter = rows.find((row) => row.kind === 'sign-in');
    assert.notEqual(signInBefore?.signIn?.id, signInAfter?.signIn?.id, 'the report names the grown sign-in anew');
    assert.equal(signInBefore?.key, signInAfter?.key);
    assert.equal(
      before.find((row) => row.grant === 'authorization_code')?.key,
      rows.find((row) => row.grant === 'authorization_code')?.key,
    );
    assert.equal(new Set(rows.map((row) => row.key)).size, rows.length);
  });

  test('a code exchange seen alone is one row, not two', () => {
    const alone = panelRows(buildReport([other]));
    assert.deepEqual(
      alone.map((row) => row.kind),
      ['exchange'],
    );
  });
});

describe('the filter', () => {
  const rows = panelRows(buildReport([code(), refresh(), other], { signInSteps: steps }));
  const globus = panelRows(globusSignIn());
  const kinds = (shown: ReturnType<typeof filterRows>) => shown.map((row) => `${row.kind}:${row.grant}`);

  test('empty keeps every row', () => {
    assert.equal(filterRows(rows, '  ').length, rows.length);
  });

  test('a part of a host', () => {
    assert.deepEqual(kinds(filterRows(rows, 'partner')), ['exchange:client_credentials']);
    assert.deepEqual(kinds(filterRows(rows, 'host:SERVER.example.com')), [
      'sign-in:sign-in (code)',
      'exchange:authorization_code',
      'exchange:refresh_token',
    ]);
  });

  test('a scope, a resource server', () => {
    assert.deepEqual(kinds(filterRows(rows, 'reports:read')), ['exchange:client_credentials']);
    assert.deepEqual(kinds(filterRows(globus, `scope:${SEARCH_SCOPE}`)), ['sign-in:sign-in (code)'], 'requested, never granted');
    assert.equal(filterRows(globus, GROUPS).length, 2);
    assert.equal(filterRows(globus, `host:${TRANSFER}`).length, 2);
  });

  test('a rule id, a severity', () => {
    assert.deepEqual(kinds(filterRows(globus, 'audience-beyond')), ['sign-in:sign-in (code)', 'exchange:authorization_code']);
    assert.deepEqual(kinds(filterRows(rows, 'rule:pkce-missing')), ['sign-in:sign-in (code)']);
    assert.deepEqual(kinds(filterRows(globus, 'high')), ['sign-in:sign-in (code)', 'exchange:authorization_code']);
    assert.deepEqual(kinds(filterRows(rows, 'severity:high')), []);
    assert.deepEqual(kinds(filterRows(rows, 'sev:low')), ['sign-in:sign-in (code)']);
  });

  test('every word must match', () => {
    assert.deepEqual(kinds(filterRows(rows, 'server.example.com refresh')), []);
    assert.deepEqual(kinds(filterRows(rows, 'server.example.com low')), ['sign-in:sign-in (code)']);
    assert.deepEqual(kinds(filterRows(rows, 'nothing-like-this')), []);
  });
});
