/**
 * DPoP (RFC 9449) in real Chromium: the real oidc-provider demands a DPoP nonce (`use_dpop_nonce`), the real
 * oauth4webapi client retries with it and calls the API with `Authorization: DPoP` and a proof. The popup shows one
 * sign-in with its tokens granted and the access token bound to the page's key, no finding at or over low; a HAR of
 * the same flow (Playwright's recorder) reads the same. The bound token sent to another host is still flagged, one
 * step lower (RFC 9700 s4.10.1).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { calculateJwkThumbprint } from 'jose';
import { analyzeHar } from '../../src/lib/index.js';
import { readDpopProof } from '../../src/core/dpop.js';
import { chromiumPath, exportReport, openPopup, runApp, storedExchanges } from '../support/harness.js';
import { expect, test } from '../support/fixtures.js';
import { startOidc } from '../support/servers/oidc.js';

// oauth4webapi gives token_type in lower case.
const SIGNED_IN = 'signed-in dpop';
/** Sign in (two token answers stored: the use_dpop_nonce challenge and its retry), then call the API. */
const STEPS = [
  ['#signin', SIGNED_IN],
  ['#call-api', 'api 200'],
] as const;

/** The page's DPoP public key's RFC 7638 thumbprint, by jose (an implementation other than Tokenscope's). */
async function pageKeyThumbprint(page: Page): Promise<string> {
  const saved = await page.evaluate(() => sessionStorage.getItem('dpop-key'));
  const { publicKey } = JSON.parse(saved ?? '{}') as { publicKey: { kty: string; crv: string; x: string; y: string } };
  return calculateJwkThumbprint(publicKey, 'sha256');
}

test('DPoP sign-in with a server nonce: one sign-in, tokens granted, bound to the page key, no finding', async ({
  context,
  extensionId,
  oidcServer,
}) => {
  const oidc = await oidcServer({ app: 'oauth4webapi', dpop: {} });
  const { page, tabId } = await runApp(context, extensionId, oidc.appUrl, STEPS, 2);
  const jkt = await pageKeyThumbprint(page);

  const popup = await openPopup(context, extensionId, tabId);
  const signIn = popup.locator('section.sign-in');
  await expect(signIn).toHaveCount(1);
  await expect(signIn.locator('.sign-in-result')).toContainText('code exchange joined by PKCE');
  await expect(signIn.locator('.sign-in-alert')).toHaveCount(0);
  await expect(signIn.locator('.scope.dropped')).toHaveCount(0);
  await expect(signIn.locator('.scope:not(.dropped)')).toContainText(['api:read']);
  await expect(popup.locator('.binding')).toHaveText(`bound to key ${jkt} (DPoP)`);
  await expect(popup.locator('.finding.sev-high, .finding.sev-medium, .finding.sev-low')).toHaveCount(0);
  await expect(popup.getByText('The server asked for a DPoP nonce (RFC 9449 s8)')).toHaveCount(1);
  // The page hook passed each token request's DPoP proof on: both carry one, the retry with the server's nonce.
  const proofs = (await storedExchanges(context, extensionId)).map((stored) => readDpopProof(stored.exchange.request.headers?.dpop));
  expect(proofs.map((read) => [read?.jkt, read?.htm, read?.nonce])).toEqual([
    [jkt, 'POST', false],
    [jkt, 'POST', true],
  ]);
});

test('a HAR of the same DPoP flow: one sign-in of two exchanges, the DPoP use read, bound to the key, no finding', async () => {
  const oidc = await startOidc({ app: 'oauth4webapi', dpop: {} });
  const dir = mkdtempSync(join(tmpdir(), 'tokenscope-dpop-'));
  const harPath = join(dir, 'dpop.har');
  const browser = await chromium.launch({ executablePath: chromiumPath(), headless: true, args: ['--no-sandbox'] });
  try {
    const context = await browser.newContext({ recordHar: { path: harPath, content: 'embed' } });
    const page = await context.newPage();
    await page.goto(oidc.appUrl);
    for (const [button, status] of STEPS) {
      await page.click(button);
      await expect(page.locator('#status')).toHaveText(status);
    }
    const jkt = await pageKeyThumbprint(page);
    await context.close(); // writes the HAR

    const report = analyzeHar(readFileSync(harPath, 'utf8'));
    expect(report.signIns).toHaveLength(1);
    const [signIn] = report.signIns;
    expect(signIn?.joinedBy).toBe('pkce');
    expect(signIn?.authorization?.dpopJkt).toBe(jkt);
    expect(signIn?.exchanges).toHaveLength(2);
    expect(signIn?.requestedScopes.filter((scope) => !scope.granted)).toEqual([]);
    const [challenge, retry] = report.exchanges;
    expect(challenge?.challenge).toBe('use_dpop_nonce');
    expect(retry?.dpopProof).toMatchObject({ jkt, htm: 'POST', htu: oidc.tokenEndpoint, nonce: true });
    const access = retry?.resourceServers.flatMap((server) => server.tokens).find((token) => token.kind === 'access');
    expect(access?.tokenType).toBe('DPoP');
    expect(access?.binding).toEqual({ method: 'dpop', jkt, from: 'cnf' });
    expect(access?.sentTo?.map((sent) => sent.url)).toEqual([`${oidc.apiResource}/data`]);
    const all = [...report.exchanges.flatMap((exchange) => exchange.findings), ...(signIn?.findings ?? [])];
    expect(all.filter((finding) => finding.severity !== 'info')).toEqual([]);
  } finally {
    await browser.close();
    await oidc.close();
  }
});

