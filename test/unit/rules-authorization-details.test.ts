/**
 * Rich authorization requests (RFC 9396): authorization details requested (at authorize, in a PAR body, in the token
 * request) against those granted (the token response, the JWT access token's claim), per resource server; the rules
 * authorization-details-dropped, -added and -beyond-audience, each positive and negative. The request and response
 * shapes are RFC 9396's own examples (test/fixtures/sign-in/SOURCES.md).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildReport } from '../../src/core/analysis/index.js';
import { compareAuthorizationDetails, DETAIL_LIMITS, readAuthorizationDetails } from '../../src/core/authorization-details.js';
import type { CapturedExchange, Finding, Report } from '../../src/core/types.js';
import { exchange, jwt, NOW_S } from './helpers.js';
import { nav, RFC9396_RAR, T0, T1, T2 } from './sign-in-fixtures.js';

const findings = (report: Report): Finding[] => report.exchanges.flatMap((e) => e.findings);
const ruled = (report: Report, rule: string) => findings(report).filter((f) => f.rule === rule);

/** The RFC 9396 s3 sign-in: authorize (fig. 8), the code back, the code exchange answered by `response`. */
function rfcSignIn(response: unknown, tokenParams: Record<string, string> = {}): Report {
  const token: CapturedExchange = {
    ...exchange(response, {
      grant_type: 'authorization_code',
      code: RFC9396_RAR.code,
      redirect_uri: RFC9396_RAR.redirectUri,
      client_id: 's6BhdRkqt3',
      ...tokenParams,
    }),
    url: RFC9396_RAR.tokenEndpoint,
    startedAt: T2,
  };
  return buildReport([token], { signInSteps: [nav(RFC9396_RAR.authorize, T0), nav(RFC9396_RAR.callback, T1)] });
}

test('RFC 9396 s3 and s7: two details asked for at authorize, the payment one granted: account_information said dropped, nothing added', () => {
  const report = rfcSignIn(RFC9396_RAR.tokenResponse);
  assert.equal(report.signIns.length, 1);
  const [server] = report.exchanges[0]?.resourceServers ?? [];
  assert.deepEqual(
    server?.authorizationDetails?.requested.map((d) => [d.type, d.actions]),
    [
      ['account_information', ['list_accounts', 'read_balances', 'read_transactions']],
      ['payment_initiation', ['initiate', 'status', 'cancel']],
    ],
  );
  assert.equal(server?.authorizationDetails?.grantedFrom, 'response');
  // Type-specific fields are named, not kept.
  assert.deepEqual(server?.authorizationDetails?.granted[0]?.otherFields, [
    'instructedAmount',
    'creditorName',
    'creditorAccount',
    'remittanceInformationUnstructured',
  ]);
  const [dropped] = ruled(report, 'authorization-details-dropped');
  assert.equal(dropped?.severity, 'info');
  assert.match(dropped?.message ?? '', /"?account_information"?: requested, not granted/);
  assert.equal(ruled(report, 'authorization-details-added').length, 0);
});

test('a dropped action is said in words (info); the same details granted as requested raise nothing', () => {
  const granted = (actions: string[]) => ({
    ...RFC9396_RAR.tokenResponse,
    authorization_details: [{ ...RFC9396_RAR.tokenResponse.authorization_details[0], actions }],
  });
  const payment = JSON.stringify([RFC9396_RAR.requested[1]]);
  const fewer = rfcSignIn(granted(['initiate', 'status']), { authorization_details: payment });
  const [finding] = ruled(fewer, 'authorization-details-dropped');
  assert.match(finding?.message ?? '', /payment_initiation.*: action "cancel" requested, not granted/);
  assert.deepEqual(finding?.evidence.dropped, [{ type: 'payment_initiation', field: 'actions', values: ['cancel'] }]);
  // The token request's own details stand before the authorization request's (RFC 9396 s6).
  assert.equal(fewer.exchanges[0]?.resourceServers[0]?.authorizationDetails?.requested.length, 1);
  const same = rfcSignIn(granted(['initiate', 'status', 'cancel']), { authorization_details: payment });
  assert.deepEqual(
    findings(same).filter((f) => f.rule.startsWith('authorization-details')),
    [],
  );
});

