/** The sign-in model (src/core/sign-in/): reading authorization requests and responses, and joining them to token exchanges. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildReport } from '../../src/core/analysis/index.js';
import { readInput } from '../../src/core/input.js';
import { codeChallengeOf } from '../../src/core/sign-in/pkce.js';
import { readFrontChannel } from '../../src/core/sign-in/steps.js';
import { entry, har, jwt, NOW_S } from './helpers.js';
import {
  AUTH0_PKCE,
  nav,
  RFC6749_CODE,
  RFC6749_DENIED,
  RFC6749_IMPLICIT,
  RFC7636_CHALLENGE,
  RFC7636_VERIFIER,
  RFC8707_RESOURCES,
  RFC9126_PAR,
  T0,
  T1,
  T2,
  T3,
  tokenExchange,
} from './sign-in-fixtures.js';

const codeExchange = (body = RFC6749_CODE.tokenBody, headers: Record<string, string> = { authorization: RFC6749_CODE.basic }) =>
  tokenExchange('https://server.example.com/token', body, RFC6749_CODE.tokenResponse, T2, headers);

describe('authorization requests and responses', () => {
  test('RFC 7636 Appendix B: the S256 challenge of the verifier', () => {
    assert.equal(codeChallengeOf(RFC7636_VERIFIER, 'S256'), RFC7636_CHALLENGE);
    assert.equal(codeChallengeOf(RFC7636_VERIFIER, 'plain'), RFC7636_VERIFIER);
  });

  test('RFC 8707: every resource, the scopes, state only as a fingerprint', () => {
    const [channel] = readFrontChannel([nav(RFC8707_RESOURCES, T0)]);
    const request = channel?.request;
    assert.ok(request);
    assert.equal(request.endpoint, 'https://authorization-server.example.com/as/authorization.oauth2');
    assert.deepEqual(request.resources, ['https://cal.example.com/', 'https://contacts.example.com/']);
    assert.deepEqual(request.scopes, ['calendar', 'contacts']);
    assert.match(request.redacted.state ?? '', /^sha256:[0-9a-f]{64}$/);
    assert.ok(!JSON.stringify(channel).includes('tNwzQ87pC6llebpmac'), 'the state value is not kept');
  });

  test('RFC 9126: the pushed request is read from its body and joined to the authorize URL by request_uri', () => {
    const steps = [
      { url: RFC9126_PAR.endpoint, method: 'POST', at: T0, body: RFC9126_PAR.body, responseBody: RFC9126_PAR.response },
      nav(RFC9126_PAR.authorize, T1),
    ];
    const channels = readFrontChannel(steps);
    assert.equal(channels.length, 1);
    const request = channels[0]?.request;
    assert.equal(request?.via, 'par');
    assert.equal(request?.endpoint, 'https://as.example.com/authorize');
    assert.deepEqual(request?.scopes, ['account-information']);
    assert.equal(request?.codeChallengeMethod, 'S256');
    assert.equal(request?.redirectUri, 'https://client.example.org/cb');
  });

  test('a request by reference whose content was not seen says so', () => {
    const [channel] = readFrontChannel([nav(RFC9126_PAR.authorize, T1)]);
    assert.match(channel?.request?.notes.join(' ') ?? '', /not visible/);
  });

  test('RFC 6749 s4.1.2.1: the refusal is the consent result, with what was asked for', () => {
    const report = buildReport([], { signInSteps: [nav(RFC6749_CODE.authorize, T0), nav(RFC6749_DENIED, T1)] });
    assert.equal(report.signIns.length, 1);
    const [signIn] = report.signIns;
    assert.equal(signIn?.response?.outcome, 'error');
    assert.equal(signIn?.response?.error, 'access_denied');
    const refused = signIn?.findings.find((f) => f.rule === 'authorization-error');
    assert.match(refused?.message ?? '', /access_denied/);
  });

  test('a redirect with code and state but no request seen is still a sign-in; a random ?code= without state is not', () => {
    const report = buildReport([], {
      signInSteps: [nav(RFC6749_CODE.callback, T1), nav('https://shop.example.com/promo?code=SUMMER', T1)],
    });
    assert.equal(report.signIns.length, 1);
    assert.equal(report.signIns[0]?.response?.redirectUri, 'https://client.example.com/cb');
  });
});

describe('joining exchanges to sign-ins', () => {
  test('by PKCE: S256(code_verifier) = code_challenge, even without the code (Auth0 docs request)', () => {
    const token = jwt({ iss: 'https://example.us.auth0.com/', aud: 'https://api.example.com', exp: NOW_S + 3600, scope: 'openid' });
    const exchange = tokenExchange(
      'https://example.us.auth0.com/oauth/token',
      `grant_type=authorization_code&client_id=AUTH0CLIENT&code_verifier=${RFC7636_VERIFIER}&code=unseen&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcallback`,
      { access_token: token, token_type: 'Bearer', scope: 'openid', expires_in: 86400 },
    );
    const report = buildReport([exchange], { signInSteps: [nav(AUTH0_PKCE, T0)] });
    const [signIn] = report.signIns;
    assert.equal(signIn?.joinedBy, 'pkce');
    assert.deepEqual(signIn?.exchanges, [report.exchanges[0]?.id]);
    // The audience asked for at authorize names the server (resolution step 3), not the tenant.
    assert.equal(report.exchanges[0]?.resourceServers[0]?.id, 'https://api.example.com');
    assert.equal(report.exchanges[0]?.resourceServers[0]?.resolvedBy, 'request');
    // The token request named no scope: the authorization request's are the requested ones; the dropped one is named.
    assert.deepEqual(report.exchanges[0]?.request.scopes, [], 'the token request field keeps its meaning');
    const dropped = signIn?.requestedScopes.find((s) => s.scope === 'read:messages');
    assert.deepEqual(dropped, { scope: 'read:messages', resourceServer: 'https://api.example.com', granted: false, token: null });
    assert.deepEqual(signIn?.resourceServers.find((s) => s.id === 'https://api.example.com')?.dropped, ['read:messages']);
    assert.ok(report.exchanges[0]?.findings.some((f) => f.rule === 'scope-diff'));
  });

  test('by the code when there is no PKCE (RFC 6749 s4.1); the refresh grant joins by its refresh token', () => {
    const refresh = tokenExchange(
      'https://server.example.com/token',
      'grant_type=refresh_token&refresh_token=tGzv3JOkF0XG5Qx2TlKWIA',
      { access_token: 'new-access', token_type: 'example', expires_in: 3600 },
      T3,
      { authorization: RFC6749_CODE.basic },
    );
    const report = buildReport([codeExchange(), refresh], {
      signInSteps: [nav(RFC6749_CODE.authorize, T0), nav(RFC6749_CODE.callback, T1)],
    });
    assert.equal(report.signIns.length, 1);
    const [signIn] = report.signIns;
    assert.equal(signIn?.joinedBy, 'code');
    assert.deepEqual(
      signIn?.exchanges,
      report.exchanges.map((e) => e.id),
    );
    // A confidential client (Basic authentication) without PKCE: flagged, but low.
    const pkce = signIn?.findings.find((f) => f.rule === 'pkce-missing');
    assert.equal(pkce?.severity, 'low');
  });

  test('by state, client and redirect URI when neither PKCE nor the code match; another client stays apart', () => {
    const sameClient = codeExchange(
      'grant_type=authorization_code&code=other&client_id=s6BhdRkqt3&redirect_uri=https%3A%2F%2Fclient.example.com%2Fcb',
      {},
    );
    const otherClient = codeExchange(
      'grant_type=authorization_code&code=x&client_id=someone-else&redirect_uri=https%3A%2F%2Fclient.example.com%2Fcb',
      {},
    );
    const report = buildReport([sameClient, otherClient], {
      signInSteps: [nav(RFC6749_CODE.authorize, T0), nav(RFC6749_CODE.callback, T1)],
    });
    assert.equal(report.signIns.length, 2);
    assert.equal(report.signIns[0]?.joinedBy, 'state');
    assert.deepEqual(report.signIns[0]?.exchanges, [report.exchanges[0]?.id]);
    assert.equal(report.signIns[1]?.authorization, null, 'the other client is a sign-in of one step');
  });

  test('by state: two sign-ins of one client, each exchange takes the latest still open (the state index)', () => {
    const second = {
      authorize: RFC6749_CODE.authorize.replace('state=xyz', 'state=abc'),
      callback: 'https://client.example.com/cb?code=c2&state=abc',
    };
    const exchange = (code: string, at: string) =>
      tokenExchange(
        'https://server.example.com/token',
        `grant_type=authorization_code&code=${code}&client_id=s6BhdRkqt3&redirect_uri=https%3A%2F%2Fclient.example.com%2Fcb`,
        RFC6749_CODE.tokenResponse,
        at,
        {},
      );
    const exchanges = [exchange('unknown-1', '2026-01-10T10:00:07.000Z'), exchange('unknown-2', '2026-01-10T10:00:08.000Z')];
    const report = buildReport([...exchanges, exchange('unknown-3', '2026-01-10T10:00:09.000Z')], {
      signInSteps: [nav(RFC6749_CODE.authorize, T0), nav(RFC6749_CODE.callback, T1), nav(second.authorize, T1), nav(second.callback, T2)],
    });
    const [first, latest, alone] = [0, 1, 2].map((index) => report.exchanges[index]?.id);
    const signInOf = (id: string | undefined) => report.signIns.find((signIn) => signIn.exchanges.includes(id ?? ''));
    assert.equal(signInOf(first)?.joinedBy, 'state');
    assert.equal(signInOf(first)?.response?.at, T2, 'the first exchange joins the sign-in answered last');
    assert.equal(signInOf(latest)?.joinedBy, 'state');
    assert.equal(signInOf(latest)?.response?.at, T1, 'the next one joins the earlier sign-in, the latest still open');
    assert.equal(signInOf(alone)?.authorization, null, 'both sign-ins are joined: the third exchange is a sign-in of one step');
  });

  test('an exchange with nothing before it is a sign-in of one step', () => {
    const report = buildReport([codeExchange()]);
    assert.equal(report.signIns.length, 1);
    assert.equal(report.signIns[0]?.authorization, null);
    assert.equal(report.signIns[0]?.joinedBy, null);
  });

  test('implicit: the tokens in the fragment are analyzed as an exchange of the sign-in, and flagged', () => {
    const report = buildReport([], { signInSteps: [nav(RFC6749_IMPLICIT.authorize, T0), nav(RFC6749_IMPLICIT.callback, T1)] });
    const [signIn] = report.signIns;
    assert.equal(signIn?.response?.mode, 'fragment');
    assert.equal(report.exchanges.length, 1);
    assert.equal(report.exchanges[0]?.url, 'https://client.example.com/cb');
    assert.equal(signIn?.response?.tokensExchange, report.exchanges[0]?.id);
    assert.ok(signIn?.findings.some((f) => f.rule === 'token-in-front-channel'));
    assert.ok(!JSON.stringify(report).includes('2YotnFZFEjr1zCsicMWpAA'), 'the token value is not in the report');
  });

  test('a HAR with the authorize redirect, the callback and the token exchange: one sign-in (CLI and import read it so)', () => {
    const authorize = entry({ url: RFC6749_CODE.authorize, status: 302 });
    authorize.response.redirectURL = RFC6749_CODE.callback;
    const callback = entry({ url: RFC6749_CODE.callback });
    const token = entry({
      method: 'POST',
      url: 'https://server.example.com/token',
      requestHeaders: [{ name: 'Authorization', value: RFC6749_CODE.basic }],
      postData: { mimeType: 'application/x-www-form-urlencoded', text: RFC6749_CODE.tokenBody },
      content: { text: JSON.stringify(RFC6749_CODE.tokenResponse) },
    });
    const input = readInput(JSON.stringify(har(authorize, callback, token)), 'sign-in.har', T0);
    assert.equal(input.kind, 'har');
    if (input.kind !== 'har') return;
    const report = buildReport(input.exchanges, { signInSteps: input.signInSteps });
    assert.equal(report.signIns.length, 1, 'the Location and the callback are one response');
    assert.equal(report.signIns[0]?.joinedBy, 'code');
    assert.equal(report.signIns[0]?.authorization?.clientId, 's6BhdRkqt3');
  });
});

test('the HAR recorded in real Chromium (oidc-client-ts against oidc-provider): its authorize request, callback and token exchange are one sign-in, joined by PKCE', async () => {
  const { readFileSync } = await import('node:fs');
  const text = readFileSync(new URL('../fixtures/har/chromium-sign-in.har', import.meta.url), 'utf8');
  const input = readInput(text, 'chromium-sign-in.har', T0);
  assert.equal(input.kind, 'har');
  if (input.kind !== 'har') return;
  const report = buildReport(input.exchanges, { signInSteps: input.signInSteps });
  const joined = report.signIns.filter((signIn) => signIn.authorization !== null);
  assert.equal(joined.length, 1);
  assert.equal(joined[0]?.joinedBy, 'pkce');
  assert.equal(joined[0]?.response?.outcome, 'code');
  assert.deepEqual(joined[0]?.authorization?.scopes, ['openid', 'profile', 'api:read']);
  assert.equal(joined[0]?.authorization?.codeChallengeMethod, 'S256');
});

describe('what is not visible', () => {
  test('a form_post request with no answer seen says why (a POST no page script reads) and what has it', () => {
    // OAuth 2.0 Form Post Response Mode s5.1: the authorization request asks for response_mode=form_post.
    const formPost =
      'https://server.example.com/authorize?response_type=code&response_mode=form_post&client_id=some_client&scope=openid&redirect_uri=https%3A%2F%2Fclient.example.org%2Fcallback&state=DcP7csa3hMlvybERqcieLHrRzKBra&nonce=2T1AgaeRTGTMAJyeDMN9IJbgiUG';
    const [signIn] = buildReport([], { signInSteps: [nav(formPost, T0)] }).signIns;
    assert.equal(signIn?.authorization?.responseMode, 'form_post');
    assert.ok(signIn?.notes.some((note) => /form_post: a POST to the redirect URI, which no script of the page can read/.test(note)));
    assert.ok(!signIn?.notes.some((note) => /No answer on the redirect URI/.test(note)));
    // Without form_post, the missing answer is said plainly.
    const [plain] = buildReport([], { signInSteps: [nav(RFC6749_CODE.authorize, T0)] }).signIns;
    assert.ok(plain?.notes.some((note) => /No answer on the redirect URI was seen/.test(note)));
  });
});
