/**
 * id-token-as-access-token (src/core/rules/id-token-use.ts) and refresh-token-reused (src/core/rules/refresh-reuse.ts),
 * each positive and negative. Shapes: OpenID Connect Core 1.0 s2's ID token claims (non-normative example), RFC 6749
 * s4.1.3 / s4.1.4 / s6 / s5.2 for the code exchange, the refresh request and the `invalid_grant` answer.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildReport } from '../../src/core/analysis/index.js';
import { fingerprint } from '../../src/core/sha256.js';
import type { BearerUse, CapturedExchange, Report } from '../../src/core/types.js';
import { CAPTURED_AT, exchange, jwt } from './helpers.js';
import { nav, RFC6749_CODE, T0, T1 } from './sign-in-fixtures.js';

const ruled = (report: Report, rule: string) => report.exchanges.flatMap((e) => e.findings).filter((f) => f.rule === rule);

/** OpenID Connect Core 1.0 s2's example ID token claims. */
const ID_TOKEN = jwt(
  {
    iss: 'https://server.example.com',
    sub: '24400320',
    aud: 's6BhdRkqt3',
    nonce: 'n-0S6_WzA2Mj',
    exp: 1311281970,
    iat: 1311280970,
    auth_time: 1311280969,
  },
  { alg: 'RS256', kid: '1e9gdk7' },
);

/** The RFC 6749 s4.1 sign-in, its token response with the ID token beside RFC 6749's access and refresh tokens. */
function signIn(uses: BearerUse[]): Report {
  const code: CapturedExchange = {
    ...exchange({ ...RFC6749_CODE.tokenResponse, id_token: ID_TOKEN }, {}, { startedAt: '2026-01-10T10:00:06.000Z' }),
    url: 'https://server.example.com/token',
    request: {
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: RFC6749_CODE.basic },
      body: RFC6749_CODE.tokenBody,
    },
  };
  return buildReport([code], {
    signInSteps: [nav(RFC6749_CODE.authorize, T0), nav(RFC6749_CODE.callback, T1)],
    bearerUses: uses,
    at: new Date(1311280970_000),
  });
}

const use = (url: string, token = ID_TOKEN): BearerUse => ({
  url,
  method: 'GET',
  fingerprint: fingerprint(token),
  at: CAPTURED_AT,
  scheme: 'bearer',
});

test('id-token-as-access-token: an ID token sent to an API is medium, once per address, on the exchange that issued it', () => {
  const report = signIn([use('https://api.example.com/v1/accounts?page=1'), use('https://api.example.com/v1/accounts?page=2')]);
  const found = ruled(report, 'id-token-as-access-token');
  assert.equal(found.length, 1);
  assert.equal(found[0]?.severity, 'medium');
  assert.equal(found[0]?.tokenKind, 'id');
  assert.match(
    found[0]?.message ?? '',
    /ID token issued to s6BhdRkqt3 was sent as a Bearer token to GET https:\/\/api\.example\.com\/v1\/accounts/,
  );
  assert.equal(found[0]?.evidence.aud, 's6BhdRkqt3');
  // It is no token-sent-beyond-audience: that rule judges access and refresh tokens against their server.
  assert.equal(ruled(report, 'token-sent-beyond-audience').length, 0);
});

test("id-token-as-access-token: to its own issuer (userinfo) it is low with the reason; to the client's own origin, or an access token sent, nothing", () => {
  const issuer = ruled(signIn([use('https://server.example.com/userinfo')]), 'id-token-as-access-token');
  assert.equal(issuer[0]?.severity, 'low');
  assert.equal(issuer[0]?.lowered?.from, 'medium');
  assert.match(issuer[0]?.lowered?.reason ?? '', /issuer/);
  // The redirect URI is https://client.example.com/cb: the client's own back end.
  assert.equal(ruled(signIn([use('https://client.example.com/api/session')]), 'id-token-as-access-token').length, 0);
  assert.equal(
    ruled(signIn([use('https://api.example.com/v1', RFC6749_CODE.tokenResponse.access_token)]), 'id-token-as-access-token').length,
    0,
  );
});