test('rights granted beyond the request are medium (authorization-details-added); a field the request left open is not', () => {
  const request = JSON.stringify([{ type: 'payment_initiation', actions: ['status'], locations: ['https://example.com/payments'] }]);
  const more = rfcSignIn(
    {
      ...RFC9396_RAR.tokenResponse,
      authorization_details: [{ type: 'payment_initiation', actions: ['status', 'write'], locations: ['https://example.com/payments'] }],
    },
    { authorization_details: request },
  );
  const [added] = ruled(more, 'authorization-details-added');
  assert.equal(added?.severity, 'medium');
  assert.match(added?.message ?? '', /payment_initiation.*: action "write" granted, not requested/);
  const open = JSON.stringify([{ type: 'payment_initiation', locations: ['https://example.com/payments'] }]);
  const decided = rfcSignIn(RFC9396_RAR.tokenResponse, { authorization_details: open });
  assert.equal(ruled(decided, 'authorization-details-added').length, 0);
  assert.equal(ruled(decided, 'authorization-details-dropped').length, 0);
  // A whole type nobody asked for is added.
  const extraType = rfcSignIn(
    {
      ...RFC9396_RAR.tokenResponse,
      authorization_details: [
        ...RFC9396_RAR.tokenResponse.authorization_details,
        { type: 'account_information', actions: ['read_balances'] },
      ],
    },
    { authorization_details: JSON.stringify([RFC9396_RAR.requested[1]]) },
  );
  assert.match(ruled(extraType, 'authorization-details-added')[0]?.message ?? '', /account_information"?: granted, not requested/);
});

test('a PAR body carries the details: they are compared like the query', () => {
  const par = new URLSearchParams(new URL(RFC9396_RAR.authorize).search);
  const pushed = {
    url: 'https://server.example.com/as/par',
    method: 'POST',
    at: T0,
    source: 'har' as const,
    body: par.toString(),
    responseBody: '{"request_uri":"urn:ietf:params:oauth:request_uri:rar-1","expires_in":60}',
  };
  const token: CapturedExchange = {
    ...exchange(RFC9396_RAR.tokenResponse, {
      grant_type: 'authorization_code',
      code: RFC9396_RAR.code,
      redirect_uri: RFC9396_RAR.redirectUri,
      client_id: 's6BhdRkqt3',
    }),
    url: RFC9396_RAR.tokenEndpoint,
    startedAt: T2,
  };
  const report = buildReport([token], {
    signInSteps: [
      pushed,
      nav('https://server.example.com/authorize?client_id=s6BhdRkqt3&request_uri=urn%3Aietf%3Aparams%3Aoauth%3Arequest_uri%3Arar-1', T0),
      nav(RFC9396_RAR.callback, T1),
    ],
  });
  assert.equal(report.exchanges[0]?.resourceServers[0]?.authorizationDetails?.requested.length, 2);
  assert.equal(ruled(report, 'authorization-details-dropped').length, 1);
});

test("a JWT access token's details: locations outside its aud are high (authorization-details-beyond-audience); within, or an opaque aud, nothing", () => {
  const token = (aud: unknown, locations: string[]) =>
    jwt({
      iss: 'https://server.example.com',
      sub: '24400320',
      aud,
      exp: NOW_S + 3600,
      iat: NOW_S,
      authorization_details: [{ ...RFC9396_RAR.tokenResponse.authorization_details[0], locations }],
    });
  const response = (access: string) => ({ access_token: access, token_type: 'Bearer', expires_in: 3600 });
  const beyond = buildReport([
    exchange(response(token('https://example.com/payments', ['https://example.com/payments', 'https://bank.example/accounts'])), {
      grant_type: 'client_credentials',
    }),
  ]);
  const [finding] = ruled(beyond, 'authorization-details-beyond-audience');
  assert.equal(finding?.severity, 'high');
  assert.deepEqual(finding?.evidence.locations, ['https://bank.example/accounts']);
  assert.equal(beyond.exchanges[0]?.resourceServers[0]?.authorizationDetails?.grantedFrom, 'token');
  const within = buildReport([
    exchange(response(token('https://example.com/payments', ['https://example.com/payments/v2'])), { grant_type: 'client_credentials' }),
  ]);
  assert.equal(ruled(within, 'authorization-details-beyond-audience').length, 0);
  // RFC 9396 s9.1's own example: `aud` "a7AfcPcsl2", no address to compare a location with.
  const opaque = buildReport([
    exchange(response(token('a7AfcPcsl2', ['https://example.com/payments'])), { grant_type: 'client_credentials' }),
  ]);
  assert.equal(ruled(opaque, 'authorization-details-beyond-audience').length, 0);
});

test('details are bounded and malformed ones are skipped with a note; text that is not JSON is no detail', () => {
  const many = Array.from({ length: DETAIL_LIMITS.details + 5 }, (_, i) => ({
    type: `t${i}`,
    actions: Array.from({ length: 80 }, (_, j) => `a${j}`),
  }));
  const read = readAuthorizationDetails(many);
  assert.equal(read?.details.length, DETAIL_LIMITS.details);
  assert.equal(read?.details[0]?.actions?.length, DETAIL_LIMITS.values);
  assert.equal(read?.cut, true);
  assert.equal(readAuthorizationDetails('{not json')?.malformed, true);
  assert.deepEqual(readAuthorizationDetails([{ actions: ['x'] }, 7, { type: 'ok', actions: 'read' }])?.details, [{ type: 'ok' }]);
  const report = buildReport([
    exchange(
      { access_token: 'opaque-1', token_type: 'Bearer', authorization_details: [{ type: 'x'.repeat(5000) }, 'junk'] },
      { grant_type: 'client_credentials' },
    ),
  ]);
  assert.ok(report.exchanges[0]?.notes.some((note) => /not a list of objects with a type/.test(note)));
  assert.ok((report.exchanges[0]?.resourceServers[0]?.authorizationDetails?.granted[0]?.type.length ?? 0) <= DETAIL_LIMITS.chars + 1);
});

test('comparison pairs by type and identifier, exactly (RFC 9396 s12: no normalisation)', () => {
  const diff = compareAuthorizationDetails(
    [{ type: 'customer_information', identifier: 'acct-1', actions: ['read', 'write'] }],
    [
      { type: 'customer_information', identifier: 'acct-2', actions: ['read', 'write'] },
      { type: 'customer_information', identifier: 'acct-1', actions: ['read', 'Write'] },
    ],
  );
  assert.deepEqual(diff.dropped, [{ type: 'customer_information', identifier: 'acct-1', field: 'actions', values: ['write'] }]);
  assert.deepEqual(diff.added, [
    { type: 'customer_information', identifier: 'acct-1', field: 'actions', values: ['Write'] },
    { type: 'customer_information', identifier: 'acct-2', field: null, values: [] },
  ]);
});
