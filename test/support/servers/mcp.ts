/**
 * An MCP server that wants a token, made with @modelcontextprotocol/sdk 1.32.2's own server parts: `mcpAuthMetadataRouter`
 * (its protected-resource metadata, RFC 9728, at `/.well-known/oauth-protected-resource/mcp`) and `requireBearerAuth`
 * (401 with `WWW-Authenticate: Bearer ..., resource_metadata="..."`), in front of an `/mcp` endpoint; the real
 * oidc-provider as its authorization server, with `registration` (RFC 7591, open) and `resourceIndicators` (RFC 8707:
 * a JWT access token whose `aud` is the resource asked for, else the MCP server's, its default); and the MCP client
 * page (mcp-app.ts, the SDK's client `auth()`). Three servers on 127.0.0.1, port 0 each: three origins.
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { InvalidTokenError } from '@modelcontextprotocol/sdk/server/auth/errors.js';
import { requireBearerAuth } from '@modelcontextprotocol/sdk/server/auth/middleware/bearerAuth.js';
import { getOAuthProtectedResourceMetadataUrl, mcpAuthMetadataRouter } from '@modelcontextprotocol/sdk/server/auth/router.js';
import cors from 'cors';
import express from 'express';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import Provider from 'oidc-provider';
import { closeServer, deferredServer, listen, send } from '../../../scripts/lib/http.mjs';
import { addAudience, interaction, oneResourceServer } from './oidc.js';
import { bundleApp } from './bundle.js';

export interface McpSetup {
  appUrl: string;
  mcpUrl: string;
  issuer: string;
  close(): Promise<void>;
}

export interface McpOptions {
  /** The client sends no `resource` (its `validateResourceURL` answers undefined): the misconfigured variant. */
  noResource?: boolean;
  /** The authorization server adds this audience to the MCP server's tokens (a token good at another API too). */
  extraAudience?: string;
}

const SCOPE = 'mcp:tools';

const appBundle = (): Promise<string> => bundleApp(new URL('./mcp-app.ts', import.meta.url));

/** oidc-provider as an MCP server's authorization server: open dynamic registration, resource indicators, JWT access tokens for the MCP server. */
function authorizationServer(issuer: string, mcpUrl: string, extraAudience?: string): Provider {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return new Provider(issuer, {
    jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), alg: 'RS256', use: 'sig' }] },
    cookies: { keys: [randomUUID()] },
    scopes: ['openid', 'offline_access', SCOPE],
    pkce: { required: () => true },
    clientBasedCORS: () => true,
    findAccount: async (_ctx: unknown, sub: string) => ({ accountId: sub, claims: async () => ({ sub }) }),
    features: {
      devInteractions: { enabled: false },
      registration: { enabled: true, initialAccessToken: false },
      // A client that names no resource still gets the MCP server's token: the server's default.
      resourceIndicators: oneResourceServer(mcpUrl, SCOPE),
    },
    interactions: { url: (_ctx: unknown, details: { uid: string }) => `/interaction/${details.uid}` },
    formats: { customizers: { jwt: addAudience(extraAudience) } },
  });
}

/** The MCP server: the SDK's metadata router and bearer middleware; a token is checked by its signature, issuer and audience. */
function mcpServer(issuer: string, mcpUrl: string) {
  const jwks = createRemoteJWKSet(new URL(`${issuer}/jwks`));
  const verifier = {
    async verifyAccessToken(token: string) {
      try {
        const { payload } = await jwtVerify(token, jwks, { issuer, audience: mcpUrl });
        return {
          token,
          clientId: String(payload.client_id ?? ''),
          scopes: String(payload.scope ?? '').split(' '),
          expiresAt: payload.exp,
          resource: new URL(mcpUrl),
        };
      } catch (error) {
        throw new InvalidTokenError(`token refused: ${String(error)}`);
      }
    },
  };
  const oauthMetadata = {
    issuer,
    authorization_endpoint: `${issuer}/auth`,
    token_endpoint: `${issuer}/token`,
    registration_endpoint: `${issuer}/reg`,
    response_types_supported: ['code'],
  };
  const app = express();
  app.use(
    mcpAuthMetadataRouter({
      oauthMetadata,
      resourceServerUrl: new URL(mcpUrl),
      scopesSupported: [SCOPE],
      resourceName: 'Tokenscope test MCP server',
    }),
  );
  const corsMcp = cors({ exposedHeaders: ['WWW-Authenticate'] });
  app.options('/mcp', corsMcp);
  app.post(
    '/mcp',
    corsMcp,
    requireBearerAuth({ verifier, resourceMetadataUrl: getOAuthProtectedResourceMetadataUrl(new URL(mcpUrl)) }),
    (_req: unknown, res: { json(body: unknown): void }) =>
      res.json({ jsonrpc: '2.0', id: 1, result: { serverInfo: { name: 'test', version: '1' } } }),
  );
  return app;
}

function appHtml(config: Record<string, unknown>): string {
  const json = JSON.stringify(config).replace(/</g, '\\u003c');
  return `<!doctype html><html><head><meta charset="utf-8"><title>MCP client</title></head><body>
<h1>MCP client</h1><button id="connect">Connect</button><pre id="status">loading</pre>
<script id="config" type="application/json">${json}</script><script src="/app.js"></script></body></html>`;
}

export async function startMcp(options: McpOptions = {}): Promise<McpSetup> {
  const as = deferredServer();
  const mcp = deferredServer();
  const page = deferredServer();
  const [asPort, mcpPort, appPort] = await Promise.all([listen(as.server), listen(mcp.server), listen(page.server)]);
  const issuer = `http://127.0.0.1:${asPort}`;
  const mcpUrl = `http://127.0.0.1:${mcpPort}/mcp`;
  const appOrigin = `http://127.0.0.1:${appPort}`;
  const provider = authorizationServer(issuer, mcpUrl, options.extraAudience);
  const callback = provider.callback();
  as.answer((req, res) => {
    if (req.method === 'GET' && /^\/interaction\/[^/?]+(\?|$)/.test(req.url ?? '')) {
      interaction(provider, req, res).catch((err: unknown) => {
        if (!res.headersSent) res.statusCode = 500;
        res.end(String(err));
      });
      return;
    }
    // RFC 7591 from a browser: oidc-provider answers registration without CORS; a browser client needs it.
    if (req.url === '/reg') {
      res.setHeader('access-control-allow-origin', '*');
      if (req.method === 'OPTIONS') {
        res.setHeader('access-control-allow-headers', req.headers['access-control-request-headers'] ?? 'content-type');
        res.setHeader('access-control-allow-methods', 'POST');
        res.statusCode = 204;
        res.end();
        return;
      }
    }
    callback(req, res);
  });
  const server = mcpServer(issuer, mcpUrl);
  mcp.answer((req, res) => server(req, res));
  const html = appHtml({ mcpUrl, redirectUri: `${appOrigin}/callback`, noResource: options.noResource === true });
  const js = await appBundle();
  page.answer((req, res) => {
    const path = new URL(req.url ?? '/', appOrigin).pathname;
    if (req.method === 'GET' && (path === '/' || path === '/callback')) send(res, 200, 'text/html; charset=utf-8', html);
    else if (req.method === 'GET' && path === '/app.js') send(res, 200, 'text/javascript; charset=utf-8', js);
    else send(res, 404, 'text/plain', 'not found');
  });
  return {
    appUrl: `${appOrigin}/`,
    mcpUrl,
    issuer,
    async close() {
      await Promise.all([closeServer(as.server), closeServer(mcp.server), closeServer(page.server)]);
    },
  };
}