/** A refresh-token grant (RFC 6749 s6) redeeming `token`, answered with `response`. */
const refresh = (token: string, response: unknown, startedAt: string, status = 200): CapturedExchange =>
  exchange(
    response,
    { grant_type: 'refresh_token', refresh_token: token, client_id: 's6BhdRkqt3' },
    { startedAt, status, url: 'https://server.example.com/token' },
  );

const INVALID_GRANT = { error: 'invalid_grant', error_description: 'grant request is invalid' };
const rotatedTo = (next: string) => ({ access_token: `at-${next}`, token_type: 'Bearer', expires_in: 3600, refresh_token: next });

test('refresh-token-reused: redeemed again after a success and refused (invalid_grant): the reuse explained, beside the error', () => {
  const report = buildReport([
    refresh('rt-1', rotatedTo('rt-2'), '2026-01-10T10:00:00.000Z'),
    refresh('rt-1', INVALID_GRANT, '2026-01-10T10:05:00.000Z', 400),
  ]);
  const [finding] = ruled(report, 'refresh-token-reused');
  assert.equal(finding?.severity, 'medium');
  assert.match(finding?.message ?? '', /refused it \(invalid_grant\): it detected the reuse/);
  assert.equal(finding?.evidence.fingerprint, fingerprint('rt-1'));
  assert.ok(!JSON.stringify(report).includes('"rt-1"'), 'the refresh token itself is never in the report');
  // The error itself is still reported, and the second exchange carries both.
  assert.deepEqual(report.exchanges[1]?.findings.map((f) => f.rule).sort(), ['error-response', 'refresh-token-reused']);
});

test('refresh-token-reused: both succeeded although the first rotated the token: the server did not detect it', () => {
  const report = buildReport([
    refresh('rt-1', rotatedTo('rt-2'), '2026-01-10T10:00:00.000Z'),
    refresh('rt-1', rotatedTo('rt-3'), '2026-01-10T10:05:00.000Z'),
  ]);
  const [finding] = ruled(report, 'refresh-token-reused');
  assert.match(finding?.message ?? '', /both succeeded.*did not detect the reuse/);
  assert.equal(finding?.evidence.rotated, true);
});

test('refresh-token-reused: not for a server that does not rotate, a chain of rotations, an unrelated invalid_grant, or a DPoP nonce retry', () => {
  const noRotation = { access_token: 'at', token_type: 'Bearer', expires_in: 3600 };
  const quiet = [
    [refresh('rt-1', noRotation, '2026-01-10T10:00:00.000Z'), refresh('rt-1', noRotation, '2026-01-10T10:05:00.000Z')],
    [refresh('rt-1', rotatedTo('rt-1'), '2026-01-10T10:00:00.000Z'), refresh('rt-1', rotatedTo('rt-1'), '2026-01-10T10:05:00.000Z')],
    [refresh('rt-1', rotatedTo('rt-2'), '2026-01-10T10:00:00.000Z'), refresh('rt-2', rotatedTo('rt-3'), '2026-01-10T10:05:00.000Z')],
    [refresh('rt-9', INVALID_GRANT, '2026-01-10T10:00:00.000Z', 400)],
    [
      refresh(
        'rt-1',
        { error: 'use_dpop_nonce', error_description: 'nonce is required in the DPoP proof' },
        '2026-01-10T10:00:00.000Z',
        400,
      ),
      refresh('rt-1', rotatedTo('rt-2'), '2026-01-10T10:00:01.000Z'),
    ],
  ];
  for (const exchanges of quiet)
    assert.deepEqual(ruled(buildReport(exchanges), 'refresh-token-reused'), [], JSON.stringify(exchanges.map((e) => e.request.body)));
});
