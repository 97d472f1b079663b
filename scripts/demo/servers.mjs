// @ts-check
/**
 * The demo's sign-in world, all on 127.0.0.1, plain http, no dependencies:
 *
 * - the Globus-Auth-shaped sign-in server (../servers/globus.mjs): consent page, PKCE (S256)
 *   required and verified, and a token endpoint whose `other_tokens` hold one token per resource
 *   server below, one of them misconfigured (its audience names another service too);
 * - a single-page app on its own port that signs in with code + PKCE, using the page's own fetch
 *   to the token endpoint (app.js, written by hand).
 */
import { readFileSync } from 'node:fs';
import { closeServer, deferredServer, listen, send } from '../lib/http.mjs';
import { IDENTITY_SCOPES, IDENTITY_SERVER, startGlobus } from '../servers/globus.mjs';

export { IDENTITY_SERVER };
export const CLIENT_ID = '7c4a2b1e-5d3f-4e6a-9b8c-0d1e2f3a4b5c';
/** The resource servers the demo hands tokens to; `extraAudience` is the misconfiguration Tokenscope should flag. */
export const RESOURCE_SERVERS = [
  { id: 'transfer.demo.test', scope: 'urn:globus:auth:scope:transfer.demo.test:all', format: 'opaque' },
  { id: 'search.demo.test', scope: 'urn:globus:auth:scope:search.demo.test:search', format: 'jwt' },
  { id: 'compute.demo.test', scope: 'urn:globus:auth:scope:compute.demo.test:all', format: 'jwt', extraAudience: 'transfer.demo.test' },
];
export const REQUESTED_SCOPE = [IDENTITY_SCOPES, ...RESOURCE_SERVERS.map((rs) => rs.scope)].join(' ');
const USER = {
  sub: 'b2f0c7e4-1a3d-4f5e-8c9b-6d7e8f9a0b1c',
  name: 'Ada Demo',
  email: 'ada@demo.test',
  preferred_username: 'ada@demo.test',
  organization: 'Demo University',
};
const CONFIG_SLOT = '<script id="config" type="application/json">{}</script>';

/** app.html with the app's configuration in its config slot. @param {string} template @param {Record<string, string>} config */
function appPage(template, config) {
  const json = JSON.stringify(config).replace(/</g, '\\u003c');
  return template.replace(CONFIG_SLOT, () => CONFIG_SLOT.replace('{}', json));
}

/**
 * @param {{ portApp?: number, portAuth?: number, autoApprove?: boolean, log?: (line: string) => void }} [options]
 */
export async function startDemo(options = {}) {
  const template = readFileSync(new URL('./app.html', import.meta.url), 'utf8');
  if (!template.includes(CONFIG_SLOT)) throw new Error('scripts/demo/app.html lost its config slot');
  const script = readFileSync(new URL('./app.js', import.meta.url), 'utf8');
  // The app's origin is the sign-in server's redirect target and CORS origin: the app listens first, answers once both are up.
  const { server: appServer, answer } = deferredServer();
  const appOrigin = `http://127.0.0.1:${await listen(appServer, { port: options.portApp ?? 0 })}`;
  const redirectUri = `${appOrigin}/callback`;
  /** @type {Awaited<ReturnType<typeof startGlobus>>} */
  let auth;
  try {
    auth = await startGlobus({
      port: options.portAuth ?? 0,
      resourceServers: RESOURCE_SERVERS,
      user: USER,
      refreshTokens: false,
      signIn: { clientId: CLIENT_ID, redirectUri, autoApprove: options.autoApprove },
      corsOrigin: appOrigin,
      log: options.log,
    });
  } catch (err) {
    await closeServer(appServer);
    throw err;
  }

  const page = appPage(template, {
    authorizeUrl: auth.authorizeUrl,
    tokenUrl: auth.tokenUrl,
    clientId: CLIENT_ID,
    redirectUri,
    scope: REQUESTED_SCOPE,
  });
  answer((req, res) => {
    const { pathname } = new URL(req.url ?? '/', appOrigin);
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', 'method not allowed');
    if (pathname === '/' || pathname === '/callback') return send(res, 200, 'text/html; charset=utf-8', page);
    if (pathname === '/app.js') return send(res, 200, 'text/javascript; charset=utf-8', script);
    if (pathname === '/favicon.ico') return send(res, 204, 'text/plain', '');
    return send(res, 404, 'text/plain', 'not found');
  });

  return {
    issuer: auth.issuer,
    appUrl: `${appOrigin}/`,
    appOrigin,
    tokenUrl: auth.tokenUrl,
    async close() {
      await Promise.all([closeServer(appServer), auth.close()]);
    },
  };
}
