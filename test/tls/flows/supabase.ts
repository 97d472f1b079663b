/**
 * @supabase/auth-js 2.119 (test/tls/providers/supabase.ts): the app at https://app.supabase-demo.example signs in with
 * GitHub through https://abcdefghijklmnopqrst.supabase.co (PKCE), calls GitHub's API with the provider token Supabase
 * hands over, refreshes, and reads a table over REST with the session's token. What a user must see (issue #21): both
 * token requests with their grant (from the URL), one sign-in, the project as the server (not the role label
 * `authenticated`), GitHub's token under GitHub's API, no false finding; and, when the app posts the user's token to
 * another site, that finding.
 */
import assert from 'node:assert/strict';
import type { Finding } from '../../../src/core/types.js';
import { SUPABASE_APP_HOST, SUPABASE_LEAK_HOST, SUPABASE_PROJECT_HOST, supabaseSites } from '../providers/supabase.js';
import { accessTokens, missingFindings, unexpectedFindings } from '../report-checks.js';
import { flow, type TlsStep } from './flow.js';

const PROJECT = `https://${SUPABASE_PROJECT_HOST}`;
const GITHUB = 'https://api.github.com';
const SIGN_IN: TlsStep[] = [
  [null, 'ready'],
  ['#signin', 'signed-in'],
  ['#github', 'github-ok'],
  // The refresh and, at once, the REST call with its new token: nothing may be lost between them.
  ['#refresh-rest', 'rest-ok 1'],
];
const LEAK = {
  rule: 'token-sent-beyond-audience',
  severity: 'high' as const,
  where: (f: Finding) => f.resourceServer === PROJECT && f.message.includes(SUPABASE_LEAK_HOST),
};

export const SUPABASE_FLOWS = [
  flow({
    title: 'Supabase (auth-js, GitHub upstream, PKCE): both grants, one sign-in, the project and GitHub as servers, no false finding',
    sites: () => supabaseSites({ misconfigured: false }),
    appHost: SUPABASE_APP_HOST,
    steps: SIGN_IN,
    wait: {
      what: 'both exchanges and the REST call with the refreshed token',
      until: (r) => r.exchanges.length === 2 && accessTokens(r).some((t) => t.sentTo.some((u) => u.includes('/rest/v1/todos'))),
    },
    check(report, record, why) {
      // The SDK signed in by itself against the provider-shaped servers.
      assert.deepEqual(record.grants, ['pkce', 'refresh_token']);
      assert.deepEqual([record.rest, record.github], [[200], [200]]);
      assert.deepEqual(report.exchanges.map((e) => e.request.grantType).sort(), ['pkce', 'refresh_token'], why);
      // One sign-in: the authorize request (its s256 challenge) joined to the code exchange, then the refresh.
      const signIns = report.signIns.filter((s) => s.exchanges.length > 0);
      assert.equal(signIns.length, 1, why);
      assert.equal(signIns[0]?.exchanges.length, 2, why);
      assert.equal(signIns[0]?.authorization?.endpoint, `${PROJECT}/auth/v1/authorize`, why);
      assert.equal(signIns[0]?.joinedBy, 'pkce', why);
      // The project is the server of the session's access token; GitHub's API the server of the provider token.
      assert.deepEqual(new Set(accessTokens(report).map((t) => t.server)), new Set([PROJECT, GITHUB]), why);
      assert.deepEqual(accessTokens(report).find((t) => t.server === GITHUB)?.sentTo, [`${GITHUB}/user`], why);
      assert.deepEqual(unexpectedFindings(report, []), [], why);
    },
    // The popup names the project and GitHub's API (never the role label), with nothing at or over low.
    popup: {
      names: [PROJECT, GITHUB],
      check: (shown) => assert.deepEqual(shown, { servers: [PROJECT, GITHUB].sort(), findings: { high: 0, medium: 0, low: 0 } }),
    },
  }),
  flow({
    title: 'Supabase, misconfigured: the user token posted to an analytics host on another site is a HIGH token-sent-beyond-audience',
    sites: () => supabaseSites({ misconfigured: true }),
    appHost: SUPABASE_APP_HOST,
    steps: [...SIGN_IN, ['#leak', 'leaked']],
    wait: {
      what: 'the leak on the report, flagged',
      until: (r) =>
        accessTokens(r).some((t) => t.sentTo.some((u) => u.includes(SUPABASE_LEAK_HOST))) && missingFindings(r, [LEAK]).length === 0,
    },
    check(report, record, why) {
      assert.equal(record.leaked, 1);
      assert.deepEqual(missingFindings(report, [LEAK]), [], why);
      assert.deepEqual(unexpectedFindings(report, [LEAK]), [], why);
    },
  }),
];
