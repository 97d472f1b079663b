/**
 * An Auth0 tenant signing in on its custom domain `login.auth0-demo.example` (issuer not `*.auth0.com`), its API
 * `https://api.auth0-demo.example/`, and the app at `https://app.auth0-demo.example`. Where each shape comes from:
 * - what @auth0/auth0-spa-js 2.27 sends: node_modules/@auth0/auth0-spa-js/dist/auth0-spa-js.production.esm.js and its
 *   worker build (`https://<domain>/authorize` with client_id, redirect_uri, audience, scope, response_type=code,
 *   response_mode=query, state, nonce, code_challenge, code_challenge_method=S256, auth0Client; POST
 *   `https://<domain>/oauth/token`, form-encoded by default (`useFormData`), from its blob: Web Worker when
 *   `useRefreshTokens` is on with the memory cache; the ID token checked for iss `https://<domain>/`, aud = client id,
 *   nonce, exp, iat and alg RS256, not its signature);
 * - the custom domain: https://auth0.com/docs/customize/custom-domains and
 *   https://auth0.com/docs/secure/tokens/access-tokens/get-access-tokens ("Custom domains": a token requested at
 *   `https://login.northwind.com/authorize` has `iss: https://login.northwind.com/`);
 * - `openid` with an API audience: the access token's `aud` is an array, the API identifier and the `/userinfo`
 *   endpoint (same page, "Multiple audiences"); on a custom domain that is `https://<custom domain>/userinfo`, as seen on
 *   the real sign-ins of issue #21;
 * - the token answer (access_token, id_token, refresh_token with rotation, scope, expires_in 86400, token_type Bearer):
 *   https://auth0.com/docs/api/authentication (Authorization Code Flow with PKCE; Refresh Token) and
 *   https://auth0.com/docs/secure/tokens/refresh-tokens/refresh-token-rotation; the access token's `azp`, `scope`:
 *   https://auth0.com/docs/secure/tokens/access-tokens/access-token-profiles.
 */
import type { SiteHandler } from '../server.js';
import { appSite, bundleApp, corsHeaders, formBody, json, preflight, redirect } from '../site.js';
import { nowSeconds, opaque, signJwt } from '../jwt.js';

export const AUTH0_APP_HOST = 'app.auth0-demo.example';
export const AUTH0_DOMAIN = 'login.auth0-demo.example';
export const AUTH0_API_HOST = 'api.auth0-demo.example';
export const AUTH0_AUDIENCE = `https://${AUTH0_API_HOST}/`;
export const AUTH0_USERINFO = `https://${AUTH0_DOMAIN}/userinfo`;
/** The misconfigured app's reporting partner: another site, which receives the API's access token. */
export const AUTH0_LEAK_HOST = 'reports.partner-analytics.example';
export const AUTH0_CLIENT_ID = 'Xq3Lr7Vt9Bn2Mk5Pz8Wc4Hd6Jf1Sg0Ya';

export interface Auth0Record {
  /** `grant_type` of each token request. */
  grants: string[];
  /** Each API call's answer status. */
  api: number[];
  leaked: number;
}

