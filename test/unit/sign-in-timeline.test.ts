/** The sign-in as a timeline (src/core/analysis/sign-in-timeline.ts): steps in order, times from the start, errors in place. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildReport } from '../../src/core/analysis/index.js';
import { formatOffset, signInTimeline } from '../../src/core/analysis/sign-in-timeline.js';
import { fingerprint } from '../../src/core/sha256.js';
import type { Report } from '../../src/core/types.js';
import { globusSignIn } from './token-map-fixture.js';
import { nav, RFC6749_CODE, RFC6749_DENIED, T0, T1, T2, T3, tokenExchange } from './sign-in-fixtures.js';

const TOKEN_URL = 'https://server.example.com/token';
const refresh = (at: string, response: unknown, status = 200) => ({
  ...tokenExchange(TOKEN_URL, 'grant_type=refresh_token&refresh_token=tGzv3JOkF0XG5Qx2TlKWIA', response, at, {
    authorization: RFC6749_CODE.basic,
  }),
  status,
});

/** RFC 6749 s4.1: authorize, callback, code exchange; a refresh half an hour later, a failed one after it; the access token later sent elsewhere. */
function codeFlow(): Report {
  const code = tokenExchange(TOKEN_URL, RFC6749_CODE.tokenBody, RFC6749_CODE.tokenResponse, T2, { authorization: RFC6749_CODE.basic });
  return buildReport(
    [
      code,
      refresh(T3, { access_token: 'new-access', token_type: 'example', expires_in: 3600 }),
      refresh('2026-01-10T11:00:00.000Z', { error: 'invalid_grant', error_description: '<b>refresh token revoked</b>' }, 400),
    ],
    {
      signInSteps: [nav(RFC6749_CODE.authorize, T0), nav(RFC6749_CODE.callback, T1)],
      bearerUses: [
        {
          url: 'https://elsewhere.example.net/api/me?x=1',
          method: 'GET',
          fingerprint: fingerprint(RFC6749_CODE.tokenResponse.access_token),
          at: '2026-01-10T10:00:08.000Z',
        },
      ],
    },
  );
}

describe('the sign-in timeline', () => {
  const report = codeFlow();
  const [signIn] = report.signIns;
  assert.ok(signIn);
  const events = signInTimeline(signIn, report.exchanges);

  test('request, consent result, code exchange, the token sent elsewhere, then each refresh, in time order', () => {
    assert.deepEqual(
      events.map((event) => event.kind),
      ['authorization-request', 'authorization-response', 'code-exchange', 'token-sent', 'refresh', 'refresh'],
    );
    assert.deepEqual(
      events.map((event) => formatOffset(event.offsetMs)),
      ['+0.0 s', '+5.0 s', '+6.0 s', '+8.0 s', '+30 min 0 s', '+1 h 0 min'],
    );
  });

  test('each step says what happened in words, secrets left out', () => {
    assert.equal(events[0]?.summary, 'Authorization request to https://server.example.com/authorize');
    assert.match(events[0]?.details.join(' | ') ?? '', /client s6BhdRkqt3 · response type code · no PKCE/);
    assert.equal(events[1]?.summary, 'Consent result: code in the query');
    assert.equal(events[2]?.summary, 'Code exchange at https://server.example.com/token → 200');
    assert.match(events[2]?.details.join(' | ') ?? '', /access token \(opaque\) for .*\| refresh token \(opaque\)/);
    assert.equal(events[3]?.summary.endsWith('sent as Bearer: GET https://elsewhere.example.net/api/me'), true, events[3]?.summary);
    assert.equal(events[3]?.findings[0]?.rule, 'token-sent-beyond-audience');
    const text = JSON.stringify(events);
    for (const secret of ['SplxlOBeZQQYbYS6WxSbIA', 'tGzv3JOkF0XG5Qx2TlKWIA', '2YotnFZFEjr1zCsicMWpAA', 'x=1'])
      assert.ok(!text.includes(secret), secret);
  });

  test('errors in place: the failed refresh carries its error; the steps that went well carry none', () => {
    const failed = events[5];
    assert.match(failed?.error ?? '', /invalid_grant/);
    assert.match(failed?.error ?? '', /<b>refresh token revoked<\/b>/, 'the description as it came, for the view to show as text');
    assert.equal(failed?.summary, 'Refresh at https://server.example.com/token → 400');
    assert.deepEqual(
      events.slice(0, 5).map((event) => event.error),
      [null, null, null, null, null],
    );
  });

  test('the flow findings sit at the step they are about: no PKCE at the request', () => {
    assert.deepEqual(
      events[0]?.findings.map((finding) => finding.rule),
      ['pkce-missing'],
    );
  });
});

test('a refused consent: the error on the consent step, and nothing after it', () => {
  const denied = `${RFC6749_DENIED}&error_description=user%20said%20no`;
  const report = buildReport([], { signInSteps: [nav(RFC6749_CODE.authorize, T0), nav(denied, T1)] });
  const [signIn] = report.signIns;
  assert.ok(signIn);
  const events = signInTimeline(signIn, report.exchanges);
  assert.deepEqual(
    events.map((event) => [event.kind, formatOffset(event.offsetMs), event.error]),
    [
      ['authorization-request', '+0.0 s', null],
      ['authorization-response', '+5.0 s', 'refused: access_denied (user said no)'],
    ],
  );
  assert.deepEqual(
    events[1]?.findings.map((finding) => finding.rule),
    ['authorization-error'],
  );
});

