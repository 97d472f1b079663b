/** Supabase Auth (@supabase/auth-js 2.119): one sign-in from authorize to refresh, the project as the server, GitHub's token as GitHub's. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildReport } from '../../src/core/analysis/index.js';
import { signInTimeline } from '../../src/core/analysis/sign-in-timeline.js';
import { looksLikeAuthorizationRequest } from '../../src/core/front-channel-url.js';
import { parseRequest } from '../../src/core/parse.js';
import { severityRank } from '../../src/core/severity.js';
import { signInStepsFromHar } from '../../src/core/sign-in/har.js';
import type { Report } from '../../src/core/types.js';
import { analyzeHar } from '../../src/lib/index.js';
import { panelRows } from '../../src/ui/panel-rows.js';
import { ACCESS, AUTHORIZE, GITHUB_TOKEN, PROJECT, session, supabaseAccessToken, supabaseHar } from './supabase-fixtures.js';
import { tokenExchange } from './sign-in-fixtures.js';

const analyze = (file: unknown): Report => analyzeHar(file);

const allFindings = (report: Report) => [...report.exchanges.flatMap((e) => e.findings), ...report.signIns.flatMap((s) => s.findings)];

/** A JSON-bodied request to Supabase's token endpoint, as `_request` sends it. */
const supabaseExchange = (url: string, body: unknown, answer: unknown) => ({
  ...tokenExchange(url, JSON.stringify(body), answer),
  request: { headers: { 'content-type': 'application/json;charset=UTF-8' }, body: JSON.stringify(body) },
});