test('the bound token sent to another host: token-sent-beyond-audience, one step lower for the binding', async ({
  context,
  extensionId,
  oidcServer,
}) => {
  const oidc = await oidcServer({ app: 'oauth4webapi', dpop: { fault: 'other-host' } });
  const { page, tabId } = await runApp(context, extensionId, oidc.appUrl, [STEPS[0]], 2);
  await page.click('#call-api');
  await expect(page.locator('#status')).toHaveText('api 200');
  const popup = await openPopup(context, extensionId, tabId);
  const finding = popup.locator('.finding', { has: popup.locator('.rule a', { hasText: 'token-sent-beyond-audience' }) });
  await expect(finding).toHaveCount(1);
  await expect(finding).toHaveClass(/sev-medium/);
  await expect(finding).toContainText('sent as a DPoP token to localhost');
  await expect(finding).toContainText('cannot be replayed without the key');
});

test('the bound token sent with the Bearer scheme: the page hook says which scheme, dpop-token-sent-as-bearer', async ({
  context,
  extensionId,
  oidcServer,
}) => {
  const oidc = await oidcServer({ app: 'oauth4webapi', dpop: { fault: 'bearer' } });
  const { page, tabId } = await runApp(context, extensionId, oidc.appUrl, [STEPS[0]], 2);
  await page.click('#call-api');
  await expect(page.locator('#status')).toHaveText('api 200');
  const popup = await openPopup(context, extensionId, tabId);
  const serious = popup.locator('.finding.sev-high, .finding.sev-medium, .finding.sev-low');
  await expect(serious).toHaveCount(1);
  await expect(serious.locator('.rule a')).toHaveText('dpop-token-sent-as-bearer');
  await expect(serious).toHaveClass(/sev-medium/);
});

// The same app on fetch, then on XMLHttpRequest (its discovery and API calls through oauth4webapi's `customFetch`).
for (const transport of ['fetch', 'xhr'] as const)
  test(`the API's own nonce challenge (RFC 9449 s9) on ${transport}: the page hook reports the 401 and its retry, one use marked retried, the discovery step, no failure`, async ({
    context,
    extensionId,
    oidcServer,
  }) => {
    const oidc = await oidcServer({ app: 'oauth4webapi', dpop: { resourceNonce: true, xhr: transport === 'xhr' } });
    const { tabId } = await runApp(context, extensionId, oidc.appUrl, STEPS, 2);
    // The API's 401 use_dpop_nonce and the retry with its nonce are one address of the token, its challenge answered.
    const sentTo = async () =>
      (await exportReport(context, extensionId, tabId)).exchanges.flatMap((exchange) =>
        exchange.resourceServers.flatMap((server) =>
          server.tokens.filter((token) => token.kind === 'access').flatMap((token) => token.sentTo ?? []),
        ),
      );
    await expect
      .poll(async () => (await sentTo()).map((sent) => [sent.method, sent.scheme, sent.nonceChallenge]))
      .toEqual([['GET', 'dpop', 'retried']]);
    const report = await exportReport(context, extensionId, tabId);
    const serious = [...report.exchanges.flatMap((e) => e.findings), ...report.signIns.flatMap((s) => s.findings)].filter(
      (finding) => finding.severity !== 'info',
    );
    expect(serious.map((finding) => finding.rule)).toEqual([]);
    // oauth4webapi's discovery (OIDC Discovery s4), on fetch or XHR alike: a step of the sign-in, with its answer.
    expect(report.signIns).toHaveLength(1);
    expect(report.signIns[0]?.discovery?.steps.map((step) => [step.kind, step.method, step.status, step.source])).toContainEqual([
      'server-metadata',
      'GET',
      200,
      'page-hook',
    ]);
    expect(report.signIns[0]?.discovery?.issuer ?? null).toBe(oidc.issuer);
    const popup = await openPopup(context, extensionId, tabId);
    await expect(popup.locator('section.sign-in')).toHaveCount(1);
    await expect(popup.locator('section.sign-in .sign-in-alert')).toHaveCount(0);
    await expect(popup.locator('.finding.sev-high, .finding.sev-medium, .finding.sev-low')).toHaveCount(0);
  });
