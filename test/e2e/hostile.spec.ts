/**
 * Every value from a page, a response or a HAR is rendered as text: claims and
 * scopes holding markup and script, javascript: URLs, very long strings,
 * right-to-left and zero-width characters. Nothing executes, nothing is
 * clickable that should not be, and the layout holds, in the popup and the panel (its list and each
 * row's detail), the sign-in map and timeline included.
 */
import { createServer } from 'node:http';
import type { Page } from '@playwright/test';
import { openPopup, storedCount, storedExchanges, tabIdOf } from '../support/harness.js';
import { expect, listening, test } from '../support/fixtures.js';

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const PWN = '<img src=x onerror="window.__pwned=1">';
const claims = {
  iss: 'javascript:window.__pwned=2',
  aud: [PWN, 'javascript:window.__pwned=3', 'https://api.example.test'],
  sub: `\u202Egnp.exe\u202C${'\u200B'.repeat(50)}user`,
  scope: `<script>window.__pwned=4</script> read ${'x'.repeat(5000)}`,
  '<b onmouseover="window.__pwned=5">claim</b>': 'value',
  long: 'L'.repeat(30_000), // the token stays under the 64 KB decode limit
  exp: 4102444800,
  nested: { html: '<iframe src="javascript:window.__pwned=6"></iframe>' },
};
const hostileToken = `${b64url({ alg: 'RS256', kid: '<svg onload="window.__pwned=7">' })}.${b64url(claims)}.sig`;
const hostileBody = JSON.stringify({
  access_token: hostileToken,
  token_type: '<u>Bearer</u>',
  resource_server: '<svg/onload=window.__pwned=8>',
  scope: '<script>window.__pwned=9</script> openid',
  other_tokens: [
    { access_token: 'opaque-2', resource_server: `javascript:window.__pwned=10//${'\u202E'.repeat(3)}`, scope: `a${'\u200D'.repeat(20)}b` },
  ],
});
const errorBody = JSON.stringify({
  error: '<img src=x onerror="window.__pwned=11">',
  error_description: `${'\u202E'}<a href="javascript:window.__pwned=12">click</a>`,
});

/** Open every section a user could open, and reveal every token shown. */
async function openEverything(ui: Page): Promise<void> {
  // (Opening a section can reveal more sections inside it: open until none is closed.)
  const closed = ui.locator('main details:not([open]) > summary, .detail details:not([open]) > summary');
  while ((await closed.count()) > 0) await closed.first().click();
  const reveal = ui.getByRole('button', { name: /^Reveal/ });
  const tokens = await reveal.count();
  for (let i = 1; i <= tokens; i++) {
    await reveal.first().click();
    await expect(ui.locator('code.revealed')).toHaveCount(i);
  }
}

