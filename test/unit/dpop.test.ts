/**
 * DPoP (RFC 9449) on proofs made with real keys (node:crypto, ES256 and Ed25519): thumbprints against RFC 7638's own
 * example and against jose, a proof read back, and a whole sign-in as a HAR (authorize with dpop_jkt, the
 * use_dpop_nonce challenge, the retry, an API call with `Authorization: DPoP`) read by readHar and by the CLI's streaming
 * reader: one sign-in, nothing at or over low; then each fault, flagged once.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { calculateJwkThumbprint } from 'jose';
import { signInTimeline } from '../../src/core/analysis/sign-in-timeline.js';
import { accessTokenHash, isResourceNonceChallenge, jwkThumbprint, readDpopProof } from '../../src/core/dpop.js';
import { bindingText } from '../../src/core/dpop.js';
import { buildReport } from '../../src/core/analysis/index.js';
import type { Report } from '../../src/core/types.js';
import { AS, API, b64, type Flow, flowHar, newKey, proof, reports } from './dpop-fixtures.js';
import { jwt } from './helpers.js';

test('RFC 7638 thumbprints: the RFC s3.1 example, and generated EC and Ed25519 keys as jose computes them', async () => {
  const rfcKey = {
    kty: 'RSA',
    n: '0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw',
    e: 'AQAB',
    alg: 'RS256',
    kid: '2011-04-29',
  };
  assert.equal(jwkThumbprint(rfcKey), 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs');
  for (const type of ['ec', 'ed25519'] as const) {
    const { jwk } = newKey(type);
    assert.equal(jwkThumbprint(jwk), await calculateJwkThumbprint(jwk as never, 'sha256'));
  }
  // A private key (it has `d`) or a symmetric one is no proof key.
  assert.equal(jwkThumbprint({ ...newKey().jwk, d: 'x' }), null);
  assert.equal(jwkThumbprint({ kty: 'oct', k: 'abc' }), null);
});

test('a proof is read back: its key thumbprint, htm, htu, ath and whether it carried a nonce; junk is no proof', () => {
  const key = newKey();
  const token = 'access-token-value';
  const read = readDpopProof(proof(key, { htm: 'GET', htu: `${API}/v1/items`, ath: accessTokenHash(token), nonce: 'n-1' }));
  assert.deepEqual(read, {
    jkt: jwkThumbprint(key.jwk),
    htm: 'GET',
    htu: `${API}/v1/items`,
    iat: 1_768_039_200,
    ath: createHash('sha256').update(token).digest('base64url'),
    nonce: true,
  });
  for (const junk of ['', 'a.b', 'x.y.z', `${b64([1])}.${b64({})}.`, 'e'.repeat(9000)]) assert.equal(readDpopProof(junk), null);
});

const serious = (report: Report) =>
  [...report.exchanges.flatMap((e) => e.findings), ...report.signIns.flatMap((s) => s.findings)].filter((f) => f.severity !== 'info');

test('a correct DPoP sign-in with a nonce: one sign-in, the retry granted, the token bound to the key, no finding at or over low', () => {
  const key = newKey();
  const jkt = jwkThumbprint(key.jwk);
  for (const report of reports(flowHar({ key }).har)) {
    assert.equal(report.signIns.length, 1);
    const [signIn] = report.signIns;
    assert.equal(signIn?.joinedBy, 'pkce');
    assert.equal(signIn?.authorization?.dpopJkt, jkt);
    assert.equal(signIn?.exchanges.length, 2);
    assert.deepEqual(
      signIn?.requestedScopes.map((s) => [s.scope, s.granted]),
      [['read', true]],
    );
    assert.equal(report.exchanges[0]?.challenge, 'use_dpop_nonce');
    assert.deepEqual(report.exchanges[0]?.findings, []);
    const access = report.exchanges[1]?.resourceServers[0]?.tokens[0];
    assert.deepEqual(access?.binding, { method: 'dpop', jkt, from: 'cnf' });
    assert.equal(bindingText(access?.binding as never), `bound to key ${jkt} (DPoP)`);
    assert.deepEqual(
      access?.sentTo?.map((s) => s.url),
      [`${API}/v1/items`],
    );
    assert.deepEqual(serious(report), []);
    const timeline = signInTimeline(signIn as never, report.exchanges);
    const challenge = timeline.find((event) => event.exchangeId === report.exchanges[0]?.id);
    assert.deepEqual(challenge?.details, ['the server asked for a DPoP nonce; retried']);
    assert.equal(challenge?.error, null);
    assert.deepEqual(
      timeline.filter((event) => event.kind === 'token-sent').map((event) => event.summary),
      [`access token for ${API} sent as DPoP: GET ${API}/v1/items`],
    );
  }
});

/** The rules of the serious findings, each report the same. */
function rulesOf(flow: Flow): string[][] {
  return reports(flowHar(flow).har).map((report) =>
    serious(report)
      .map((f) => `${f.rule} ${f.severity}`)
      .sort(),
  );
}

