/**
 * The popup and panel driven as a user would: reveal and copy, export (checked
 * against the report format), HAR import of a real Chromium HAR by picker and
 * by drop, a keyboard-only walk, the accessibility scan, and the empty states.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import AxeBuilder from '@axe-core/playwright';
import type { BrowserContext, Page } from '@playwright/test';
import { writeLargeHar } from '../support/large-har.js';
import type { TokenEndpointSetup } from '../support/servers/token-endpoint.js';
import { storedExchange } from '../support/builders.js';
import { openPopup, seedExchanges, setSiteAccess, tabIdOf } from '../support/harness.js';
import { captureOne, expect, test } from '../support/fixtures.js';

const HAR = join(import.meta.dirname, '../fixtures/har/chromium-sign-in.har');

/** One Globus-shaped exchange in a fresh tab; returns the tab, its popup and the token response the page got. */
async function tabWithExchange(
  context: BrowserContext,
  extensionId: string,
  server: TokenEndpointSetup,
): Promise<{ tabId: number; popup: Page; body: Record<string, unknown> }> {
  const page = await context.newPage();
  await page.goto(server.pageUrl);
  const response = page.waitForResponse((r) => r.url() === server.tokenUrl);
  const tabId = await captureOne(page, '#fetch-json', { log: 'done fetch-json' });
  const body = (await (await response).json()) as Record<string, unknown>;
  return { tabId, popup: await openPopup(context, extensionId, tabId), body };
}

test('reveal and copy a token; values stay masked until asked', async ({ context, extensionId, tokenEndpoint: server }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const { popup, body } = await tabWithExchange(context, extensionId, server);
  const transfer = popup.locator('section.rs', { hasText: 'transfer.api.globus.org' });
  const transferToken = (body.other_tokens as Array<{ resource_server: string; access_token: string }>).find(
    (t) => t.resource_server === 'transfer.api.globus.org',
  )?.access_token as string;
  await expect(popup.locator('body')).not.toContainText(transferToken);
  await transfer.getByRole('button', { name: 'Reveal the access token' }).click();
  await expect(transfer.locator('code.revealed')).toHaveText(transferToken);
  await expect(transfer.getByRole('button', { name: 'Hide the access token' })).toHaveAttribute('aria-pressed', 'true');
  await transfer.getByRole('button', { name: 'Hide the access token' }).click();
  await expect(popup.locator('body')).not.toContainText(transferToken);
  await transfer.getByRole('button', { name: 'Copy the access token' }).click();
  await expect(transfer.locator('.status').first()).toHaveText('Copied');
  expect(await popup.evaluate(() => navigator.clipboard.readText())).toBe(transferToken);
});

