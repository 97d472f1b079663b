// The one-line swap: `test` and `expect` from tokenscope/playwright instead of @playwright/test.
import { expect, test } from 'tokenscope/playwright';

const cleanApp = process.env.OIDC_CLEAN_URL as string;
const extraAudienceApp = process.env.OIDC_EXTRA_AUDIENCE_URL as string;

async function signIn(page: import('@playwright/test').Page, appUrl: string): Promise<void> {
  await page.goto(appUrl);
  await page.click('#signin');
  await expect(page.locator('#status')).toHaveText('signed-in');
}

test('clean sign-in', async ({ page, tokenscope }) => {
  await signIn(page, cleanApp);
  const report = await tokenscope.report();
  expect(report.exchanges.map((exchange) => exchange.request.grantType)).toEqual(['authorization_code']);
  expect(report.summary.findings.high).toBe(0);
  const steps = await tokenscope.authorizations();
  expect(steps.some((step) => step.url.includes('response_type=code'))).toBe(true);
  expect(steps.some((step) => step.location?.includes('code='))).toBe(true);
});

test('sign-in with an extra audience', async ({ page }) => {
  await signIn(page, extraAudienceApp);
});

test.describe('reported, never failed', () => {
  test.use({ tokenscopeFailOn: 'never' });

  test('sign-in with an extra audience, tokenscopeFailOn never', async ({ page, tokenscope }) => {
    await signIn(page, extraAudienceApp);
    const report = await tokenscope.report();
    expect(report.summary.findings.high).toBe(1);
  });
});
