// Smoke test for the e2e servers: node --import tsx test/support/servers/smoke.ts
import { chromium, type Browser, type Page, type Response } from '@playwright/test';
import { chromiumPath } from '../../../scripts/lib/chromium.mjs';
import { startOidc } from './oidc.js';
import { startTokenEndpoint } from './token-endpoint.js';

const executablePath = chromiumPath();

function decodeJwtPayload(jwt: string): Record<string, unknown> {
  const part = jwt.split('.')[1];
  if (!part) throw new Error(`not a JWT: ${jwt.slice(0, 20)}...`);
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** Collects the bodies of POST responses from `url` (prefix) seen by the page. */
function captureResponses(page: Page, url: string): Array<Promise<{ url: string; type: string; body: string }>> {
  const seen: Array<Promise<{ url: string; type: string; body: string }>> = [];
  page.on('response', (response: Response) => {
    if (response.request().method() !== 'POST' || !response.url().startsWith(url)) return;
    seen.push(response.text().then((body) => ({ url: response.url(), type: response.headers()['content-type'] ?? '', body })));
  });
  return seen;
}

async function waitStatus(page: Page, want: string): Promise<void> {
  await page.waitForFunction(
    (w) => {
      const text = document.querySelector('#status')?.textContent ?? '';
      if (text.startsWith('error')) throw new Error(text);
      return text === w;
    },
    want,
    { timeout: 15_000 },
  );
}

async function oidcRun(browser: Browser, extraAudience?: string): Promise<void> {
  const t0 = performance.now();
  const setup = await startOidc(extraAudience ? { extraAudience } : {});
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const responses = captureResponses(page, setup.tokenEndpoint);
    await page.goto(setup.appUrl);
    const tSignin = performance.now();
    await page.click('#signin');
    await waitStatus(page, 'signed-in');
    const tSignedIn = performance.now();
    await page.click('#refresh');
    await waitStatus(page, 'refreshed');
    const tRefreshed = performance.now();
    const bodies = await Promise.all(responses);
    if (bodies.length !== 2) throw new Error(`expected 2 token responses, got ${bodies.length}`);
    const label = extraAudience ? `oidc extraAudience=${extraAudience}` : 'oidc';
    for (const [i, r] of bodies.entries()) {
      const json = JSON.parse(r.body) as Record<string, string>;
      const at = decodeJwtPayload(json.access_token ?? '');
      console.log(
        `${label} ${i === 0 ? 'code ' : 'refresh'}: aud=${JSON.stringify(at.aud)} scope=${JSON.stringify(json.scope)} ` +
          `refresh_token=${json.refresh_token ? 'yes' : 'no'} id_token=${json.id_token ? 'yes' : 'no'}`,
      );
    }
    const expected = extraAudience ? [setup.apiResource, extraAudience] : setup.apiResource;
    const firstAud = decodeJwtPayload((JSON.parse(bodies[0]?.body ?? '{}') as { access_token: string }).access_token).aud;
    if (JSON.stringify(firstAud) !== JSON.stringify(expected)) throw new Error(`unexpected aud ${JSON.stringify(firstAud)}`);
    console.log(
      `${label} timings: start ${(tSignin - t0).toFixed(0)} ms, sign-in ${(tSignedIn - tSignin).toFixed(0)} ms, ` +
        `refresh ${(tRefreshed - tSignedIn).toFixed(0)} ms`,
    );
  } finally {
    await context.close();
    const tClose = performance.now();
    await setup.close();
    console.log(`oidc close ${(performance.now() - tClose).toFixed(0)} ms`);
  }
}

async function tokenEndpointRun(browser: Browser): Promise<void> {
  const t0 = performance.now();
  const setup = await startTokenEndpoint();
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const responses = captureResponses(page, setup.tokenUrl);
    await page.goto(setup.pageUrl);
    const tPage = performance.now();
    for (const id of ['fetch-json', 'xhr-json', 'fetch-form', 'xhr-form', 'fetch-other']) {
      await page.click(`#${id}`);
      await page.waitForFunction(
        (want) => {
          const lines = (document.querySelector('#log')?.textContent ?? '').split('\n');
          const failed = lines.find((l) => l.startsWith('error'));
          if (failed) throw new Error(failed);
          return lines.includes(want);
        },
        `done ${id}`,
        { timeout: 10_000 },
      );
    }
    const tDone = performance.now();
    const bodies = await Promise.all(responses);
    for (const r of bodies) {
      const path = new URL(r.url).pathname + new URL(r.url).search;
      if (r.type.startsWith('application/json')) {
        const json = JSON.parse(r.body) as { resource_server: string; other_tokens: Array<{ resource_server: string }> };
        const servers = [json.resource_server, ...json.other_tokens.map((t) => t.resource_server)];
        console.log(`globus ${path}: resource_servers=${JSON.stringify(servers)}`);
      } else {
        console.log(`globus ${path}: ${r.type} keys=${JSON.stringify([...new URLSearchParams(r.body).keys()])}`);
      }
    }
    const other = setup.requests.find((r) => r.url.endsWith('/api/data'));
    if (!other) throw new Error('no /api/data request recorded');
    const tokenPosts = setup.requests.filter((r) => r.method === 'POST' && r.url.startsWith(setup.tokenUrl));
    console.log(
      `globus recorded ${setup.requests.length} requests (${tokenPosts.length} token POSTs); body[0]=${tokenPosts[0]?.body.slice(0, 60)}...`,
    );
    console.log(`globus timings: start+load ${(tPage - t0).toFixed(0)} ms, 5 clicks ${(tDone - tPage).toFixed(0)} ms`);
    if (bodies.length !== 4) throw new Error(`expected 4 token responses, got ${bodies.length}`);
  } finally {
    await context.close();
    await setup.close();
  }
}

const tStart = performance.now();
const browser = await chromium.launch({
  executablePath,
  headless: true,
  args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update'],
});
try {
  await oidcRun(browser);
  await oidcRun(browser, 'https://other.example.test');
  await tokenEndpointRun(browser);
} finally {
  await browser.close();
}
console.log(`smoke ok in ${(performance.now() - tStart).toFixed(0)} ms`);
