/**
 * Globus at its real hostnames, for @globus/sdk 6.2 in a browser (test/tls/apps/globus-app.ts).
 *
 * Where each shape comes from:
 * - Hosts: @globus/sdk dist/esm/services/auth/config.js (auth.globus.org; RESOURCE_SERVERS: Transfer's server is
 *   transfer.api.globus.org) and services/transfer/config.js (the SDK's production Transfer *host* is
 *   transfer.api.globusonline.org), services/groups/config.js (groups.api.globus.org).
 * - Authorization: GET https://auth.globus.org/v2/oauth2/authorize with response_type=code, PKCE S256, state
 *   (@globus/sdk core/authorization/RedirectTransport.js `send`; https://docs.globus.org/api/auth/reference/
 *   "Authorization Code Grant"); the code comes back on the redirect URI with the state.
 * - Token endpoint: POST https://auth.globus.org/v2/oauth2/token, form-encoded (@globus/sdk
 *   services/auth/service/oauth2/token.js). The code exchange answers the auth.globus.org token (with id_token when
 *   `openid` was asked, refresh_token with offline_access) and one token per other resource server in `other_tokens`
 *   (https://docs.globus.org/api/auth/reference/ "Token Response", "other_tokens"). A refresh answers one token, for
 *   the refresh token's server, with `other_tokens: []` (globus-sdk-python src/globus_sdk/_testing/data/auth/, the
 *   `/v2/oauth2/token` refresh fixture: transfer.api.globus.org, state "_default", other_tokens []). Tokens are opaque,
 *   expires_in 172800 (same sources).
 * - Transfer: GET /v0.10/endpoint_search (@globus/sdk services/transfer/service/endpoint-search.js), an
 *   `endpoint_list` document (https://docs.globus.org/api/transfer/endpoint_search/).
 * - Groups: GET /v2/groups/my_groups (@globus/sdk services/groups/service/groups.js; https://docs.globus.org/api/groups/).
 * - Each API answers 401 to a token not issued for its resource server, as Globus services do.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { nowSeconds, opaque, s256, signJwt } from '../jwt.js';
import type { SiteHandler } from '../server.js';
import { formBody, json, preflight, redirect } from '../site.js';

export const GLOBUS_AUTH = 'auth.globus.org';
/** The SDK's default Transfer host (services/transfer/config.js HOSTS.production). */
export const TRANSFER_HOST = 'transfer.api.globusonline.org';
export const GROUPS_HOST = 'groups.api.globus.org';
export const TRANSFER_SERVER = 'transfer.api.globus.org';
export const GROUPS_SERVER = 'groups.api.globus.org';
export const TRANSFER_SCOPE = 'urn:globus:auth:scope:transfer.api.globus.org:all';
export const GROUPS_SCOPE = 'urn:globus:auth:scope:groups.api.globus.org:view_my_groups_and_memberships';
export const GLOBUS_CLIENT_ID = '8f1c3e2a-5b7d-4e9f-a0c1-2d3e4f5a6b7c';
const USER = {
  sub: 'b2f7d3c1-9a4e-4f60-8d21-5c3b7a9e0f14',
  email: 'ada@research.example',
  name: 'Ada Researcher',
  preferred_username: 'ada@research.example',
  identity_provider: '41143743-f3c8-4d60-bbdb-eeecaba85bd9',
  organization: 'Research Example University',
};
const EXPIRES_IN = 172800;
/** The resource server of each scope string Globus Auth knows here. */
const SERVER_OF_SCOPE: Record<string, string> = {
  openid: GLOBUS_AUTH,
  profile: GLOBUS_AUTH,
  email: GLOBUS_AUTH,
  [TRANSFER_SCOPE]: TRANSFER_SERVER,
  [GROUPS_SCOPE]: GROUPS_SERVER,
};

export interface GlobusProvider {
  sites: Record<string, SiteHandler>;
  /** Access token -> the resource server it was issued for. */
  issued: Map<string, string>;
  /** Token requests answered, in order: grant type and the resource servers answered. */
  grants: Array<{ grant: string; servers: string[] }>;
}

interface Grant {
  challenge: string;
  redirectUri: string;
  scopes: string[];
}

/** The token of one resource server, in Globus Auth's shape. */
function token(issued: Map<string, string>, server: string, scopes: string[], refresh: boolean): Record<string, unknown> {
  const accessToken = opaque(48);
  issued.set(accessToken, server);
  return {
    access_token: accessToken,
    expires_in: EXPIRES_IN,
    resource_server: server,
    token_type: 'Bearer',
    state: '_default',
    scope: scopes.join(' '),
    ...(refresh ? { refresh_token: opaque(48) } : {}),
  };
}

