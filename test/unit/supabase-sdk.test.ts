/**
 * The real @supabase/auth-js 2.119 in Node: its own authorize URL, code exchange, refresh and password
 * requests (recorded by the `fetch` it is given), analyzed by Tokenscope. The server's answers are a
 * Supabase session as its docs describe it (test/unit/supabase-fixtures.ts `session`); what is under
 * test is the analysis of what the SDK really sends.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GoTrueClient } from '@supabase/auth-js';
import { buildReport } from '../../src/core/analysis/index.js';
import type { CapturedExchange } from '../../src/core/types.js';
import { PROJECT, session, supabaseAccessToken } from './supabase-fixtures.js';

// Now: the SDK refreshes a session whose token has expired by the clock it runs on.
const AT = new Date(Math.floor(Date.now() / 1000) * 1000).toISOString();
const AUTH_CODE = '5f0c1a8e-3b7d-4c2e-9a61-0d4f8b2c7e13';

async function signInWithSdk(): Promise<{ authorize: string; exchanges: CapturedExchange[] }> {
  const exchanges: CapturedExchange[] = [];
  const store = new Map<string, string>();
  const client = new GoTrueClient({
    url: `${PROJECT}/auth/v1`,
    headers: { apikey: 'sb_publishable_example' },
    flowType: 'pkce',
    storage: {
      getItem: (key) => store.get(key) ?? null,
      setItem: (key, value) => void store.set(key, value),
      removeItem: (key) => void store.delete(key),
    },
    autoRefreshToken: false,
    detectSessionInUrl: false,
    fetch: async (input, init) => {
      const headers: Record<string, string> = {};
      new Headers(init?.headers).forEach((value, key) => {
        headers[key] = value;
      });
      const n = exchanges.length;
      const iat = Date.parse(AT) / 1000 + n;
      const upstream = n === 0 ? { provider_token: 'gho_16C7e42F292c6912E7710c838347Ae178B4a' } : {};
      const answer = JSON.stringify(session(supabaseAccessToken(iat), `refresh-${n}`, { ...upstream, expires_at: iat + 3600 }));
      exchanges.push({
        url: String(input),
        method: init?.method ?? 'GET',
        status: 200,
        startedAt: new Date(Date.parse(AT) + 6000 + n * 1000).toISOString(),
        source: 'har',
        request: { headers, body: typeof init?.body === 'string' ? init.body : null },
        response: { contentType: 'application/json', body: answer },
      });
      return new Response(answer, { status: 200, headers: { 'content-type': 'application/json' } });
    },
  });
  const { data } = await client.signInWithOAuth({
    provider: 'github',
    options: { skipBrowserRedirect: true, redirectTo: 'http://localhost:3000/auth/callback', scopes: 'read:user' },
  });
  assert.ok(data.url);
  await client.exchangeCodeForSession(AUTH_CODE);
  await client.refreshSession();
  await client.signInWithPassword({ email: 'octocat@example.com', password: 'correct horse' });
  return { authorize: data.url, exchanges };
}

test('what @supabase/auth-js really sends: the grant from its URL, one PKCE sign-in from authorize to refresh, the project as the server', async () => {
  const { authorize, exchanges } = await signInWithSdk();
  assert.match(authorize, /code_challenge_method=s256/, 'the SDK writes s256 in lower case');
  const report = buildReport(exchanges, {
    signInSteps: [
      { url: authorize, method: 'GET', at: AT, source: 'har' },
      {
        url: `http://localhost:3000/auth/callback?code=${AUTH_CODE}`,
        method: 'GET',
        at: new Date(Date.parse(AT) + 5000).toISOString(),
        source: 'har',
      },
    ],
  });
  assert.deepEqual(
    report.exchanges.map((exchange) => exchange.request.grantType),
    ['pkce', 'refresh_token', 'password'],
  );
  const [pkce, password] = report.signIns;
  assert.equal(pkce?.joinedBy, 'pkce', "the SDK's own verifier answers its own challenge");
  assert.deepEqual(pkce?.exchanges, [report.exchanges[0]?.id, report.exchanges[1]?.id]);
  assert.deepEqual(password?.exchanges, [report.exchanges[2]?.id], 'the password sign-in is a sign-in of its own');
  for (const exchange of report.exchanges) assert.equal(exchange.resourceServers[0]?.id, PROJECT);
  assert.ok(report.exchanges[0]?.resourceServers.some((server) => server.id === 'https://api.github.com'));
  assert.deepEqual(
    [...report.exchanges.flatMap((e) => e.findings), ...report.signIns.flatMap((s) => s.findings)].filter((f) => f.severity !== 'info'),
    [],
  );
  assert.ok(!JSON.stringify(report).includes('correct horse'));
});