test('export JSON (report format, tokens redacted unless asked) and Markdown', async ({ context, extensionId, tokenEndpoint: server }) => {
  const { popup, body } = await tabWithExchange(context, extensionId, server);
  const read = async (name: RegExp) => {
    const download = popup.waitForEvent('download');
    await popup.getByRole('button', { name }).click();
    const file = await download;
    return readFileSync((await file.path()) as string, 'utf8');
  };
  const report = JSON.parse(await read(/Export JSON/));
  expect(report.tool).toBe('tokenscope');
  expect(Object.keys(report.summary)).toEqual(['exchanges', 'resourceServers', 'tokens', 'findings']);
  const [exchange] = report.exchanges;
  expect(exchange.source).toBe('page-hook');
  expect(exchange.resourceServers.map((s: { id: string }) => s.id)).toEqual([
    'auth.globus.org',
    'transfer.api.globus.org',
    'groups.api.globus.org',
    // The id_token is filed under the client it names (resolvedBy "client"), after the resource servers.
    'a1b2c3d4-0000-4000-8000-00000000c11e',
  ]);
  for (const server of exchange.resourceServers)
    for (const token of server.tokens) expect(token.fingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
  const raw = JSON.stringify(report);
  expect(raw).not.toContain(body.access_token as string);
  expect(raw).not.toContain(server.requests.find((r) => r.method === 'POST')?.body.match(/code=([^&]+)/)?.[1] ?? 'no code');

  await popup.getByLabel('include token values').check();
  const withTokens = JSON.parse(await read(/Export JSON/));
  expect(withTokens.exchanges[0].resourceServers[0].tokens[0].value).toBe(body.access_token);

  await popup.getByLabel('include token values').uncheck();
  const markdown = await read(/Export Markdown/);
  expect(markdown).toMatch(/^# Tokenscope report/);
  expect(markdown).toContain('`transfer.api.globus.org`');
  expect(markdown).not.toContain(body.access_token as string);
});

test('import a HAR saved from Chromium, by the file picker and by drag-and-drop', async ({ context, extensionId }) => {
  const popup = await openPopup(context, extensionId, 0);
  await popup.locator('input[type=file]').setInputFiles(HAR);
  await expect(popup.locator('.site')).toHaveText('Imported: chromium-sign-in.har');
  await expect(popup.locator('article.exchange')).toHaveCount(3);
  await expect(popup.locator('.finding.sev-high .message')).toHaveText(
    'The access token for https://api.example.test is also accepted by https://other.example.test: its audience goes beyond its resource server.',
  );
  await expect(popup.locator('.how').first()).toHaveText('imported');
  await popup.getByRole('button', { name: 'Back to this tab' }).click();
  await expect(popup.locator('article.exchange')).toHaveCount(0);

  // Drop the same file onto the popup.
  const text = readFileSync(HAR, 'utf8');
  const transfer = await popup.evaluateHandle((content) => {
    const data = new DataTransfer();
    data.items.add(new File([content], 'dropped.har', { type: 'application/json' }));
    return data;
  }, text);
  await popup.locator('.app').dispatchEvent('dragover', { dataTransfer: transfer });
  await popup.locator('.app').dispatchEvent('drop', { dataTransfer: transfer });
  await expect(popup.locator('.site')).toHaveText('Imported: dropped.har');
  await expect(popup.locator('article.exchange')).toHaveCount(3);

  // A "report" whose findings lack the promised shape is said, not a blank or broken view.
  const broken = {
    tool: 'tokenscope',
    version: '0',
    summary: { exchanges: 1, resourceServers: 0, tokens: 0, findings: { high: 1, medium: 0, low: 0, info: 0 } },
    exchanges: [
      {
        id: 'x',
        url: 'https://a.test/token',
        method: 'POST',
        status: 200,
        startedAt: '2026-01-10T10:00:00Z',
        source: 'har',
        kind: 'token',
        provider: null,
        request: { grantType: null, scopes: [], resources: [], clientId: null, redacted: {} },
        resourceServers: [],
        findings: [{ rule: 'expired', severity: 'high', resourceServer: null, tokenKind: null, message: 'x', evidence: null }],
        notes: [],
      },
    ],
  };
  await popup
    .locator('input[type=file]')
    .setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(broken)) });
  // Checked against report.schema.json before any view reads it: refused with the place at fault, the view as it was.
  await expect(popup.locator('.notice-warn')).toContainText(
    'Could not import broken.json: This is not a Tokenscope report: /exchanges/0/findings/0/evidence should be object',
  );
  await expect(popup.locator('.site')).not.toHaveText(/Imported: broken\.json/);

  // A file that cannot be read says why, and the view stays as it was.
  await popup
    .locator('input[type=file]')
    .setInputFiles({ name: 'cut.json', mimeType: 'application/json', buffer: Buffer.from('{"tool": "tokenscope", "exchanges": [') });
  await expect(popup.locator('.notice-warn')).toContainText('Could not import cut.json: cut.json is not valid JSON');
  await expect(popup.locator('.site')).not.toHaveText(/Imported: cut\.json/);

  // A gzipped HAR is read as the HAR it holds.
  await popup.locator('input[type=file]').setInputFiles({ name: 'sign-in.har.gz', mimeType: 'application/gzip', buffer: gzipSync(text) });
  await expect(popup.locator('.site')).toHaveText('Imported: sign-in.har.gz');
  await expect(popup.locator('article.exchange')).toHaveCount(3);

  // A HAR cut off inside its entries: what came before it is shown, with a note naming where reading stopped.
  const cut = text.slice(0, text.lastIndexOf('"startedDateTime"'));
  await popup.locator('input[type=file]').setInputFiles({ name: 'cut.har', mimeType: 'application/json', buffer: Buffer.from(cut) });
  await expect(popup.locator('.site')).toHaveText('Imported: cut.har');
  await expect(popup.locator('.notice-warn')).toContainText(`Reading stopped at byte ${Buffer.byteLength(cut)}`);
  await expect(popup.locator('article.exchange')).toHaveCount(2);
});

