/**
 * One Globus-Auth-shaped token endpoint for the demo, the benches and the browser tests, on
 * 127.0.0.1, plain http, no dependencies.
 *
 * POST /v2/oauth2/token answers with a token for auth.globus.org (plus a signed id_token) and, in
 * `other_tokens`, one token per resource server (opaque, or a JWT whose audience may name another
 * service too: `extraAudience`). With `?format=form` it answers GitHub-style: the top-level token
 * only, form-encoded. Every token is fresh; `issued` maps each access token to its resource server.
 *
 * Options:
 * - resourceServers: the `other_tokens` (default: Globus Transfer and Groups, opaque);
 * - user: the id_token's claims about the user;
 * - refreshTokens: a refresh_token with each token (default true);
 * - signIn { clientId, redirectUri, autoApprove }: the authorization server too (discovery, JWKS,
 *   /authorize with a consent page, PKCE S256 required and verified, single-use codes), the tokens
 *   issued by this server; without it the token endpoint takes any code, the tokens issued by
 *   https://auth.globus.org;
 * - corsOrigin: an origin allowed to call it from another port;
 * - routes(req, res, url, body): asked first; returns true when it answered;
 * - port, log.
 */
import { createHash, generateKeyPairSync, randomBytes, randomUUID, sign } from 'node:crypto';
import { escapeHtml } from '../lib/html.mjs';
import { readBody, send, serve } from '../lib/http.mjs';

export const TOKEN_PATH = '/v2/oauth2/token';
export const AUTHORIZE_PATH = '/v2/oauth2/authorize';
export const IDENTITY_SERVER = 'auth.globus.org';
export const IDENTITY_SCOPES = 'openid profile email';
export const GLOBUS_ISSUER = 'https://auth.globus.org';
/** The client the test pages name when no sign-in says otherwise. */
export const TEST_CLIENT_ID = 'a1b2c3d4-0000-4000-8000-00000000c11e';
export const GLOBUS_RESOURCE_SERVERS = [
  { id: 'transfer.api.globus.org', scope: 'urn:globus:auth:scope:transfer.api.globus.org:all' },
  { id: 'groups.api.globus.org', scope: 'urn:globus:auth:scope:groups.api.globus.org:view_my_groups_and_memberships' },
];
export const TEST_USER = {
  sub: '5e2f1a7c-3b6d-4c8e-9f0a-1b2c3d4e5f60',
  email: 'test.user@example.org',
  name: 'Test User',
  preferred_username: 'test.user@example.org',
  identity_provider: '41143743-f3c8-4d60-bbdb-eeecaba85bd9',
  identity_provider_display_name: 'Example University',
  organization: 'Example University',
};

const EXPIRES_IN = 172800;
const ID_TOKEN_TTL = 3600;
const CODE_TTL_MS = 120_000;
const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };

const b64url = (data) => Buffer.from(data).toString('base64url');
const opaque = (bytes = 32) => randomBytes(bytes).toString('base64url');
const s256 = (text) => b64url(createHash('sha256').update(text).digest());

