/**
 * Auth0's SPA SDK (from npm, its defaults) with `useRefreshTokens: true` and the memory cache makes every
 * /oauth/token call from a blob: Web Worker. Against a small Auth0-shaped server on 127.0.0.1, the code exchange
 * and the refresh are both captured in Chromium, under the page's tab, page-reported, and shown in the popup.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { closeServer, listen } from '../../scripts/lib/http.mjs';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { jwt as jwtOf } from '../support/builders.js';
import { expect, openPopup, setSiteAccess, storedExchanges, tabIdOf, test } from '../support/harness.js';

/** Unsigned-looking RS256 JWTs: the SDK checks the ID token's claims, not its signature. */
const jwt = (claims: Record<string, unknown>) => jwtOf(claims, { alg: 'RS256', typ: 'JWT', kid: 'k1' });

function readBody(request: IncomingMessage): Promise<URLSearchParams> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      if (/json/.test(request.headers['content-type'] ?? '')) {
        resolve(new URLSearchParams(Object.entries(JSON.parse(text) as Record<string, string>)));
      } else resolve(new URLSearchParams(text));
    });
  });
}

async function startServer(): Promise<{ origin: string; grants: string[]; close(): Promise<void> }> {
  const app = await esbuild.build({
    entryPoints: [join(import.meta.dirname, '../support/servers/auth0-app.ts')],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    logLevel: 'warning',
  });
  const appJs = app.outputFiles[0]?.text ?? '';
  const nonces = new Map<string, string>();
  const grants: string[] = [];
  let origin = '';
  let issued = 0;
  const server: Server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', origin);
    if (url.pathname === '/' || url.pathname === '/callback') {
      const config = JSON.stringify({ origin });
      response
        .writeHead(200, { 'content-type': 'text/html' })
        .end(
          `<!doctype html><title>auth0 app</title><script id="config" type="application/json">${config}</script><pre id="status">loading</pre><button id="signin">Sign in</button><button id="refresh">Refresh</button><script type="module" src="/app.js"></script>`,
        );
    } else if (url.pathname === '/app.js') {
      response.writeHead(200, { 'content-type': 'text/javascript' }).end(appJs);
    } else if (url.pathname === '/authorize') {
      const code = `code-${++issued}`;
      nonces.set(code, url.searchParams.get('nonce') ?? '');
      const back = new URL(url.searchParams.get('redirect_uri') ?? '/');
      back.searchParams.set('code', code);
      back.searchParams.set('state', url.searchParams.get('state') ?? '');
      response.writeHead(302, { location: back.href }).end();
    } else if (url.pathname === '/oauth/token' && request.method === 'POST') {
      const body = await readBody(request);
      const grant = body.get('grant_type') ?? '';
      grants.push(grant);
      const now = Math.floor(Date.now() / 1000);
      const nonce = nonces.get(body.get('code') ?? '');
      response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(
        JSON.stringify({
          access_token: jwt({
            iss: `${origin}/`,
            sub: 'auth0|user',
            aud: ['https://api.example.test/', `${origin}/userinfo`],
            iat: now,
            exp: now + 3600,
            scope: 'openid profile email offline_access',
            n: ++issued,
          }),
          id_token: jwt({ iss: `${origin}/`, sub: 'auth0|user', aud: 'spa-app', iat: now, exp: now + 3600, ...(nonce ? { nonce } : {}) }),
          refresh_token: `refresh-${issued}`,
          scope: 'openid profile email offline_access',
          expires_in: 3600,
          token_type: 'Bearer',
        }),
      );
    } else {
      response.writeHead(404).end();
    }
  });
  origin = `http://127.0.0.1:${await listen(server)}`;
  return { origin, grants, close: () => closeServer(server) };
}

test("Auth0's SPA SDK with refresh tokens: the worker's code exchange and refresh are captured, one sign-in with its dropped scope", async ({
  context,
  extensionId,
}) => {
  const server = await startServer();
  try {
    await setSiteAccess(context, extensionId, ['http://127.0.0.1/*']);
    const page = await context.newPage();
    await page.goto(`${server.origin}/`);
    await expect(page.locator('#status')).toHaveText('ready');
    await page.click('#signin');
    await expect(page.locator('#status')).toHaveText('signed-in');
    await page.click('#refresh');
    await expect(page.locator('#status')).toHaveText('refreshed');
    expect(server.grants).toEqual(['authorization_code', 'refresh_token']);

    const tabId = await tabIdOf(context, extensionId, page);
    const stored = async () => (await storedExchanges(context, extensionId)).filter((e) => e.capture.tabId === tabId);
    await expect.poll(async () => (await stored()).length).toBe(2);
    const list = await stored();
    expect(list.every((e) => e.capture.verification === 'page-reported')).toBe(true);
    expect(list.map((e) => /grant_type.{1,4}(authorization_code|refresh_token)/.exec(e.exchange.request.body ?? '')?.[1]).sort()).toEqual([
      'authorization_code',
      'refresh_token',
    ]);

    const popup = await openPopup(context, extensionId, tabId);
    await expect(popup.locator('body')).toContainText('api.example.test');
    // One sign-in: the authorization request (loginWithRedirect, audience and scope there only), the code exchange
    // joined by PKCE, and the worker's refresh joined by its refresh token. The server granted no read:messages.
    const signIn = popup.locator('section.sign-in');
    await expect(signIn).toHaveCount(1);
    await expect(signIn.locator('h2')).toContainText(`Sign-in at ${server.origin}/authorize`);
    await expect(signIn.locator('p.muted').first()).toContainText('read:messages');
    await expect(signIn.locator('.sign-in-result')).toContainText('code exchange joined by PKCE');
    await expect(signIn.locator('.scope.dropped')).toContainText(['read:messages']);
    await expect(signIn.locator('.timeline .step-refresh')).toHaveCount(1);
    await expect(popup.locator('body')).not.toContainText('No token exchange seen');
    // Tokens are masked: no whole access token in the popup.
    const body = (await stored())[0]?.exchange.response.body ?? '';
    const accessToken = (JSON.parse(body) as { access_token: string }).access_token;
    await expect(popup.locator('body')).not.toContainText(accessToken);
  } finally {
    await server.close();
  }
});
