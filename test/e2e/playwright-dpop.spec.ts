/**
 * tokenscope/playwright (from the sources) on the DPoP sign-in (real oidc-provider demanding a nonce, oauth4webapi in
 * a plain Chromium context): the fixture keeps each request's DPoP proof and sees the Authorization scheme, so the
 * clean flow is one sign-in with its proof keys matching and nothing at or over low, and the bound token sent as
 * `Authorization: Bearer` is flagged once (RFC 9449 s7.1). An API that asks for its own nonce first (RFC 9449 s9: 401
 * `use_dpop_nonce`) is a challenge joined to the retry, no failure.
 */
import { chromiumPath } from '../../scripts/lib/chromium.mjs';
import { expect, test } from '../../src/playwright/index.js';
import { type OidcOptions, startOidc } from '../support/servers/oidc.js';

test.use({ launchOptions: { executablePath: chromiumPath() }, tokenscopeFailOn: 'never' });

for (const [name, dpop, rules] of [
  ['DPoP scheme and proofs: one sign-in, bound to the key, no finding', {}, []],
  [
    'the bound token sent with the Bearer scheme: dpop-token-sent-as-bearer, once',
    { fault: 'bearer' },
    ['dpop-token-sent-as-bearer medium'],
  ],
  ["the API's own nonce challenge (RFC 9449 s9) joined to the retry: no finding, the use marked retried", { resourceNonce: true }, []],
] as [string, OidcOptions['dpop'], string[]][]) {
  test(name, async ({ page, tokenscope }) => {
    const oidc = await startOidc({ app: 'oauth4webapi', dpop });
    try {
      await page.goto(oidc.appUrl);
      await page.click('#signin');
      await expect(page.locator('#status')).toHaveText('signed-in dpop');
      await page.click('#call-api');
      await expect(page.locator('#status')).toHaveText('api 200');
      const sent = async () =>
        (await tokenscope.report()).exchanges.flatMap((e) => e.resourceServers.flatMap((s) => s.tokens.flatMap((t) => t.sentTo ?? [])));
      await expect.poll(async () => (await sent()).length).toBe(1);
      const report = await tokenscope.report();
      expect(report.signIns).toHaveLength(1);
      expect(report.exchanges.map((e) => [e.challenge ?? null, e.dpopProof?.nonce])).toEqual([
        ['use_dpop_nonce', false],
        [null, true],
      ]);
      const access = report.exchanges[1]?.resourceServers.flatMap((s) => s.tokens).find((t) => t.kind === 'access');
      expect(access?.binding?.jkt).toBe(report.exchanges[1]?.dpopProof?.jkt);
      const serious = [...report.exchanges.flatMap((e) => e.findings), ...report.signIns.flatMap((s) => s.findings)]
        .filter((f) => f.severity !== 'info')
        .map((f) => `${f.rule} ${f.severity}`);
      expect(serious).toEqual(rules);
      // The API's 401 challenge and the retry are one use of the token there, its challenge answered.
      expect((await sent()).map((use) => use.nonceChallenge)).toEqual([dpop?.resourceNonce ? 'retried' : undefined]);
    } finally {
      await oidc.close();
    }
  });
}