/** One RSA key per process (making one takes a while), signing RS256 JWTs. */
let key;
function signer() {
  key ??= { ...generateKeyPairSync('rsa', { modulusLength: 2048 }), kid: opaque(8) };
  const { privateKey, publicKey, kid } = key;
  return {
    jwt(payload) {
      const input = `${b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid }))}.${b64url(JSON.stringify(payload))}`;
      return `${input}.${b64url(sign('sha256', Buffer.from(input), privateKey))}`;
    },
    jwks: () => ({ keys: [{ ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' }] }),
  };
}

/** The Globus Auth answer: the identity token at the top, one token per resource server in other_tokens. */
function tokenResponse({ jwt, issuer, clientId, nonce, user, resourceServers, refreshTokens, issued }) {
  const now = Math.floor(Date.now() / 1000);
  const token = (id, scope, accessToken) => {
    issued.set(accessToken, id);
    const refresh = refreshTokens ? { refresh_token: opaque(48) } : {};
    return {
      access_token: accessToken,
      expires_in: EXPIRES_IN,
      resource_server: id,
      token_type: 'Bearer',
      state: '_default',
      scope,
      ...refresh,
    };
  };
  const accessJwt = (rs) =>
    jwt({
      iss: issuer,
      sub: user.sub,
      aud: rs.extraAudience ? [rs.id, rs.extraAudience] : rs.id,
      client_id: clientId,
      scope: rs.scope,
      iat: now,
      nbf: now,
      exp: now + EXPIRES_IN,
      jti: randomUUID(),
    });
  const top = token(IDENTITY_SERVER, IDENTITY_SCOPES, opaque());
  const idToken = jwt({
    iss: issuer,
    aud: clientId,
    azp: clientId,
    iat: now,
    exp: now + ID_TOKEN_TTL,
    ...(nonce ? { nonce } : {}),
    at_hash: b64url(createHash('sha256').update(top.access_token).digest().subarray(0, 16)),
    ...user,
    last_authentication: now,
  });
  const otherTokens = resourceServers.map((rs) => token(rs.id, rs.scope, rs.format === 'jwt' ? accessJwt(rs) : opaque()));
  return { ...top, id_token: idToken, other_tokens: otherTokens };
}

function consentPage(params, user) {
  const hidden = [...params]
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('');
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
<p>Signed in as <strong>${escapeHtml(user.name)}</strong> (${escapeHtml(user.email)}).</p>
<p><strong>Tokenscope Demo App</strong> would like to:</p>
<ul>${scopes}</ul>
<form method="post" action="${AUTHORIZE_PATH}">${hidden}
<button id="allow" name="decision" value="allow" type="submit" autofocus>Allow</button>
<button id="deny" name="decision" value="deny" type="submit">Deny</button>
</form>
</body></html>`;
}

/** Send the browser back to the client with `fields` (and the request's state). */
function redirectBack(res, redirectUri, params, fields) {
  const back = new URL(redirectUri);
  for (const [name, value] of Object.entries(fields)) back.searchParams.set(name, value);
  if (params.has('state')) back.searchParams.set('state', params.get('state') ?? '');
  res.writeHead(302, { location: back.href, 'cache-control': 'no-store' });
  res.end();
}

/** The authorization server: /authorize with consent, and redeeming its codes (PKCE S256). */
function authorizationServer({ clientId, redirectUri, autoApprove = false }, user, log) {
  const codes = new Map();
  /** What is wrong with an authorization request, or null. */
  const problemWith = (params) => {
    if (params.get('client_id') !== clientId) return 'unknown client_id';
    if (params.get('redirect_uri') !== redirectUri) return 'redirect_uri is not registered for this client';
    if (params.get('response_type') !== 'code') return 'response_type must be code';
    if (params.get('code_challenge_method') !== 'S256') return 'PKCE is required: code_challenge_method must be S256';
    if (!/^[A-Za-z0-9_-]{43}$/.test(params.get('code_challenge') ?? ''))
      return 'code_challenge must be a base64url SHA-256 (43 characters)';
    return null;
  };
  const approve = (res, params) => {
    const code = opaque();
    codes.set(code, { challenge: params.get('code_challenge') ?? '', nonce: params.get('nonce'), expires: Date.now() + CODE_TTL_MS });
    log('auth: consent given, code issued');
    redirectBack(res, redirectUri, params, { code });
  };
  return {
    authorize(res, method, params) {
      const problem = problemWith(params);
      if (problem)
        return send(
          res,
          400,
          'text/html; charset=utf-8',
          `<!doctype html><title>Demo Auth: bad request</title><h1>Bad authorization request</h1><p>${escapeHtml(problem)}</p>`,
        );
      if (method === 'GET' && !autoApprove) {
        log(`auth: consent page for ${params.get('client_id')}`);
        return send(res, 200, 'text/html; charset=utf-8', consentPage(params, user));
      }
      const decision = params.get('decision');
      params.delete('decision');
      if (method === 'POST' && decision !== 'allow') return redirectBack(res, redirectUri, params, { error: 'access_denied' });
      return approve(res, params);
    },
    /** The grant a token request redeems, or the OAuth error to answer with. */
    redeem(params) {
      if (params.get('grant_type') !== 'authorization_code')
        return { error: 'unsupported_grant_type', description: 'only authorization_code is supported' };
      const code = params.get('code') ?? '';
      const grant = codes.get(code);
      codes.delete(code); // single use, whatever happens next
      if (!grant || grant.expires < Date.now()) return { error: 'invalid_grant', description: 'unknown, used or expired code' };
      if (params.get('client_id') !== clientId) return { error: 'invalid_grant', description: 'the code was issued to another client' };
      if (params.get('redirect_uri') !== redirectUri)
        return { error: 'invalid_grant', description: 'redirect_uri does not match the authorization request' };
      const verifier = params.get('code_verifier') ?? '';
      if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier))
        return { error: 'invalid_request', description: 'code_verifier is missing or malformed (RFC 7636 s4.1)' };
      if (s256(verifier) !== grant.challenge) return { error: 'invalid_grant', description: 'PKCE verification failed' };
      return { clientId, nonce: grant.nonce };
    },
  };
}

/** The OpenID discovery document of a sign-in server at `issuer`. */
const discovery = (issuer) => ({
  issuer,
  authorization_endpoint: `${issuer}${AUTHORIZE_PATH}`,
  token_endpoint: `${issuer}${TOKEN_PATH}`,
  jwks_uri: `${issuer}/jwks.json`,
  response_types_supported: ['code'],
  code_challenge_methods_supported: ['S256'],
  id_token_signing_alg_values_supported: ['RS256'],
});

export async function startGlobus(options = {}) {
  const {
    resourceServers = GLOBUS_RESOURCE_SERVERS,
    user = TEST_USER,
    refreshTokens = true,
    signIn,
    corsOrigin,
    routes,
    log = () => {},
  } = options;
  const { jwt, jwks } = signer();
  const auth = signIn ? authorizationServer(signIn, user, log) : null;
  const cors = corsOrigin ? { 'access-control-allow-origin': corsOrigin, vary: 'Origin' } : {};
  const issued = new Map();
  let issuer = GLOBUS_ISSUER;
  let origin = '';

  const token = (res, url, params) => {
    if (url.searchParams.get('format') === 'form') {
      const form = new URLSearchParams({ access_token: opaque(), scope: IDENTITY_SCOPES, token_type: 'bearer' });
      return send(res, 200, 'application/x-www-form-urlencoded; charset=utf-8', form.toString(), { ...NO_STORE, ...cors });
    }
    const grant = auth ? auth.redeem(params) : { clientId: params.get('client_id') ?? TEST_CLIENT_ID, nonce: null };
    if (grant.error) {
      log(`auth: token request refused: ${grant.error} (${grant.description})`);
      return send(res, 400, 'application/json', JSON.stringify({ error: grant.error, error_description: grant.description }), {
        ...NO_STORE,
        ...cors,
      });
    }
    const answer = tokenResponse({ jwt, issuer, ...grant, user, resourceServers, refreshTokens, issued });
    log(`auth: tokens issued for ${[IDENTITY_SERVER, ...resourceServers.map((rs) => rs.id)].join(', ')}`);
    return send(res, 200, 'application/json', JSON.stringify(answer), { ...NO_STORE, ...cors });
  };

  const served = await serve(
    async (req, res) => {
      const method = req.method ?? 'GET';
      const url = new URL(req.url ?? '/', origin);
      const body = (await readBody(req)).toString('utf8');
      if (routes && (await routes(req, res, url, body))) return;
      if (url.pathname === TOKEN_PATH && method === 'POST') return token(res, url, new URLSearchParams(body));
      if (url.pathname === TOKEN_PATH && method === 'OPTIONS' && corsOrigin) {
        res.writeHead(204, {
          ...cors,
          'access-control-allow-methods': 'POST',
          'access-control-allow-headers': 'content-type, accept',
          'access-control-max-age': '600',
        });
        return res.end();
      }
      if (auth && url.pathname === AUTHORIZE_PATH && (method === 'GET' || method === 'POST'))
        return auth.authorize(res, method, method === 'GET' ? url.searchParams : new URLSearchParams(body));
      if (auth && url.pathname === '/.well-known/openid-configuration')
        return send(res, 200, 'application/json', JSON.stringify(discovery(issuer)), cors);
      if (auth && url.pathname === '/jwks.json') return send(res, 200, 'application/json', JSON.stringify(jwks()), cors);
      return send(res, 404, 'text/plain', 'not found');
    },
    { port: options.port ?? 0 },
  );
  origin = served.origin;
  if (auth) issuer = origin;
  return { origin, issuer, tokenUrl: `${origin}${TOKEN_PATH}`, authorizeUrl: `${origin}${AUTHORIZE_PATH}`, issued, close: served.close };
}
