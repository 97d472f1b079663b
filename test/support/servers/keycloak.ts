// A Keycloak-shaped authorization server (the realm endpoints keycloak-js calls: .../auth, .../token) that drops one
// requested scope, and an app page using keycloak-js with its defaults. Both on 127.0.0.1, different ports.
// The authorize endpoint approves at once (no login page): the test is about what the client asked for and got.
import { createHash, randomUUID } from 'node:crypto';
import { closeServer, deferredServer, listen, send } from '../../../scripts/lib/http.mjs';
import { jwt as jwtOf } from '../builders.js';
import { bundleApp } from './bundle.js';

const REALM = 'demo';
const CLIENT_ID = 'tokenscope-kc';

export interface KeycloakSetup {
  appUrl: string;
  realmUrl: string;
  close(): Promise<void>;
}

const appBundle = (): Promise<string> => bundleApp(new URL('./keycloak-app.ts', import.meta.url));

/** A JWT-shaped token (keycloak-js decodes, never verifies): header, claims, a random signature. */
const jwt = (claims: Record<string, unknown>): string =>
  jwtOf(claims, { alg: 'RS256', typ: 'JWT', kid: 'k1' }, Buffer.from(randomUUID()).toString('base64url'));

export async function startKeycloak(options: { scope: string; drop: string }): Promise<KeycloakSetup> {
  const bundle = appBundle();
  const as = deferredServer();
  const app = deferredServer();
  const [asPort, appPort] = await Promise.all([listen(as.server), listen(app.server)]);
  const base = `http://127.0.0.1:${asPort}`;
  const issuer = `${base}/realms/${REALM}`;
  const appOrigin = `http://127.0.0.1:${appPort}`;
  const codes = new Map<string, { challenge: string; nonce: string | null; scope: string; redirectUri: string }>();

  as.answer((req, res) => {
    const url = new URL(req.url ?? '/', base);
    if (req.method === 'GET' && url.pathname === `/realms/${REALM}/protocol/openid-connect/auth`) {
      const params = url.searchParams;
      const redirectUri = params.get('redirect_uri') ?? '';
      const code = randomUUID();
      const granted = (params.get('scope') ?? '').split(' ').filter((scope) => scope && scope !== options.drop);
      codes.set(code, { challenge: params.get('code_challenge') ?? '', nonce: params.get('nonce'), scope: granted.join(' '), redirectUri });
      const back = new URLSearchParams({ state: params.get('state') ?? '', session_state: randomUUID(), iss: issuer, code });
      const sep = params.get('response_mode') === 'query' ? '?' : '#';
      res.writeHead(302, { location: `${redirectUri}${sep}${back}` });
      res.end();
      return;
    }
    if (req.method === 'POST' && url.pathname === `/realms/${REALM}/protocol/openid-connect/token`) {
      let body = '';
      req.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      req.on('end', () => {
        const params = new URLSearchParams(body);
        const grant = codes.get(params.get('code') ?? '');
        codes.delete(params.get('code') ?? '');
        const verifier = params.get('code_verifier') ?? '';
        const headers = {
          'access-control-allow-origin': appOrigin,
          'access-control-allow-credentials': 'true',
          'cache-control': 'no-store',
        };
        if (!grant || createHash('sha256').update(verifier).digest('base64url') !== grant.challenge) {
          res.writeHead(400, { ...headers, 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: 'invalid_grant' }));
          return;
        }
        const now = Math.floor(Date.now() / 1000);
        const common = { iss: issuer, sub: 'user-1', iat: now, exp: now + 300, azp: CLIENT_ID, nonce: grant.nonce, sid: 's1' };
        const answer = {
          access_token: jwt({ ...common, aud: 'account', typ: 'Bearer', scope: grant.scope }),
          expires_in: 300,
          token_type: 'Bearer',
          id_token: jwt({ ...common, aud: CLIENT_ID, typ: 'ID' }),
          scope: grant.scope,
          session_state: 's1',
        };
        res.writeHead(200, { ...headers, 'content-type': 'application/json' });
        res.end(JSON.stringify(answer));
      });
      return;
    }
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        'access-control-allow-origin': appOrigin,
        'access-control-allow-credentials': 'true',
        'access-control-allow-methods': 'POST',
        'access-control-allow-headers': req.headers['access-control-request-headers'] ?? '',
      });
      res.end();
      return;
    }
    send(res, 404, 'text/plain', 'not found');
  });

  const config = JSON.stringify({ url: base, realm: REALM, clientId: CLIENT_ID, scope: options.scope }).replace(/</g, '\\u003c');
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>Keycloak test app</title></head><body>
<pre id="status">loading</pre><script id="config" type="application/json">${config}</script><script src="/app.js"></script></body></html>`;
  const js = await bundle;
  app.answer((req, res) => {
    const path = new URL(req.url ?? '/', appOrigin).pathname;
    if (req.method === 'GET' && path === '/') send(res, 200, 'text/html; charset=utf-8', html);
    else if (req.method === 'GET' && path === '/app.js') send(res, 200, 'text/javascript; charset=utf-8', js);
    else send(res, 404, 'text/plain', 'not found');
  });
  return {
    appUrl: `${appOrigin}/`,
    realmUrl: issuer,
    async close() {
      await Promise.all([closeServer(as.server), closeServer(app.server)]);
    },
  };
}