test('the map fixture: the audience finding is on the code exchange, with the PKCE request before it', () => {
  const report = globusSignIn();
  const [signIn] = report.signIns;
  assert.ok(signIn);
  const events = signInTimeline(signIn, report.exchanges);
  assert.deepEqual(
    events.map((event) => event.kind),
    ['authorization-request', 'code-exchange'],
  );
  assert.match(events[0]?.details.at(-1) ?? '', /PKCE S256/);
  assert.ok(events[1]?.findings.some((finding) => finding.rule === 'audience-beyond-server' && finding.severity === 'high'));
  assert.equal(events[1]?.exchangeId, report.exchanges[0]?.id);
});

test('a step whose time cannot be read keeps its place and says so', () => {
  const report = buildReport([
    { ...tokenExchange(TOKEN_URL, RFC6749_CODE.tokenBody, RFC6749_CODE.tokenResponse, 'not a time'), status: 200 },
  ]);
  const [signIn] = report.signIns;
  assert.ok(signIn);
  const [event] = signInTimeline(signIn, report.exchanges);
  assert.equal(event?.offsetMs, null);
  assert.equal(formatOffset(event?.offsetMs ?? null), 'time unknown');
});

test('offsets in words', () => {
  assert.deepEqual([0, 400, 9_949, 12_400, 61_000, 3_660_000, 90_000_000, -1500].map(formatOffset), [
    '+0.0 s',
    '+0.4 s',
    '+9.9 s',
    '+12 s',
    '+1 min 1 s',
    '+1 h 1 min',
    '+1 d 1 h',
    '−1.5 s',
  ]);
});

describe('where each token was sent, own server or not', () => {
  const accessToken = fingerprint(RFC6749_CODE.tokenResponse.access_token);
  const code = () =>
    tokenExchange(TOKEN_URL, RFC6749_CODE.tokenBody, RFC6749_CODE.tokenResponse, T2, { authorization: RFC6749_CODE.basic });
  const use = (url: string, at: string) => ({ url, method: 'GET', fingerprint: accessToken, at });
  const steps = [nav(RFC6749_CODE.authorize, T0), nav(RFC6749_CODE.callback, T1)];

  test("every send is a step and on the token's report (each address once, no query); only one beyond its server carries a finding", () => {
    // The token's server is unknown here (the response names none): every send is said, the finding at info.
    const report = buildReport([code()], {
      signInSteps: steps,
      bearerUses: [
        use('https://server.example.com/api/photos?page=2', '2026-01-10T10:00:07.000Z'),
        use('https://server.example.com/api/photos?page=3', '2026-01-10T10:00:07.500Z'),
        use('https://elsewhere.example.net/api/me', '2026-01-10T10:00:08.000Z'),
      ],
    });
    const token = report.exchanges[0]?.resourceServers.flatMap((server) => server.tokens).find((t) => t.fingerprint === accessToken);
    assert.deepEqual(token?.sentTo, [
      { url: 'https://server.example.com/api/photos', method: 'GET', at: '2026-01-10T10:00:07.000Z' },
      { url: 'https://elsewhere.example.net/api/me', method: 'GET', at: '2026-01-10T10:00:08.000Z' },
    ]);
    const [signIn] = report.signIns;
    assert.ok(signIn);
    const sent = signInTimeline(signIn, report.exchanges).filter((event) => event.kind === 'token-sent');
    assert.deepEqual(
      sent.map((event) => event.summary.replace(/^.* sent as Bearer: /, '')),
      ['GET https://server.example.com/api/photos', 'GET https://elsewhere.example.net/api/me'],
    );
    assert.deepEqual(
      sent.map((event) => event.findings.map((finding) => finding.rule)),
      [['token-sent-beyond-audience'], ['token-sent-beyond-audience']],
      'with no known server, each send is said (at info) in place',
    );
  });

  test("a send to the token's own server is a step without a finding; one to another host keeps its finding", () => {
    const named = { ...RFC6749_CODE.tokenResponse, resource_server: 'api.example.com' };
    const report = buildReport([tokenExchange(TOKEN_URL, RFC6749_CODE.tokenBody, named, T2, { authorization: RFC6749_CODE.basic })], {
      signInSteps: steps,
      bearerUses: [
        use('https://api.example.com/v1/me', '2026-01-10T10:00:07.000Z'),
        use('https://evil.example.org/collect', '2026-01-10T10:00:09.000Z'),
      ],
    });
    const [signIn] = report.signIns;
    assert.ok(signIn);
    const sent = signInTimeline(signIn, report.exchanges).filter((event) => event.kind === 'token-sent');
    assert.equal(sent.length, 2);
    assert.deepEqual(sent[0]?.findings, [], 'its own server: nothing wrong');
    assert.equal(sent[1]?.findings[0]?.rule, 'token-sent-beyond-audience');
    assert.equal(sent[1]?.findings[0]?.severity, 'high');
  });

  test("a report shared with a memo of the exchange's own analysis is not changed by the sends of one build", () => {
    const captured = code();
    const own = buildReport([captured]).exchanges[0];
    assert.ok(own);
    // As the worker's memo hands it out: the same servers and tokens, a fresh findings array (background/analysis-memo.ts).
    const memo = () => ({ ...own, findings: [...own.findings] });
    const withUse = buildReport([captured], { bearerUses: [use('https://elsewhere.example.net/api/me', T3)] }, memo);
    const without = buildReport([captured], {}, memo);
    const sentTo = (report: Report) => report.exchanges[0]?.resourceServers.flatMap((server) => server.tokens.map((t) => t.sentTo ?? []));
    assert.equal(sentTo(withUse)?.flat().length, 1);
    assert.equal(sentTo(without)?.flat().length, 0);
    assert.equal(
      own.resourceServers.flatMap((server) => server.tokens).some((t) => t.sentTo),
      false,
    );
  });
});
