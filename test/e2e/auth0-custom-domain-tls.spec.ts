/**
 * @auth0/auth0-spa-js 2.27 from npm, at its real hostnames over TLS in Chromium: the app at https://app.auth0-demo.example
 * signs in on the tenant's custom domain https://login.auth0-demo.example (issuer not *.auth0.com) with `openid` and the
 * API audience https://api.auth0-demo.example/, refresh tokens on (the SDK's token calls run in its blob: Web Worker),
 * and calls the API. Provider shapes: test/tls/providers/auth0-custom-domain.ts. What a user must see (issue #21): the
 * token's `<custom domain>/userinfo` audience as Auth0's known pattern (low, explained), not a HIGH second API; and,
 * when the app sends the API token to a partner on another site, a HIGH token-sent-beyond-audience.
 */
import { test } from '@playwright/test';
import type { Finding } from '../../src/core/types.js';
import { withChromiumApp } from '../tls/chromium-run.js';
import { accessTokens, missingFindings, outline, unexpectedFindings, reportWhen } from '../tls/report-checks.js';
import {
  AUTH0_APP_HOST,
  AUTH0_AUDIENCE,
  AUTH0_DOMAIN,
  AUTH0_LEAK_HOST,
  AUTH0_USERINFO,
  auth0Sites,
} from '../tls/providers/auth0-custom-domain.js';
import type { AppStep } from '../support/harness.js';
import { expect } from '../support/harness.js';

const SIGN_IN: AppStep[] = [
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

test('Auth0 on a custom domain (spa-js, openid + API audience, refresh tokens): the userinfo audience is low, no false HIGH', async () => {
  const { sites, record } = auth0Sites({ misconfigured: false });
  await withChromiumApp(sites, AUTH0_APP_HOST, SIGN_IN, async ({ view, popup }) => {
    expect(record.grants).toEqual(['authorization_code', 'refresh_token']);
    expect(record.api).toEqual([200, 200]);
    const report = await reportWhen(
      { view },
      'both exchanges and both API calls, each with its token',
      (r) => r.exchanges.length === 2 && accessTokens(r).filter((t) => t.sentTo.length > 0).length === 2,
    );
    const why = outline(report);
    expect(
      report.exchanges.map((e) => e.url),
      why,
    ).toEqual([`https://${AUTH0_DOMAIN}/oauth/token`, `https://${AUTH0_DOMAIN}/oauth/token`]);
    const signIns = report.signIns.filter((s) => s.exchanges.length > 0);
    expect(signIns, why).toHaveLength(1);
    expect(signIns[0]?.authorization?.endpoint, why).toBe(`https://${AUTH0_DOMAIN}/authorize`);
    expect(signIns[0]?.joinedBy, why).toBe('pkce');
    expect(signIns[0]?.exchanges, why).toHaveLength(2);
    expect(new Set(accessTokens(report).map((t) => t.server)), why).toEqual(new Set([AUTH0_AUDIENCE]));
    expect(unexpectedFindings(report, [USERINFO_LOW]), why).toEqual([]);
    // The popup names the API by its audience, and shows the userinfo audience as one low, nothing higher.
    const shown = await popup([AUTH0_AUDIENCE]);
    expect(shown.servers).toContain(AUTH0_AUDIENCE);
    expect(shown.findings.high + shown.findings.medium).toBe(0);
  });
});

test('Auth0 custom domain, misconfigured: the API token sent to a partner on another site is a HIGH token-sent-beyond-audience', async () => {
  const { sites, record } = auth0Sites({ misconfigured: true });
  await withChromiumApp(sites, AUTH0_APP_HOST, [...SIGN_IN.slice(0, 3), ['#leak', 'leaked']], async ({ view }) => {
    expect(record.leaked).toBe(1);
    const report = await reportWhen({ view }, 'the leak on the report', (r) =>
      accessTokens(r).some((t) => t.sentTo.some((u) => u.includes(AUTH0_LEAK_HOST))),
    );
    const leak = {
      rule: 'token-sent-beyond-audience',
      severity: 'high' as const,
      where: (f: Finding) => f.resourceServer === AUTH0_AUDIENCE && f.message.includes(AUTH0_LEAK_HOST),
    };
    expect(missingFindings(report, [leak]), outline(report)).toEqual([]);
    expect(unexpectedFindings(report, [leak, USERINFO_LOW]), outline(report)).toEqual([]);
  });
});
