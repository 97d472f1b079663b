/**
 * @auth0/auth0-spa-js 2.27 on an Auth0 custom domain (test/tls/providers/auth0-custom-domain.ts): the app at
 * https://app.auth0-demo.example signs in on https://login.auth0-demo.example (issuer not *.auth0.com) with `openid`
 * and the API audience https://api.auth0-demo.example/, refresh tokens on (the SDK's token calls run in its blob: Web
 * Worker), and calls the API. What a user must see (issue #21): the token's `<custom domain>/userinfo` audience as
 * Auth0's known pattern (low, explained), not a HIGH second API; and, when the app sends the API token to a partner on
 * another site, a HIGH token-sent-beyond-audience.
 */
import assert from 'node:assert/strict';
import type { Finding } from '../../../src/core/types.js';
import {
  AUTH0_APP_HOST,
  AUTH0_AUDIENCE,
  AUTH0_DOMAIN,
  AUTH0_LEAK_HOST,
  AUTH0_USERINFO,
  auth0Sites,
} from '../providers/auth0-custom-domain.js';
import { accessTokens, missingFindings, unexpectedFindings } from '../report-checks.js';
import { flow, type TlsStep } from './flow.js';

const SIGN_IN: TlsStep[] = [
  [null, 'ready'],
  ['#signin', 'signed-in'],
  ['#api', 'api-ok 1'],
  // The refresh (in the SDK's worker) and, at once, the API call with its new token: nothing may be lost between them.
  ['#refresh-api', 'refreshed, api-ok 1'],
];
/** Auth0 adds `<issuer>/userinfo` to the API token's aud when openid is asked (auth0.com/docs, "Multiple audiences"): low, explained. */
const USERINFO_LOW = {
  rule: 'audience-beyond-server',
  severity: 'low' as const,
  where: (f: Finding) => Boolean(f.explanation) && JSON.stringify(f.evidence).includes(AUTH0_USERINFO),
};
const LEAK = {
  rule: 'token-sent-beyond-audience',
  severity: 'high' as const,
  where: (f: Finding) => f.resourceServer === AUTH0_AUDIENCE && f.message.includes(AUTH0_LEAK_HOST),
};

export const AUTH0_FLOWS = [
  flow({
    title: 'Auth0 on a custom domain (spa-js, openid + API audience, refresh tokens): the userinfo audience is low, no false HIGH',
    sites: () => auth0Sites({ misconfigured: false }),
    appHost: AUTH0_APP_HOST,
    steps: SIGN_IN,
    wait: {
      what: 'both exchanges and both API calls, each with its token',
      until: (r) => r.exchanges.length === 2 && accessTokens(r).filter((t) => t.sentTo.length > 0).length === 2,
    },
    check(report, record, why) {
      assert.deepEqual(record.grants, ['authorization_code', 'refresh_token']);
      assert.deepEqual(record.api, [200, 200]);
      const token = `https://${AUTH0_DOMAIN}/oauth/token`;
      assert.deepEqual(
        report.exchanges.map((e) => e.url),
        [token, token],
        why,
      );
      const signIns = report.signIns.filter((s) => s.exchanges.length > 0);
      assert.equal(signIns.length, 1, why);
      assert.equal(signIns[0]?.authorization?.endpoint, `https://${AUTH0_DOMAIN}/authorize`, why);
      assert.equal(signIns[0]?.joinedBy, 'pkce', why);
      assert.equal(signIns[0]?.exchanges.length, 2, why);
      assert.deepEqual(new Set(accessTokens(report).map((t) => t.server)), new Set([AUTH0_AUDIENCE]), why);
      assert.deepEqual(unexpectedFindings(report, [USERINFO_LOW]), [], why);
    },
    // The popup names the API by its audience, and shows the userinfo audience as one low, nothing higher.
    popup: {
      names: [AUTH0_AUDIENCE],
      check(shown) {
        assert.ok(shown.servers.includes(AUTH0_AUDIENCE), shown.servers.join(', '));
        assert.equal(shown.findings.high + shown.findings.medium, 0);
      },
    },
  }),
  flow({
    title: 'Auth0 custom domain, misconfigured: the API token sent to a partner on another site is a HIGH token-sent-beyond-audience',
    sites: () => auth0Sites({ misconfigured: true }),
    appHost: AUTH0_APP_HOST,
    steps: [...SIGN_IN.slice(0, 3), ['#leak', 'leaked']],
    wait: {
      what: 'the leak on the report, flagged',
      until: (r) =>
        accessTokens(r).some((t) => t.sentTo.some((u) => u.includes(AUTH0_LEAK_HOST))) && missingFindings(r, [LEAK]).length === 0,
    },
    check(report, record, why) {
      assert.equal(record.leaked, 1);
      assert.deepEqual(missingFindings(report, [LEAK]), [], why);
      assert.deepEqual(unexpectedFindings(report, [LEAK, USERINFO_LOW]), [], why);
    },
  }),
];
