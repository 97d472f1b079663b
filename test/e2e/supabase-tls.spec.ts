/**
 * @supabase/auth-js 2.119 from npm, at its real hostnames over TLS in Chromium: the app at
 * https://app.supabase-demo.example signs in with GitHub through https://abcdefghijklmnopqrst.supabase.co (PKCE), calls
 * GitHub's API with the provider token Supabase hands over, refreshes, and reads a table over REST with the session's
 * token. Provider shapes: test/tls/providers/supabase.ts. What a user must see (issue #21): both token requests with their
 * grant (from the URL), one sign-in, the project as the server (not the role label `authenticated`), GitHub's token under
 * GitHub's API, no false finding; and, when the app posts the user's token to another site, that finding.
 */
import { test } from '@playwright/test';
import { SUPABASE_LEAK_HOST, SUPABASE_PROJECT_HOST, supabaseSites } from '../tls/providers/supabase.js';
import { withChromiumApp } from '../tls/chromium-run.js';
import { accessTokens, missingFindings, outline, unexpectedFindings, reportWhen } from '../tls/report-checks.js';
import type { AppStep } from '../support/harness.js';
import { expect } from '../support/harness.js';

const PROJECT = `https://${SUPABASE_PROJECT_HOST}`;
const SIGN_IN: AppStep[] = [
  [null, 'ready'],
  ['#signin', 'signed-in'],
  ['#github', 'github-ok'],
  // The refresh and, at once, the REST call with its new token: nothing may be lost between them.
  ['#refresh-rest', 'rest-ok 1'],
];

test('Supabase (auth-js, GitHub upstream, PKCE): both grants, one sign-in, the project and GitHub as servers, no false finding', async () => {
  const { sites, record } = supabaseSites({ misconfigured: false });
  await withChromiumApp(sites, 'app.supabase-demo.example', SIGN_IN, async ({ view, popup }) => {
    // The SDK signed in by itself against the provider-shaped servers.
    expect(record.grants).toEqual(['pkce', 'refresh_token']);
    expect(record.rest).toEqual([200]);
    expect(record.github).toEqual([200]);
    // Both token requests captured, and the REST call seen with the refreshed token (it goes to the project: no finding).
    const report = await reportWhen({ view }, 'both exchanges and the REST call with the refreshed token', (r) => {
      const rest = accessTokens(r).some((t) => t.sentTo.some((u) => u.includes('/rest/v1/todos')));
      return r.exchanges.length === 2 && rest;
    });
    const why = outline(report);
    expect(report.exchanges.map((e) => e.request.grantType).sort(), why).toEqual(['pkce', 'refresh_token']);
    // One sign-in: the authorize request (its s256 challenge) joined to the code exchange, then the refresh.
    const signIns = report.signIns.filter((s) => s.exchanges.length > 0);
    expect(signIns, why).toHaveLength(1);
    expect(signIns[0]?.exchanges, why).toHaveLength(2);
    expect(signIns[0]?.authorization?.endpoint, why).toBe(`${PROJECT}/auth/v1/authorize`);
    expect(signIns[0]?.joinedBy, why).toBe('pkce');
    // The project is the server of the session's access token; GitHub's API the server of the provider token.
    expect(new Set(accessTokens(report).map((t) => t.server)), why).toEqual(new Set([PROJECT, 'https://api.github.com']));
    expect(accessTokens(report).find((t) => t.server === 'https://api.github.com')?.sentTo, why).toEqual(['https://api.github.com/user']);
    expect(unexpectedFindings(report, []), why).toEqual([]);
    // The popup names the project and GitHub's API (never the role label), with nothing at or over low.
    expect(await popup([PROJECT, 'https://api.github.com'])).toEqual({
      servers: [PROJECT, 'https://api.github.com'].sort(),
      findings: { high: 0, medium: 0, low: 0 },
    });
  });
});

test('Supabase, misconfigured: the user token posted to an analytics host on another site is a HIGH token-sent-beyond-audience', async () => {
  const { sites, record } = supabaseSites({ misconfigured: true });
  await withChromiumApp(sites, 'app.supabase-demo.example', [...SIGN_IN, ['#leak', 'leaked']], async ({ view }) => {
    expect(record.leaked).toBe(1);
    const expected = [
      {
        rule: 'token-sent-beyond-audience',
        severity: 'high' as const,
        where: (f: { resourceServer: string | null; message: string }) =>
          f.resourceServer === PROJECT && f.message.includes(SUPABASE_LEAK_HOST),
      },
    ];
    const report = await reportWhen({ view }, 'the leak on the report', (r) =>
      accessTokens(r).some((t) => t.sentTo.some((u) => u.includes(SUPABASE_LEAK_HOST))),
    );
    expect(missingFindings(report, expected), outline(report)).toEqual([]);
    expect(unexpectedFindings(report, expected), outline(report)).toEqual([]);
  });
});
