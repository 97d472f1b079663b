/**
 * @supabase/auth-js 2.119 in Firefox ESR at its real hostnames over TLS (the sites of test/tls/providers/supabase.ts on
 * 127.0.0.1:443): GitHub upstream through the project, PKCE, the provider token used at GitHub's API, a refresh, a REST
 * call; and the misconfigured app that posts the user's token to another site. The same expectations as
 * test/e2e/supabase-tls.spec.ts. Run under `flock /tmp/tokenscope-443.lock`.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type FirefoxStep, withFirefoxApp } from '../tls/firefox-run.js';
import { accessTokens, missingFindings, outline, reportWhen, unexpectedFindings } from '../tls/report-checks.js';
import { SUPABASE_APP_HOST, SUPABASE_LEAK_HOST, SUPABASE_PROJECT_HOST, supabaseSites } from '../tls/providers/supabase.js';

const PROJECT = `https://${SUPABASE_PROJECT_HOST}`;
const SIGN_IN: FirefoxStep[] = [
  [null, 'ready'],
  ['#signin', 'signed-in'],
  ['#github', 'github-ok'],
  // The refresh and, at once, the REST call with its new token: nothing may be lost between them.
  ['#refresh-rest', 'rest-ok 1'],
];

describe('Firefox: Supabase at its real hostnames over TLS', () => {
  test('correct: both grants, one sign-in, the project and GitHub as servers, no false finding', async () => {
    const { sites, record } = supabaseSites({ misconfigured: false });
    await withFirefoxApp(sites, SUPABASE_APP_HOST, SIGN_IN, async (app) => {
      assert.deepEqual(record.grants, ['pkce', 'refresh_token']);
      assert.deepEqual([record.rest, record.github], [[200], [200]]);
      const report = await reportWhen(app, 'both exchanges and the REST call on the report', (r) => {
        const rest = accessTokens(r).some((t) => t.sentTo.some((u) => u.includes('/rest/v1/todos')));
        return r.exchanges.length === 2 && rest;
      });
      const why = outline(report);
      assert.deepEqual(report.exchanges.map((e) => e.request.grantType).sort(), ['pkce', 'refresh_token'], why);
      const signIns = report.signIns.filter((s) => s.exchanges.length > 0);
      assert.equal(signIns.length, 1, why);
      assert.equal(signIns[0]?.exchanges.length, 2, why);
      assert.equal(signIns[0]?.authorization?.endpoint, `${PROJECT}/auth/v1/authorize`, why);
      assert.equal(signIns[0]?.joinedBy, 'pkce', why);
      assert.deepEqual(new Set(accessTokens(report).map((t) => t.server)), new Set([PROJECT, 'https://api.github.com']), why);
      assert.deepEqual(unexpectedFindings(report, []), [], why);
    });
  });

  test('misconfigured: the user token posted to an analytics host on another site is a HIGH token-sent-beyond-audience', async () => {
    const { sites, record } = supabaseSites({ misconfigured: true });
    await withFirefoxApp(sites, SUPABASE_APP_HOST, [...SIGN_IN, ['#leak', 'leaked']], async (app) => {
      assert.equal(record.leaked, 1);
      const leak = {
        rule: 'token-sent-beyond-audience',
        severity: 'high' as const,
        where: (f: { resourceServer: string | null; message: string }) =>
          f.resourceServer === PROJECT && f.message.includes(SUPABASE_LEAK_HOST),
      };
      const report = await reportWhen(app, 'the leak on the report', (r) => missingFindings(r, [leak]).length === 0);
      assert.deepEqual(unexpectedFindings(report, [leak]), [], outline(report));
    });
  });
});