/** Nothing from the data became an element, ran, or links out; the layout holds. */
async function expectInert(ui: Page, extensionId: string): Promise<void> {
  // The map's own drawing is the only SVG; the hostile server name is its text, in its label and caption.
  expect(await ui.locator('#app img, #app svg:not(.map-svg), #app iframe, #app script, #app b, #app u').count()).toBe(0);
  expect(await ui.locator('#app .map-svg *:not(defs, marker, path, g, rect, text)').count()).toBe(0);
  expect(await ui.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  // Links are only the rule explanations and the extension's own pages.
  const hrefs = await ui.locator('a').evaluateAll((links) => links.map((link) => (link as HTMLAnchorElement).href));
  expect(hrefs.filter((href) => !href.startsWith(`chrome-extension://${extensionId}/`))).toEqual([]);
  // Long values are cut and wrapped: the layout does not scroll sideways.
  expect(await ui.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
  expect(await ui.locator('body').textContent()).not.toContain('L'.repeat(1000));
}

/** The hostile token's resource server, claims and map box are text; hovering and focusing them runs nothing. */
async function expectTokenAsText(ui: Page): Promise<void> {
  await expect(ui.locator('.rs-id').first()).toContainText('<svg/onload=window.__pwned=8>');
  await expect(ui.locator('table.claims th', { hasText: '<b onmouseover' })).toHaveCount(1);
  const hostileServer = ui.locator('.map-server', { hasText: 'window.__pwned=8>' }).first();
  await expect(hostileServer).toHaveAttribute('aria-label', '<svg/onload=window.__pwned=8>: resource server');
  await hostileServer.hover();
  await expect(ui.locator('.map-caption').first()).toHaveText('<svg/onload=window.__pwned=8>: resource server');
  await hostileServer.focus();
  await expect(ui.locator('.map-caption').first()).toHaveText('<svg/onload=window.__pwned=8>: resource server');
  await ui.locator('table.claims th', { hasText: '<b onmouseover' }).hover();
}

/** The refused sign-in's timeline says the hostile error as text, in place. */
async function expectTimelineAsText(ui: Page): Promise<void> {
  await expect(ui.locator('.step-error-text').first()).toContainText(`Error: refused: ${PWN} (<script>window.__pwned=13</script>)`);
  await ui.locator('.step-error-text').first().click();
}

test('hostile claims, scopes and errors render as text in the popup and the panel', async ({ context, extensionId, served }) => {
  const server = createServer((request, response) => {
    if (request.url?.startsWith('/page'))
      return void response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>hostile</title>');
    request.resume();
    request.on('end', () => {
      if (request.url === '/oauth/token') response.writeHead(200, { 'content-type': 'application/json' }).end(hostileBody);
      else response.writeHead(400, { 'content-type': 'application/json' }).end(errorBody);
    });
  });
  const { origin } = await served(listening(server));
  const page = await context.newPage();
  // The page is a redirect URI that came back refused, with markup in the error: a sign-in step read by the page hook.
  await page.goto(
    `${origin}/page?error=${encodeURIComponent(PWN)}&error_description=${encodeURIComponent('<script>window.__pwned=13</script>')}&state=s`,
  );
  await page.evaluate(async () => {
    await fetch('/oauth/token', { method: 'POST', body: 'grant_type=authorization_code&code=x' });
    await fetch('/oauth/token-error', { method: 'POST', body: 'grant_type=refresh_token&refresh_token=y' });
  });
  const tabId = await tabIdOf(context, extensionId, page);
  await expect.poll(() => storedCount(context, extensionId, tabId)).toBe(2);

  const popup = await openPopup(context, extensionId, tabId);
  await expect(popup.locator('article.exchange')).toHaveCount(2);
  await openEverything(popup);
  await expectTokenAsText(popup);
  await expect(popup.locator('.finding .message').filter({ hasText: '<img src=x onerror=' }).first()).toBeVisible();
  await expectTimelineAsText(popup);
  await popup.locator('.finding .message').first().click();
  await expectInert(popup, extensionId);

  const panel = await context.newPage();
  await panel.setViewportSize({ width: 800, height: 600 });
  await panel.goto(`chrome-extension://${extensionId}/panel.html?tab=${tabId}`);
  const rows = panel.getByRole('option');
  await expect(rows).toHaveCount(3);
  await expect(panel.locator('.rows .col-servers', { hasText: '<svg/onload=window.__pwned=8>' })).toHaveCount(1);
  await expectInert(panel, extensionId);
  // Each row's detail in turn: the refused sign-in, the hostile token, the hostile error.
  await panel.locator('[role="option"].row-sign-in').click();
  await expectTimelineAsText(panel);
  await expectInert(panel, extensionId);
  await panel.locator('[role="option"]', { hasText: 'authorization_code' }).click();
  await openEverything(panel);
  await expectTokenAsText(panel);
  await expectInert(panel, extensionId);
  await panel.locator('[role="option"]', { hasText: 'refresh_token' }).click();
  await openEverything(panel);
  await expect(panel.locator('.detail .finding .message').filter({ hasText: '<img src=x onerror=' }).first()).toBeVisible();
  await panel.locator('.detail .finding .message').first().click();
  await expectInert(panel, extensionId);
});

test('a page that replaces Response.prototype.clone, json and text: the store keeps what the network sent, and no label vouches for the body', async ({
  context,
  extensionId,
  served,
}) => {
  const real = { access_token: 'sent-by-the-server', token_type: 'Bearer', expires_in: 3600, scope: 'read' };
  const forged = { access_token: 'forged-by-the-page', token_type: 'Bearer', expires_in: 3600, scope: 'read write admin' };
  // The page's own script, run after the hook (document_start): every Response now answers with the forged body.
  const pageScript = `
    const forged = ${JSON.stringify(JSON.stringify(forged))};
    Response.prototype.clone = function () { return new Response(forged, { status: 200, headers: { 'content-type': 'application/json' } }); };
    Response.prototype.json = async function () { return JSON.parse(forged); };
    Response.prototype.text = async function () { return forged; };
  `;
  const server = createServer((request, response) => {
    if (request.url?.startsWith('/page'))
      return void response
        .writeHead(200, { 'content-type': 'text/html' })
        .end(`<!doctype html><title>hostile</title><script>${pageScript}</script>`);
    request.resume();
    request.on('end', () => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(real)));
  });
  const { origin } = await served(listening(server));
  const page = await context.newPage();
  await page.goto(`${origin}/page`);
  const seenByPage = await page.evaluate(async () => {
    const response = await fetch('/oauth/token', { method: 'POST', body: 'grant_type=client_credentials' });
    return (await response.json()).access_token;
  });
  expect(seenByPage, 'the page reads what it forged: Tokenscope changes nothing for it').toBe('forged-by-the-page');
  const tabId = await tabIdOf(context, extensionId, page);
  // The relay's evidence (the request in the document's Resource Timing) arrives after the capture.
  await expect
    .poll(async () => (await storedExchanges(context, extensionId)).find((e) => e.capture.tabId === tabId)?.capture.verification)
    .toBe('verified');
  const [stored] = (await storedExchanges(context, extensionId)).filter((e) => e.capture.tabId === tabId);
  expect(stored?.exchange.response.body).toContain('sent-by-the-server');
  expect(stored?.exchange.response.body).not.toContain('forged-by-the-page');

  // What the label vouches for: the request was seen by the browser; the body is as the page read it, never "the network's".
  const popup = await openPopup(context, extensionId, tabId);
  const how = popup.locator('article.exchange .how');
  await expect(how).toHaveText('page hook; request seen by the browser, body as the page read it');
  await expect(how).not.toHaveClass(/how-network/);
  await expect(popup.locator('article.exchange')).not.toContainText(/network delivered|verified/i);
});
