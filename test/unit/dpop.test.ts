/**
 * DPoP (RFC 9449) on proofs made with real keys (node:crypto, ES256 and Ed25519): thumbprints against RFC 7638's own
 * example and against jose, a proof read back, and a whole sign-in as a HAR (authorize with dpop_jkt, the
 * use_dpop_nonce challenge, the retry, an API call with `Authorization: DPoP`) read by readHar and by the CLI's streaming
 * reader: one sign-in, nothing at or over low; then each fault, flagged once.
 */
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, type KeyObject, randomUUID, sign } from 'node:crypto';
import { test } from 'node:test';
import { calculateJwkThumbprint } from 'jose';
import { signInTimeline } from '../../src/core/analysis/sign-in-timeline.js';
import { accessTokenHash, jwkThumbprint, readDpopProof } from '../../src/core/dpop.js';
import { bindingText } from '../../src/core/dpop.js';
import { createHarStreamReader, matchBearerUses } from '../../src/core/har-stream/index.js';
import { readHar } from '../../src/core/har.js';
import { buildReport } from '../../src/core/analysis/index.js';
import { signInStepsFromHar } from '../../src/core/sign-in/har.js';
import type { Report } from '../../src/core/types.js';
import { jwt } from './helpers.js';

const AS = 'https://as.example.com';
const API = 'https://api.example.com';
const APP = 'https://app.example.com';
const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'; // RFC 7636 appendix B
const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

interface Key {
  privateKey: KeyObject;
  jwk: Record<string, string>;
  alg: 'ES256' | 'EdDSA';
}

function newKey(type: 'ec' | 'ed25519' = 'ec'): Key {
  const pair = type === 'ec' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('ed25519');
  return { privateKey: pair.privateKey, jwk: pair.publicKey.export({ format: 'jwk' }) as Record<string, string>, alg: type === 'ec' ? 'ES256' : 'EdDSA' };
}

/** A DPoP proof (RFC 9449 s4.2) signed with the key. */
function proof(key: Key, claims: Record<string, unknown>): string {
  const input = `${b64({ typ: 'dpop+jwt', alg: key.alg, jwk: key.jwk })}.${b64({ jti: randomUUID(), iat: 1_768_039_200, ...claims })}`;
  const signature =
    key.alg === 'ES256'
      ? sign('sha256', Buffer.from(input), { key: key.privateKey, dsaEncoding: 'ieee-p1363' })
      : sign(null, Buffer.from(input), key.privateKey);
  return `${input}.${signature.toString('base64url')}`;
}

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

interface Flow {
  /** The key the client proves with; `cnfKey`: the key the server binds the token to (the same, unless a fault). */
  key: Key;
  cnfKey?: Key;
  dpopJkt?: string;
  scheme?: 'DPoP' | 'Bearer';
  apiUrl?: string;
  /** The proof of the API call: its htu, and the token its ath hashes. */
  apiHtu?: string;
  athOf?: string;
}

const header = (name: string, value: string) => ({ name, value });

function entry(at: string, method: string, url: string, headers: { name: string; value: string }[], status: number, body?: unknown, extra = {}) {
  return {
    startedDateTime: at,
    request: {
      method,
      url,
      headers,
      ...(method === 'POST' ? { postData: { mimeType: 'application/x-www-form-urlencoded', text: extra && (extra as { form?: string }).form } } : {}),
    },
    response: {
      status,
      headers: (extra as { location?: string }).location ? [header('location', (extra as { location: string }).location)] : [],
      redirectURL: (extra as { location?: string }).location ?? '',
      content: body === undefined ? { mimeType: 'text/html', text: '' } : { mimeType: 'application/json', text: JSON.stringify(body) },
    },
  };
}

/** The whole DPoP sign-in as a browser's HAR. */
function flowHar(flow: Flow): { har: unknown; accessToken: string } {
  const { key } = flow;
  const jkt = jwkThumbprint((flow.cnfKey ?? key).jwk) as string;
  const accessToken = jwt({ iss: AS, aud: API, sub: 'u1', scope: 'read', exp: 1_768_042_800, iat: 1_768_039_200, client_id: 'spa', cnf: { jkt } });
  const authorize = `${AS}/authorize?${new URLSearchParams({
    response_type: 'code',
    client_id: 'spa',
    redirect_uri: `${APP}/cb`,
    scope: 'read',
    resource: API,
    state: 's1',
    code_challenge: CHALLENGE,
    code_challenge_method: 'S256',
    dpop_jkt: flow.dpopJkt ?? (jwkThumbprint(key.jwk) as string),
  })}`;
  const form = `grant_type=authorization_code&code=c1&redirect_uri=${encodeURIComponent(`${APP}/cb`)}&client_id=spa&code_verifier=${VERIFIER}`;
  const tokenProof = (nonce?: string) => proof(key, { htm: 'POST', htu: `${AS}/token`, ...(nonce ? { nonce } : {}) });
  const apiUrl = flow.apiUrl ?? `${API}/v1/items`;
  const entries = [
    entry('2026-01-10T10:00:00.000Z', 'GET', authorize, [], 302, undefined, { location: `${APP}/cb?code=c1&state=s1` }),
    entry('2026-01-10T10:00:01.000Z', 'POST', `${AS}/token`, [header('DPoP', tokenProof())], 400, {
      error: 'use_dpop_nonce',
      error_description: 'Authorization server requires nonce in DPoP proof',
    }, { form }),
    entry('2026-01-10T10:00:01.100Z', 'POST', `${AS}/token`, [header('DPoP', tokenProof('eyJ7S_zG.eyJH0-Z.HX4w-7v'))], 200, {
      access_token: accessToken,
      token_type: 'DPoP',
      expires_in: 3600,
      scope: 'read',
    }, { form }),
    entry('2026-01-10T10:00:02.000Z', 'GET', apiUrl, [
      header('Authorization', `${flow.scheme ?? 'DPoP'} ${accessToken}`),
      header('DPoP', proof(key, { htm: 'GET', htu: flow.apiHtu ?? apiUrl, ath: accessTokenHash(flow.athOf ?? accessToken) })),
    ], 200, { items: [] }),
  ];
  return { har: { log: { version: '1.2', entries } }, accessToken };
}

/** The HAR as the library reads it (readHar) and as the CLI reads it (streaming reader, uses matched by value): the same. */
function reports(har: unknown): Report[] {
  const read = readHar(har);
  const steps = signInStepsFromHar((har as { log: { entries: unknown[] } }).log.entries);
  const whole = buildReport(read.exchanges, { bearerUses: read.bearerUses, signInSteps: steps });
  const reader = createHarStreamReader();
  reader.push(JSON.stringify(har));
  const result = reader.end();
  const streamed = buildReport(result.exchanges, { bearerUses: matchBearerUses(result), signInSteps: result.signInSteps });
  return [whole, streamed];
}

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
    assert.deepEqual(access?.sentTo?.map((s) => s.url), [`${API}/v1/items`]);
    assert.deepEqual(serious(report), []);
    const timeline = signInTimeline(signIn as never, report.exchanges);
    const challenge = timeline.find((event) => event.exchangeId === report.exchanges[0]?.id);
    assert.deepEqual(challenge?.details, ['the server asked for a DPoP nonce; retried']);
    assert.equal(challenge?.error, null);
  }
});

/** The rules of the serious findings, each report the same. */
function rulesOf(flow: Flow): string[][] {
  return reports(flowHar(flow).har).map((report) => serious(report).map((f) => `${f.rule} ${f.severity}`).sort());
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
