// @ts-check
/**
 * The demo's sign-in world, all on 127.0.0.1, plain http, no dependencies:
 *
 * - an authorization server in the Globus Auth shape: /authorize with a consent
 *   page, PKCE (S256) required and verified, and a token endpoint that answers
 *   with a token for `auth.globus.org` (plus a signed id_token) and, in
 *   `other_tokens`, one token per resource server, one of them misconfigured
 *   (its audience names another service too);
 * - a single-page app on its own port that signs in with code + PKCE, using the
 *   page's own fetch to the token endpoint (app.js, written by hand).
 *
 * Every token is made fresh per request, signed with a key made at start.
 */
import { createHash, generateKeyPairSync, randomBytes, randomUUID, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

export const CLIENT_ID = '7c4a2b1e-5d3f-4e6a-9b8c-0d1e2f3a4b5c';
export const IDENTITY_SERVER = 'auth.globus.org';
/** The resource servers the demo hands tokens to; `extraAudience` is the misconfiguration Tokenscope should flag. */
export const RESOURCE_SERVERS = [
  { id: 'transfer.demo.test', scope: 'urn:globus:auth:scope:transfer.demo.test:all', format: 'opaque' },
  { id: 'search.demo.test', scope: 'urn:globus:auth:scope:search.demo.test:search', format: 'jwt' },
  { id: 'compute.demo.test', scope: 'urn:globus:auth:scope:compute.demo.test:all', format: 'jwt', extraAudience: 'transfer.demo.test' },
];
const IDENTITY_SCOPES = 'openid profile email';
export const REQUESTED_SCOPE = [IDENTITY_SCOPES, ...RESOURCE_SERVERS.map((rs) => rs.scope)].join(' ');

const AUTHORIZE_PATH = '/v2/oauth2/authorize';
const TOKEN_PATH = '/v2/oauth2/token';
const EXPIRES_IN = 172800;
const CODE_TTL_MS = 120_000;
const USER = {
  sub: 'b2f0c7e4-1a3d-4f5e-8c9b-6d7e8f9a0b1c',
  name: 'Ada Demo',
  email: 'ada@demo.test',
  preferred_username: 'ada@demo.test',
  organization: 'Demo University',
};

const b64url = (/** @type {Buffer | string} */ data) => Buffer.from(data).toString('base64url');
const opaque = (bytes = 32) => randomBytes(bytes).toString('base64url');
const escapeHtml = (/** @type {string} */ text) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** @param {import('node:http').ServerResponse} res @param {number} status @param {string} type @param {string} body @param {Record<string, string>} [headers] */
function send(res, status, type, body, headers = {}) {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...headers });
  res.end(body);
}