/** The custom domain: /authorize, the Universal Login page (signs in at once), /oauth/token. */
function tenant(record: Auth0Record, issued: Set<string>): SiteHandler {
  const origin = `https://${AUTH0_DOMAIN}`;
  const logins = new Map<string, URLSearchParams>();
  const codes = new Map<string, { nonce: string; scope: string }>();
  /** Each live refresh token (rotated on use) with the scope of its sign-in. */
  const refreshTokens = new Map<string, string>();
  const grant = (nonce: string, scope: string) => {
    const iat = nowSeconds();
    const sub = 'github|583231';
    const access = signJwt({
      iss: `${origin}/`,
      sub,
      aud: [AUTH0_AUDIENCE, AUTH0_USERINFO],
      iat,
      exp: iat + 86400,
      scope,
      azp: AUTH0_CLIENT_ID,
    });
    const id = signJwt({
      iss: `${origin}/`,
      sub,
      aud: AUTH0_CLIENT_ID,
      iat,
      exp: iat + 36000,
      sid: opaque(12),
      name: 'Demo User',
      email: 'demo@example.com',
      ...(nonce ? { nonce } : {}),
    });
    const refresh = `v1.${opaque(40)}`;
    issued.add(access);
    refreshTokens.set(refresh, scope);
    return { access_token: access, id_token: id, refresh_token: refresh, scope, expires_in: 86400, token_type: 'Bearer' };
  };
  return async (req, res) => {
    if (preflight(req, res)) return;
    const url = new URL(req.url ?? '/', origin);
    if (url.pathname === '/authorize') {
      // Auth0 keeps the request and shows Universal Login under a state of its own.
      const loginState = opaque();
      logins.set(loginState, url.searchParams);
      return redirect(res, `/u/login?state=${loginState}`);
    }
    if (url.pathname === '/u/login') {
      // Universal Login: the user is signed in at once; Auth0 answers the redirect_uri with a code and the app's state.
      const request = logins.get(url.searchParams.get('state') ?? '');
      if (!request) return json(req, res, 400, { error: 'invalid_request' });
      const code = opaque(24);
      codes.set(code, { nonce: request.get('nonce') ?? '', scope: request.get('scope') ?? '' });
      const back = new URL(request.get('redirect_uri') ?? '');
      back.search = new URLSearchParams({ code, state: request.get('state') ?? '' }).toString();
      return redirect(res, back.href);
    }
    if (url.pathname === '/oauth/token' && req.method === 'POST') {
      const body = await formBody(req);
      record.grants.push(body.get('grant_type') ?? '');
      if (body.get('grant_type') === 'authorization_code') {
        const code = codes.get(body.get('code') ?? '');
        codes.delete(body.get('code') ?? '');
        if (!code || !body.get('code_verifier'))
          return json(req, res, 403, { error: 'invalid_grant', error_description: 'Invalid authorization code' });
        return json(req, res, 200, grant(code.nonce, code.scope));
      }
      const refreshed = refreshTokens.get(body.get('refresh_token') ?? '');
      if (body.get('grant_type') === 'refresh_token' && refreshed !== undefined) {
        refreshTokens.delete(body.get('refresh_token') ?? '');
        return json(req, res, 200, grant('', refreshed));
      }
      return json(req, res, 403, { error: 'invalid_grant', error_description: 'Unknown or invalid refresh token.' });
    }
    json(req, res, 404, { error: 'not_found' });
  };
}

/** Every host of the Auth0 custom-domain test. The misconfigured app also sends its API token to a partner's host. */
export function auth0Sites(options: { misconfigured: boolean }): { sites: Record<string, SiteHandler>; record: Auth0Record } {
  const record: Auth0Record = { grants: [], api: [], leaked: 0 };
  const issued = new Set<string>();
  const sites: Record<string, SiteHandler> = {
    [AUTH0_APP_HOST]: appSite({
      title: 'Messages (Auth0)',
      script: bundleApp(new URL('../apps/auth0-app.ts', import.meta.url)),
      config: {
        domain: AUTH0_DOMAIN,
        clientId: AUTH0_CLIENT_ID,
        audience: AUTH0_AUDIENCE,
        api: `https://${AUTH0_API_HOST}/api/messages`,
        leakTo: options.misconfigured ? `https://${AUTH0_LEAK_HOST}/v1/usage` : null,
      },
      buttons: ['signin', 'api', 'refresh', 'refresh-api', 'leak'],
    }),
    [AUTH0_DOMAIN]: tenant(record, issued),
    [AUTH0_API_HOST]: (req, res) => {
      if (preflight(req, res)) return;
      const ok = issued.has(/^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '');
      record.api.push(ok ? 200 : 401);
      json(req, res, ok ? 200 : 401, ok ? { messages: [{ id: 1, text: 'hello' }] } : { message: 'Unauthorized' });
    },
    [AUTH0_LEAK_HOST]: (req, res) => {
      if (preflight(req, res)) return;
      record.leaked++;
      res.writeHead(202, corsHeaders(req)).end();
    },
  };
  return { sites, record };
}