test('each DPoP fault is flagged once, with its rule', () => {
  const key = newKey();
  const other = newKey('ed25519');
  const cases: [string, Flow, string[]][] = [
    ['the bound token sent with the Bearer scheme (RFC 9449 s7.1)', { key, scheme: 'Bearer' }, ['dpop-token-sent-as-bearer medium']],
    ['ath of another token (s4.3)', { key, athOf: 'another-token' }, ['dpop-ath-mismatch medium']],
    ['htu of another resource (s4.3)', { key, apiHtu: `${API}/v1/other` }, ['dpop-proof-target-mismatch low']],
    ['cnf.jkt of another key than the proofs (s6.1)', { key, cnfKey: other }, ['dpop-proof-key-mismatch medium']],
    ['dpop_jkt at authorize of another key (s10)', { key, dpopJkt: jwkThumbprint(other.jwk) as string }, ['dpop-jkt-mismatch medium']],
  ];
  for (const [name, flow, expected] of cases) {
    for (const rules of rulesOf(flow)) assert.deepEqual(rules, expected, name);
  }
});

test('the bound token sent to another host stays reported, one step lower: it cannot be replayed without the key', () => {
  const key = newKey();
  for (const report of reports(flowHar({ key, apiUrl: 'https://evil.example.net/collect' }).har)) {
    const [finding, ...more] = serious(report);
    assert.equal(more.length, 0);
    assert.equal(finding?.rule, 'token-sent-beyond-audience');
    assert.equal(finding?.severity, 'medium');
    assert.equal(finding?.lowered?.from, 'high');
    assert.match(finding?.lowered?.reason ?? '', /cannot be replayed without the key \(RFC 9700 s4\.10\.1\)/);
    assert.match(finding?.message ?? '', /sent as a DPoP token to evil\.example\.net/);
  }
});

test('an mTLS-bound token (cnf x5t#S256) is shown as bound to a certificate the extension cannot see', () => {
  const token = jwt({ iss: AS, aud: API, exp: 1_768_042_800, cnf: { 'x5t#S256': 'bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg2' } });
  const report = buildReport([
    {
      url: `${AS}/token`,
      method: 'POST',
      status: 200,
      startedAt: '2026-01-10T10:00:00.000Z',
      source: 'har',
      request: { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials' },
      response: { contentType: 'application/json', body: JSON.stringify({ access_token: token, token_type: 'Bearer' }) },
    },
  ]);
  const binding = report.exchanges[0]?.resourceServers[0]?.tokens[0]?.binding;
  assert.deepEqual(binding, { method: 'mtls', x5tS256: 'bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg2', from: 'cnf' });
  assert.match(bindingText(binding as never), /^bound to a certificate .*not visible to the browser extension/);
});

test("a resource server's 401 use_dpop_nonce (RFC 9449 s9) joined to the retry with the nonce: a challenge, never a failure", () => {
  const key = newKey();
  for (const report of reports(flowHar({ key, resourceNonce: { retry: true } }).har)) {
    assert.deepEqual(serious(report), []);
    const sentTo = report.exchanges[1]?.resourceServers[0]?.tokens[0]?.sentTo;
    assert.deepEqual(sentTo, [
      { url: `${API}/v1/items`, method: 'GET', at: '2026-01-10T10:00:02.000Z', scheme: 'dpop', nonceChallenge: 'retried' },
    ]);
    const [signIn] = report.signIns;
    const lines = signInTimeline(signIn as never, report.exchanges).flatMap((event) => event.details);
    assert.ok(lines.includes('the resource server asked for a DPoP nonce (RFC 9449 s9); retried with it'), lines.join('\n'));
  }
  // No retry seen: said so, still no failure.
  for (const report of reports(flowHar({ key, resourceNonce: { retry: false } }).har)) {
    assert.deepEqual(serious(report), []);
    assert.equal(report.exchanges[1]?.resourceServers[0]?.tokens[0]?.sentTo?.[0]?.nonceChallenge, 'not-retried');
  }
  // A plain call has no challenge.
  assert.equal(reports(flowHar({ key }).har)[0]?.exchanges[1]?.resourceServers[0]?.tokens[0]?.sentTo?.[0]?.nonceChallenge, undefined);
});

test('only a 401 whose WWW-Authenticate DPoP challenge names use_dpop_nonce is a nonce challenge', () => {
  const rows: Array<[number | null, string | null, boolean]> = [
    [401, 'DPoP error="use_dpop_nonce", error_description="Resource server requires nonce in DPoP proof"', true],
    [401, 'Bearer realm="api", DPoP algs="ES256", error=use_dpop_nonce', true],
    [401, 'DPoP error="invalid_token"', false],
    [401, 'Bearer error="use_dpop_nonce"', false],
    [400, 'DPoP error="use_dpop_nonce"', false],
    [401, null, false],
    [null, 'DPoP error="use_dpop_nonce"', false],
  ];
  for (const [status, header, expected] of rows) assert.equal(isResourceNonceChallenge(status, header), expected, `${status} ${header}`);
});