describe('Supabase Auth', () => {
  test('the grant is read from the URL when the JSON body names none', () => {
    const pkce = parseRequest(`${PROJECT}/auth/v1/token?grant_type=pkce`, '{"auth_code":"a","code_verifier":"v"}', {
      'content-type': 'application/json',
    });
    assert.equal(pkce.grantType, 'pkce');
    assert.match(pkce.redacted.auth_code ?? '', /^sha256:/);
    // A body's own grant_type wins over the URL's.
    assert.equal(
      parseRequest('https://as.example/token?grant_type=x', 'grant_type=refresh_token&refresh_token=r').grantType,
      'refresh_token',
    );
  });

  test('a PKCE sign-in through GitHub is one sign-in: authorize, the upstream round trip, the code exchange, the refresh', () => {
    const report = analyze(supabaseHar());
    assert.equal(report.signIns.length, 1, 'the GitHub round trip is a step of the sign-in, not a sign-in of its own');
    const [signIn] = report.signIns;
    assert.equal(signIn?.joinedBy, 'pkce');
    assert.equal(signIn?.authorization?.upstreamProvider, 'github');
    assert.equal(signIn?.authorization?.codeChallengeMethod, 's256');
    assert.equal(signIn?.authorization?.redirectUri, 'http://localhost:3000/auth/callback');
    assert.equal(signIn?.upstream?.authorization.endpoint, 'https://github.com/login/oauth/authorize');
    assert.equal(signIn?.upstream?.response?.redirectUri, `${PROJECT}/auth/v1/callback`);
    assert.deepEqual(
      report.exchanges.map((e) => e.request.grantType),
      ['pkce', 'refresh_token'],
    );
    assert.deepEqual(
      signIn?.exchanges,
      report.exchanges.map((e) => e.id),
      'the refresh joins by its refresh token',
    );
    const kinds = signInTimeline(signIn as NonNullable<typeof signIn>, report.exchanges).map((event) => event.summary);
    assert.ok(
      kinds.some((summary) => summary.startsWith('Upstream authorization request to https://github.com')),
      kinds.join('\n'),
    );
    assert.ok(kinds.some((summary) => summary.startsWith('Code exchange at')));
  });

  test('the project is the resource server; aud "authenticated" is its role label, not a server, and no finding is raised', () => {
    const report = analyze(supabaseHar());
    const code = report.exchanges[0];
    assert.equal(code?.provider, 'supabase');
    const project = code?.resourceServers[0];
    assert.equal(project?.id, PROJECT);
    assert.equal(project?.resolvedBy, 'aud');
    assert.deepEqual(
      project?.tokens.map((t) => t.kind),
      ['access', 'refresh'],
    );
    assert.deepEqual(
      project?.tokens[0]?.sentTo?.map((s) => s.url),
      [`${PROJECT}/rest/v1/todos`],
    );
    const loud = allFindings(report).filter((f) => severityRank(f.severity) >= severityRank('low'));
    assert.deepEqual(loud, [], 'a correct Supabase sign-in raises nothing at or over low');
  });

  test("GitHub's provider_token is GitHub's token, for its API, said in words at info", () => {
    const report = analyze(supabaseHar());
    const github = report.exchanges[0]?.resourceServers.find((server) => server.id === 'https://api.github.com');
    assert.equal(github?.resolvedBy, 'provider');
    assert.equal(github?.tokens[0]?.kind, 'access');
    assert.equal(github?.tokens[0]?.note, "github's own token, handed on as provider_token");
    assert.deepEqual(
      github?.tokens[0]?.sentTo?.map((s) => s.url),
      ['https://api.github.com/user'],
    );
    const upstream = report.exchanges[0]?.findings.find((f) => f.rule === 'upstream-token-in-browser');
    assert.equal(upstream?.severity, 'info');
    assert.match(upstream?.message ?? '', /github's own token \(provider_token\).*https:\/\/api\.github\.com/);
    assert.match(upstream?.explanation ?? '', /by design/);
    assert.ok(!JSON.stringify(report).includes(GITHUB_TOKEN), 'the GitHub token itself is never in the report');
  });

  test('the upstream provider is named by the user when no authorize was seen, and by its name when its API is not known', () => {
    const google = buildReport([
      supabaseExchange(
        `${PROJECT}/auth/v1/token?grant_type=pkce`,
        { auth_code: 'c', code_verifier: 'v' },
        {
          ...session(ACCESS, 'r1', { provider_token: 'ya29.a0Af', provider_refresh_token: '1//0g' }),
          user: { id: 'u', app_metadata: { provider: 'google' } },
        },
      ),
    ]);
    const server = google.exchanges[0]?.resourceServers.find((s) => s.id === 'https://www.googleapis.com');
    assert.deepEqual(
      server?.tokens.map((t) => t.kind),
      ['access', 'refresh'],
    );
    assert.match(
      google.exchanges[0]?.findings.find((f) => f.rule === 'upstream-token-in-browser')?.message ?? '',
      /refresh token keeps minting/,
    );

    const authorize = AUTHORIZE.replace('provider=github', 'provider=keycloak');
    const keycloak = analyze(supabaseHar({ authorize }));
    assert.ok(keycloak.exchanges[0]?.resourceServers.some((s) => s.id === 'keycloak (via Supabase)'));
  });

  test('self-hosted Supabase Auth is recognised by its /auth/v1/token path and grant_type query', () => {
    const selfHosted = 'http://localhost:8000';
    const report = buildReport([
      supabaseExchange(
        `${selfHosted}/auth/v1/token?grant_type=password`,
        { email: 'a@example.com', password: 'hunter2' },
        session(supabaseAccessToken(undefined, selfHosted), 'r2', {}),
      ),
    ]);
    const exchange = report.exchanges[0];
    assert.equal(exchange?.provider, 'supabase');
    assert.equal(exchange?.request.grantType, 'password');
    assert.equal(exchange?.resourceServers[0]?.id, selfHosted);
    assert.ok(!JSON.stringify(report).includes('hunter2'), 'the password is only a fingerprint');
  });

  test('faults are still flagged: the project token sent to another API, a plain PKCE challenge', () => {
    const file = supabaseHar({ authorize: AUTHORIZE.replace('code_challenge_method=s256', 'code_challenge_method=plain') });
    const entries = (file.log.entries as unknown[]).concat({
      ...(file.log.entries[5] as object),
      request: {
        method: 'GET',
        url: 'https://api.partner.example/v1/orders',
        httpVersion: 'http/2.0',
        headers: [{ name: 'authorization', value: `Bearer ${ACCESS}` }],
        queryString: [],
        cookies: [],
        headersSize: -1,
        bodySize: 0,
      },
    });
    const report = analyze({ log: { ...file.log, entries } });
    const rules = allFindings(report).map((f) => `${f.rule} ${f.severity}`);
    assert.ok(rules.includes('token-sent-beyond-audience high'), rules.join(', '));
    assert.ok(
      rules.some((r) => r.startsWith('pkce-plain')),
      rules.join(', '),
    );
  });
});

describe('Supabase Auth authorize as a front-channel step', () => {
  test('its URL may be an authorization request although it names no client, and a HAR entry of it alone is a step', () => {
    assert.equal(looksLikeAuthorizationRequest(AUTHORIZE), true);
    assert.equal(looksLikeAuthorizationRequest(`${PROJECT}/auth/v1/authorize`), false);
    const [authorize] = supabaseHar().log.entries as Array<{ response: { redirectURL: string } }>;
    const alone = { ...authorize, response: { ...authorize?.response, redirectURL: '' } };
    assert.equal(signInStepsFromHar([alone]).length, 1);
  });

  test("the implicit flow (auth-js's default): tokens in the app's URL fragment are the project's, GitHub's token is GitHub's, and the fragment is flagged", () => {
    const authorize = `${PROJECT}/auth/v1/authorize?provider=github&redirect_to=${encodeURIComponent('http://localhost:3000/')}`;
    // GoTrue's implicit answer: the session in the redirect_to fragment (@supabase/auth-js `_getSessionFromURL` reads these).
    const fragment = new URLSearchParams({
      access_token: ACCESS,
      expires_in: '3600',
      provider_token: GITHUB_TOKEN,
      refresh_token: 'r3',
      token_type: 'bearer',
    });
    const report = buildReport([], {
      signInSteps: [
        { url: authorize, method: 'GET', at: '2026-01-10T10:00:00.000Z', source: 'har' },
        { url: `http://localhost:3000/#${fragment}`, method: 'GET', at: '2026-01-10T10:00:05.000Z', source: 'har' },
      ],
    });
    assert.equal(report.signIns.length, 1);
    const servers = report.exchanges[0]?.resourceServers.map((server) => server.id);
    assert.deepEqual(servers, [PROJECT, 'https://api.github.com']);
    assert.ok(report.signIns[0]?.findings.some((finding) => finding.rule === 'token-in-front-channel'));
    assert.ok(!report.signIns[0]?.findings.some((finding) => finding.rule === 'csrf-unprotected' || finding.rule === 'pkce-missing'));
  });

  test("the panel's row names the sign-in by the provider it goes through", () => {
    const [row] = panelRows(analyze(supabaseHar()));
    assert.equal(row?.kind, 'sign-in');
    assert.equal(row?.grant, 'sign-in (through github)');
  });
});
