/**
 * @auth0/auth0-spa-js in Firefox ESR on an Auth0 custom domain over TLS (the sites of
 * test/tls/providers/auth0-custom-domain.ts on 127.0.0.1:443): `openid` plus the API audience, refresh tokens (the SDK's
 * token calls from its blob: Web Worker), the API call; and the app that sends the API token to another site. The same
 * expectations as test/e2e/auth0-custom-domain-tls.spec.ts. Run under `flock /tmp/tokenscope-443.lock`.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Finding } from '../../src/core/types.js';
import { type FirefoxStep, withFirefoxApp } from '../tls/firefox-run.js';
import { accessTokens, missingFindings, outline, reportWhen, unexpectedFindings } from '../tls/report-checks.js';
import {
  AUTH0_APP_HOST,
  AUTH0_AUDIENCE,
  AUTH0_DOMAIN,
  AUTH0_LEAK_HOST,
  AUTH0_USERINFO,
  auth0Sites,
} from '../tls/providers/auth0-custom-domain.js';

const SIGN_IN: FirefoxStep[] = [
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

describe('Firefox: Auth0 on a custom domain over TLS', () => {
  test('correct: both grants in one sign-in, the userinfo audience low, no false HIGH', async () => {
    const { sites, record } = auth0Sites({ misconfigured: false });
    await withFirefoxApp(sites, AUTH0_APP_HOST, SIGN_IN, async (app) => {
      assert.deepEqual(record.grants, ['authorization_code', 'refresh_token']);
      assert.deepEqual(record.api, [200, 200]);
      const report = await reportWhen(
        app,
        'both exchanges and the API call on the report',
        (r) => r.exchanges.length === 2 && accessTokens(r).filter((t) => t.sentTo.length > 0).length === 2,
      );
      const why = outline(report);
      assert.deepEqual(
        report.exchanges.map((e) => e.url),
        [`https://${AUTH0_DOMAIN}/oauth/token`, `https://${AUTH0_DOMAIN}/oauth/token`],
        why,
      );
      const signIns = report.signIns.filter((s) => s.exchanges.length > 0);
      assert.equal(signIns.length, 1, why);
      assert.equal(signIns[0]?.authorization?.endpoint, `https://${AUTH0_DOMAIN}/authorize`, why);
      assert.equal(signIns[0]?.joinedBy, 'pkce', why);
      assert.equal(signIns[0]?.exchanges.length, 2, why);
      assert.deepEqual(new Set(accessTokens(report).map((t) => t.server)), new Set([AUTH0_AUDIENCE]), why);
      assert.deepEqual(unexpectedFindings(report, [USERINFO_LOW]), [], why);
    });
  });

  test('misconfigured: the API token sent to a partner on another site is a HIGH token-sent-beyond-audience', async () => {
    const { sites, record } = auth0Sites({ misconfigured: true });
    await withFirefoxApp(sites, AUTH0_APP_HOST, [...SIGN_IN.slice(0, 3), ['#leak', 'leaked']], async (app) => {
      assert.equal(record.leaked, 1);
      const leak = {
        rule: 'token-sent-beyond-audience',
        severity: 'high' as const,
        where: (f: Finding) => f.resourceServer === AUTH0_AUDIENCE && f.message.includes(AUTH0_LEAK_HOST),
      };
      const report = await reportWhen(app, 'the leak on the report', (r) => missingFindings(r, [leak]).length === 0);
      assert.deepEqual(unexpectedFindings(report, [leak, USERINFO_LOW]), [], outline(report));
    });
  });
});