test('import a large HAR: read off the main thread with progress, cancelled, then read to the end', async ({ context, extensionId }) => {
  const dir = mkdtempSync(join(tmpdir(), 'tokenscope-import-'));
  try {
    const file = join(dir, 'large.har');
    const { exchanges } = writeLargeHar(file, 160 * 1024 * 1024);
    const popup = await openPopup(context, extensionId, 0);
    await popup.locator('input[type=file]').setInputFiles(file);
    const progress = popup.locator('.import-progress');
    await expect(progress).toContainText(/Reading large\.har: \d+ of 160 MB/);
    // The view answers while the file is read: the cancel button works.
    await popup.getByRole('button', { name: 'Cancel import' }).click();
    await expect(progress).toHaveCount(0);
    await expect(popup.locator('.site')).not.toHaveText(/Imported/);

    await popup.locator('input[type=file]').setInputFiles(file);
    await expect(popup.locator('.site')).toHaveText('Imported: large.har', { timeout: 60_000 });
    await expect(progress).toHaveCount(0);
    await expect(popup.locator('p.summary').first()).toContainText(`${exchanges} exchanges`);
    // Each token was sent as Bearer to another host: found across the whole file. The host is on the same site as the
    // token's server (example.test), so the severity ladder makes it medium, not high (docs/RULES.md).
    await expect(
      popup.locator('.finding.sev-medium').filter({ hasText: 'was sent as a Bearer token to elsewhere.example.test' }).first(),
    ).toBeVisible();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('keyboard only: reach a token, reveal it, open its claims', async ({ context, extensionId, tokenEndpoint: server }) => {
  const { popup } = await tabWithExchange(context, extensionId, server);
  const reveal = popup.getByRole('button', { name: 'Reveal the id token' });
  let presses = 0;
  while (!(await reveal.evaluate((element) => element === document.activeElement)) && presses < 60) {
    await popup.keyboard.press('Tab');
    presses += 1;
  }
  expect(presses).toBeLessThan(60);
  // The focused control shows a visible focus ring.
  expect(await reveal.evaluate((element) => getComputedStyle(element).outlineStyle)).not.toBe('none');
  await popup.keyboard.press('Enter');
  await expect(popup.locator('code.revealed')).toHaveCount(1);
  await popup.keyboard.press('Tab'); // Copy
  await popup.keyboard.press('Tab'); // the claims summary
  await popup.keyboard.press('Enter');
  await expect(popup.locator('details.claims-details[open] table.claims')).toBeVisible();
  await expect(popup.locator('details.claims-details[open] .aud.own')).toHaveText('a1b2c3d4-0000-4000-8000-00000000c11e');
});

test('accessibility: no serious or critical axe violation, light and dark', async ({ context, extensionId, tokenEndpoint: server }) => {
  const { popup } = await tabWithExchange(context, extensionId, server);
  await popup.locator('details.claims-details summary').first().click();
  for (const scheme of ['light', 'dark'] as const) {
    await popup.emulateMedia({ colorScheme: scheme });
    const results = await new AxeBuilder({ page: popup }).analyze();
    const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => `${scheme}: ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  }
});

test('states: not watched, watched with nothing yet (and the back-channel hint)', async ({
  context,
  extensionId,
  tokenEndpoint: server,
}) => {
  await setSiteAccess(context, extensionId, ['http://127.0.0.1/*']);
  const watched = await context.newPage();
  await watched.goto(server.pageUrl);
  const popup = await openPopup(context, extensionId, await tabIdOf(context, extensionId, watched));
  await expect(popup.locator('.notice')).toContainText(/Watching http:\/\/127\.0\.0\.1:\d+\. No token exchange seen in this tab yet/);
  await expect(popup.locator('.notice')).toContainText('back-channel exchanges are not observable here');
  await expect(popup.getByRole('button', { name: 'Export JSON' })).toBeDisabled();

  const unwatched = await context.newPage();
  await unwatched.goto(server.pageUrl.replace('127.0.0.1', 'localhost'));
  const other = await openPopup(context, extensionId, await tabIdOf(context, extensionId, unwatched));
  await expect(other.locator('.notice')).toContainText('Tokenscope is not watching this page');
});

test('a full store: the newest exchanges first, older ones on request, the summary counting all', async ({ context, extensionId }) => {
  const setter = await openPopup(context, extensionId, 0);
  const tab = 777;
  const exchanges = Array.from({ length: 12 }, (_, i) =>
    storedExchange(tab, `k${i}`, new Date(Date.UTC(2026, 0, 10, 10, i)).toISOString(), 'grant_type=authorization_code&code=x', {
      access_token: `at-${i}`,
      resource_server: `rs-${i}.example.test`,
      scope: 'read',
      token_type: 'Bearer',
    }),
  );
  await seedExchanges(setter, exchanges);
  const popup = await openPopup(context, extensionId, tab);
  await expect(popup.locator('p.summary')).toContainText('12 exchanges');
  await expect(popup.locator('article.exchange')).toHaveCount(8);
  await expect(popup.locator('.rs-name').first()).toHaveText('rs-11.example.test');
  await popup.getByRole('button', { name: 'Show older exchanges (4 more)' }).click();
  await expect(popup.locator('article.exchange')).toHaveCount(12);
  await expect(popup.locator('.rs-name').last()).toHaveText('rs-0.example.test');
  await expect(popup.getByRole('button', { name: /Show older exchanges/ })).toHaveCount(0);
});