/** Globus Auth, Transfer (at the SDK's default host) and Groups. */
export function globusProvider(): GlobusProvider {
  const issued = new Map<string, string>();
  const grants: GlobusProvider['grants'] = [];
  const codes = new Map<string, Grant>();
  /** refresh token -> its server and scopes. */
  const refreshTokens = new Map<string, { server: string; scopes: string[] }>();

  const answer = (server: string, scopes: string[], offline: boolean) => {
    const t = token(issued, server, scopes, offline);
    if (typeof t.refresh_token === 'string') refreshTokens.set(t.refresh_token, { server, scopes });
    return t;
  };

  async function tokenEndpoint(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const params = await formBody(req);
    const grantType = params.get('grant_type');
    if (params.get('client_id') !== GLOBUS_CLIENT_ID) return json(req, res, 401, { error: 'invalid_client' });
    if (grantType === 'authorization_code') {
      const code = params.get('code') ?? '';
      const grant = codes.get(code);
      codes.delete(code);
      if (!grant || grant.redirectUri !== params.get('redirect_uri') || s256(params.get('code_verifier') ?? '') !== grant.challenge)
        return json(req, res, 401, { error: 'invalid_grant' });
      const offline = grant.scopes.includes('offline_access');
      const byServer = new Map<string, string[]>();
      for (const scope of grant.scopes) {
        const server = SERVER_OF_SCOPE[scope];
        if (server) byServer.set(server, [...(byServer.get(server) ?? []), scope]);
      }
      const top = answer(GLOBUS_AUTH, byServer.get(GLOBUS_AUTH) ?? [], offline);
      const now = nowSeconds();
      const idToken = signJwt({
        iss: 'https://auth.globus.org',
        aud: GLOBUS_CLIENT_ID,
        azp: GLOBUS_CLIENT_ID,
        iat: now,
        exp: now + 3600,
        ...USER,
      });
      const others = [...byServer].filter(([server]) => server !== GLOBUS_AUTH).map(([server, scopes]) => answer(server, scopes, offline));
      grants.push({ grant: 'authorization_code', servers: [GLOBUS_AUTH, ...others.map((t) => String(t.resource_server))] });
      return json(req, res, 200, { ...top, id_token: idToken, other_tokens: others });
    }
    if (grantType === 'refresh_token') {
      const known = refreshTokens.get(params.get('refresh_token') ?? '');
      if (!known) return json(req, res, 401, { error: 'invalid_grant' });
      grants.push({ grant: 'refresh_token', servers: [known.server] });
      // A refresh answers its own server's token only (see the header).
      return json(req, res, 200, { ...answer(known.server, known.scopes, false), other_tokens: [] });
    }
    return json(req, res, 400, { error: 'unsupported_grant_type' });
  }

  const auth: SiteHandler = async (req, res) => {
    if (preflight(req, res)) return;
    const url = new URL(req.url ?? '/', `https://${GLOBUS_AUTH}`);
    if (url.pathname === '/v2/oauth2/authorize' && req.method === 'GET') {
      const p = url.searchParams;
      const redirectUri = p.get('redirect_uri') ?? '';
      if (p.get('client_id') !== GLOBUS_CLIENT_ID || p.get('response_type') !== 'code' || p.get('code_challenge_method') !== 'S256')
        return json(req, res, 400, { error: 'invalid_request' });
      const code = opaque(24);
      codes.set(code, {
        challenge: p.get('code_challenge') ?? '',
        redirectUri,
        scopes: (p.get('scope') ?? '').split(/\s+/).filter(Boolean),
      });
      const back = new URL(redirectUri);
      back.searchParams.set('code', code);
      if (p.has('state')) back.searchParams.set('state', p.get('state') ?? '');
      return redirect(res, back.href);
    }
    if (url.pathname === '/v2/oauth2/token' && req.method === 'POST') return tokenEndpoint(req, res);
    if (url.pathname === '/v2/oauth2/token/revoke' && req.method === 'POST') return json(req, res, 200, { active: false });
    json(req, res, 404, { code: 'NotFound' });
  };

  /** An API that accepts only tokens issued for `server`. */
  const api =
    (server: string, routes: Record<string, () => unknown>): SiteHandler =>
    (req, res) => {
      if (preflight(req, res)) return;
      const bearer = /^Bearer\s+(\S+)/i.exec(req.headers.authorization ?? '')?.[1] ?? '';
      if (issued.get(bearer) !== server)
        return json(req, res, 401, { code: 'AuthenticationFailed', message: `Token is not valid for ${server}` });
      const route = routes[new URL(req.url ?? '/', 'https://api.invalid').pathname];
      if (!route) return json(req, res, 404, { code: 'ClientError.NotFound' });
      json(req, res, 200, route());
    };

  return {
    issued,
    grants,
    sites: {
      [GLOBUS_AUTH]: auth,
      [TRANSFER_HOST]: api(TRANSFER_SERVER, {
        '/v0.10/endpoint_search': () => ({
          DATA_TYPE: 'endpoint_list',
          offset: 0,
          limit: 100,
          has_next_page: false,
          DATA: [{ DATA_TYPE: 'endpoint', id: '6c54cade-bde5-45c1-bdea-f4bd71dba2cc', display_name: 'Globus Tutorial Collection 1' }],
        }),
      }),
      [GROUPS_HOST]: api(GROUPS_SERVER, {
        '/v2/groups/my_groups': () => [{ id: 'c3d6e9f2-1a4b-4c7d-8e0f-2a3b4c5d6e7f', name: 'Research Example Lab', group_type: 'regular' }],
      }),
    },
  };
}