/** @param {import('node:http').IncomingMessage} req @returns {Promise<string>} */
function readBody(req) {
  return new Promise((resolve, reject) => {
    /** @type {Buffer[]} */
    const chunks = [];
    let size = 0;
    req.on('data', (/** @type {Buffer} */ chunk) => {
      size += chunk.length;
      if (size > 64 * 1024) req.destroy(new Error('request body too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** @param {import('node:http').Server} server @param {number} port @returns {Promise<number>} */
function listen(server, port) {
  return new Promise((resolve, reject) => {
    server.once('error', (/** @type {NodeJS.ErrnoException} */ err) => {
      reject(err.code === 'EADDRINUSE' ? new Error(`port ${port} on 127.0.0.1 is already in use: pick another (or 0 for a free one)`) : err);
    });
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

/** Closes keep-alive sockets first: Chromium holds them open and would hang close() for its idle timeout. @param {import('node:http').Server} server */
function shut(server) {
  if (!server.listening) return Promise.resolve();
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve(undefined)));
}

/**
 * @param {{ portApp?: number, portAuth?: number, autoApprove?: boolean, log?: (line: string) => void }} [options]
 */
export async function startDemo(options = {}) {
  const log = options.log ?? (() => {});
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = opaque(8);
  /** @type {Map<string, { clientId: string, redirectUri: string, challenge: string, scope: string, nonce: string | null, expires: number }>} */
  const codes = new Map();

  const authServer = createServer();
  const appServer = createServer();
  const authPort = await listen(authServer, options.portAuth ?? 0);
  let appPort;
  try {
    appPort = await listen(appServer, options.portApp ?? 0);
  } catch (err) {
    await shut(authServer);
    throw err;
  }
  const issuer = `http://127.0.0.1:${authPort}`;
  const appOrigin = `http://127.0.0.1:${appPort}`;
  const redirectUri = `${appOrigin}/callback`;

  /** @param {Record<string, unknown>} payload */
  function jwt(payload) {
    const input = `${b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid }))}.${b64url(JSON.stringify(payload))}`;
    return `${input}.${b64url(sign('sha256', Buffer.from(input), privateKey))}`;
  }

  /** The Globus Auth answer: the identity token at the top, one token per resource server in other_tokens. */
  function tokenResponse(/** @type {string} */ clientId, /** @type {string | null} */ nonce) {
    const now = Math.floor(Date.now() / 1000);
    const topLevel = opaque();
    const idToken = jwt({
      iss: issuer,
      aud: clientId,
      azp: clientId,
      iat: now,
      exp: now + 3600,
      ...(nonce ? { nonce } : {}),
      at_hash: b64url(createHash('sha256').update(topLevel).digest().subarray(0, 16)),
      ...USER,
      last_authentication: now,
    });
    const otherTokens = RESOURCE_SERVERS.map((rs) => ({
      access_token:
        rs.format === 'jwt'
          ? jwt({
              iss: issuer,
              sub: USER.sub,
              aud: rs.extraAudience ? [rs.id, rs.extraAudience] : rs.id,
              client_id: clientId,
              scope: rs.scope,
              iat: now,
              nbf: now,
              exp: now + EXPIRES_IN,
              jti: randomUUID(),
            })
          : opaque(),
      expires_in: EXPIRES_IN,
      resource_server: rs.id,
      token_type: 'Bearer',
      state: '_default',
      scope: rs.scope,
    }));
    return {
      access_token: topLevel,
      expires_in: EXPIRES_IN,
      resource_server: IDENTITY_SERVER,
      token_type: 'Bearer',
      state: '_default',
      scope: IDENTITY_SCOPES,
      id_token: idToken,
      other_tokens: otherTokens,
    };
  }

  /** @param {URLSearchParams} params @returns {string | null} what is wrong with an authorization request */
  function checkAuthorize(params) {
    if (params.get('client_id') !== CLIENT_ID) return 'unknown client_id';
    if (params.get('redirect_uri') !== redirectUri) return 'redirect_uri is not registered for this client';
    if (params.get('response_type') !== 'code') return 'response_type must be code';
    if (params.get('code_challenge_method') !== 'S256') return 'PKCE is required: code_challenge_method must be S256';
    if (!/^[A-Za-z0-9_-]{43}$/.test(params.get('code_challenge') ?? '')) return 'code_challenge must be a base64url SHA-256 (43 characters)';
    return null;
  }

  /** Issue a code and send the browser back to the app. @param {import('node:http').ServerResponse} res @param {URLSearchParams} params */
  function approve(res, params) {
    const code = opaque();
    codes.set(code, {
      clientId: CLIENT_ID,
      redirectUri,
      challenge: params.get('code_challenge') ?? '',
      scope: params.get('scope') ?? '',
      nonce: params.get('nonce'),
      expires: Date.now() + CODE_TTL_MS,
    });
    const back = new URL(redirectUri);
    back.searchParams.set('code', code);
    if (params.has('state')) back.searchParams.set('state', params.get('state') ?? '');
    res.writeHead(302, { location: back.href, 'cache-control': 'no-store' });
    res.end();
  }

  /** @param {URLSearchParams} params */
  function consentPage(params) {
    const hidden = [...params].map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`).join('');
    const scopes = (params.get('scope') ?? '')
      .split(/\s+/)
      .filter(Boolean)
      .map((scope) => `<li><code>${escapeHtml(scope)}</code></li>`)
      .join('');
    return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Demo Auth: allow access</title>
<style>body{font:16px system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem}button{font:inherit;padding:.5rem 1.2rem;margin-right:.5rem}code{font-size:.9em}</style>
</head><body>
<h1>Demo Auth</h1>
<p>Signed in as <strong>${escapeHtml(USER.name)}</strong> (${escapeHtml(USER.email)}).</p>
<p><strong>Tokenscope Demo App</strong> would like to:</p>
<ul>${scopes}</ul>
<form method="post" action="${AUTHORIZE_PATH}">${hidden}
<button id="allow" name="decision" value="allow" type="submit" autofocus>Allow</button>
<button id="deny" name="decision" value="deny" type="submit">Deny</button>
</form>
</body></html>`;
  }

  /** @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res */
  async function handleAuth(req, res) {
    const url = new URL(req.url ?? '/', issuer);
    const method = req.method ?? 'GET';
    const cors = { 'access-control-allow-origin': appOrigin, vary: 'Origin' };

    if (url.pathname === '/.well-known/openid-configuration') {
      return send(
        res,
        200,
        'application/json',
        JSON.stringify({
          issuer,
          authorization_endpoint: `${issuer}${AUTHORIZE_PATH}`,
          token_endpoint: `${issuer}${TOKEN_PATH}`,
          jwks_uri: `${issuer}/jwks.json`,
          response_types_supported: ['code'],
          code_challenge_methods_supported: ['S256'],
          id_token_signing_alg_values_supported: ['RS256'],
        }),
        cors,
      );
    }
    if (url.pathname === '/jwks.json') {
      return send(res, 200, 'application/json', JSON.stringify({ keys: [{ ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' }] }), cors);
    }

    if (url.pathname === AUTHORIZE_PATH && (method === 'GET' || method === 'POST')) {
      const params = method === 'GET' ? url.searchParams : new URLSearchParams(await readBody(req));
      const problem = checkAuthorize(params);
      if (problem) return send(res, 400, 'text/html; charset=utf-8', `<!doctype html><title>Demo Auth: bad request</title><h1>Bad authorization request</h1><p>${escapeHtml(problem)}</p>`);
      if (method === 'GET' && !options.autoApprove) {
        log(`auth: consent page for ${params.get('client_id')}`);
        return send(res, 200, 'text/html; charset=utf-8', consentPage(params));
      }
      const decision = params.get('decision');
      params.delete('decision');
      if (method === 'POST' && decision !== 'allow') {
        const back = new URL(redirectUri);
        back.searchParams.set('error', 'access_denied');
        if (params.has('state')) back.searchParams.set('state', params.get('state') ?? '');
        res.writeHead(302, { location: back.href, 'cache-control': 'no-store' });
        return res.end();
      }
      log('auth: consent given, code issued');
      return approve(res, params);
    }

    if (url.pathname === TOKEN_PATH && method === 'OPTIONS') {
      res.writeHead(204, { ...cors, 'access-control-allow-methods': 'POST', 'access-control-allow-headers': 'content-type, accept', 'access-control-max-age': '600' });
      return res.end();
    }
    if (url.pathname === TOKEN_PATH && method === 'POST') {
      const params = new URLSearchParams(await readBody(req));
      /** @param {string} error @param {string} description */
      const fail = (error, description) => {
        log(`auth: token request refused: ${error} (${description})`);
        send(res, 400, 'application/json', JSON.stringify({ error, error_description: description }), { ...cors, pragma: 'no-cache' });
      };
      if (params.get('grant_type') !== 'authorization_code') return fail('unsupported_grant_type', 'only authorization_code is supported');
      const code = params.get('code') ?? '';
      const grant = codes.get(code);
      codes.delete(code); // single use, whatever happens next
      if (!grant || grant.expires < Date.now()) return fail('invalid_grant', 'unknown, used or expired code');
      if (params.get('client_id') !== grant.clientId) return fail('invalid_grant', 'the code was issued to another client');
      if (params.get('redirect_uri') !== grant.redirectUri) return fail('invalid_grant', 'redirect_uri does not match the authorization request');
      const verifier = params.get('code_verifier') ?? '';
      if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier)) return fail('invalid_request', 'code_verifier is missing or malformed (RFC 7636 s4.1)');
      if (b64url(createHash('sha256').update(verifier).digest()) !== grant.challenge) return fail('invalid_grant', 'PKCE verification failed');
      log(`auth: tokens issued for ${[IDENTITY_SERVER, ...RESOURCE_SERVERS.map((rs) => rs.id)].join(', ')}`);
      return send(res, 200, 'application/json', JSON.stringify(tokenResponse(grant.clientId, grant.nonce)), { ...cors, pragma: 'no-cache' });
    }

    return send(res, 404, 'text/plain', 'not found');
  }

  const appScript = readFileSync(new URL('./app.js', import.meta.url), 'utf8');
  const config = JSON.stringify({
    authorizeUrl: `${issuer}${AUTHORIZE_PATH}`,
    tokenUrl: `${issuer}${TOKEN_PATH}`,
    clientId: CLIENT_ID,
    redirectUri,
    scope: REQUESTED_SCOPE,
  }).replace(/</g, '\\u003c');
  const configSlot = '<script id="config" type="application/json">{}</script>';
  const appTemplate = readFileSync(new URL('./app.html', import.meta.url), 'utf8');
  if (!appTemplate.includes(configSlot)) throw new Error('scripts/demo/app.html lost its config slot');
  const appPage = appTemplate.replace(configSlot, () => configSlot.replace('{}', config));

  /** @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res */
  async function handleApp(req, res) {
    const url = new URL(req.url ?? '/', appOrigin);
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', 'method not allowed');
    if (url.pathname === '/' || url.pathname === '/callback') return send(res, 200, 'text/html; charset=utf-8', appPage);
    if (url.pathname === '/app.js') return send(res, 200, 'text/javascript; charset=utf-8', appScript);
    if (url.pathname === '/favicon.ico') return send(res, 204, 'text/plain', '');
    return send(res, 404, 'text/plain', 'not found');
  }

  /** @param {(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => Promise<unknown>} handler */
  const guarded = (handler) => (/** @type {import('node:http').IncomingMessage} */ req, /** @type {import('node:http').ServerResponse} */ res) => {
    handler(req, res).catch((err) => {
      if (!res.headersSent) send(res, 500, 'text/plain', String(err));
      else res.end();
    });
  };
  authServer.on('request', guarded(handleAuth));
  appServer.on('request', guarded(handleApp));

  return {
    issuer,
    appUrl: `${appOrigin}/`,
    appOrigin,
    tokenUrl: `${issuer}${TOKEN_PATH}`,
    async close() {
      await Promise.all([shut(appServer), shut(authServer)]);
    },
  };
}
