/**
 * Microsoft Entra ID (v2.0 endpoints) and Microsoft Graph at their real hostnames, for @azure/msal-browser 5.29
 * (test/tls/apps/msal-app.ts). An API "orders" whose Application ID URI is a name (`api://orders-api`) and which
 * issues v2.0 access tokens (its `aud` is its application id, a GUID).
 *
 * Where each shape comes from:
 * - Endpoints: @azure/msal-common dist/authority/AuthorityMetadata.mjs (msal's hard-coded metadata for
 *   login.microsoftonline.com: /{tenant}/oauth2/v2.0/authorize, /token, /logout, /discovery/v2.0/keys, issuer
 *   https://login.microsoftonline.com/{tenant}/v2.0), served too as /{tenant}/v2.0/.well-known/openid-configuration
 *   and /common/discovery/instance (same file's instanceDiscoveryMetadata) should msal ask.
 * - Authorization response: `code`, `state`, `client_info` in the fragment (response_mode=fragment, msal's default)
 *   https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow#successful-response ;
 *   `client_info` = base64url {"uid","utid"} (msal-common dist/account/ClientInfo.mjs buildClientInfo).
 * - Token response: token_type, scope, expires_in, ext_expires_in, access_token, refresh_token, id_token,
 *   client_info (same page, "Successful response" of the token request and the refresh request; msal-common
 *   response/ServerAuthorizationTokenResponse). Graph's scopes come back short ("User.Read"), an API's with its URI
 *   ("api://orders-api/Orders.Read") (learn.microsoft.com .../scopes-oidc "Scopes and permissions").
 * - Access tokens: https://learn.microsoft.com/en-us/entra/identity-platform/access-token-claims-reference : v2.0
 *   tokens carry the API's application id in `aud`, iss https://login.microsoftonline.com/{tid}/v2.0, `azp`, `scp`,
 *   ver "2.0"; Graph's tokens are v1.0: aud its application id 00000003-0000-0000-c000-000000000000
 *   (https://learn.microsoft.com/en-us/troubleshoot/entra/entra-id/governance/verify-first-party-apps-sign-in),
 *   iss https://sts.windows.net/{tid}/, `appid`, ver "1.0".
 * - ID tokens: https://learn.microsoft.com/en-us/entra/identity-platform/id-token-claims-reference (aud = the client
 *   id, iss v2.0, nonce, oid, tid, sub, preferred_username, name, ver "2.0").
 * - Graph: GET https://graph.microsoft.com/v1.0/me (https://learn.microsoft.com/en-us/graph/api/user-get).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { b64url, jwks, nowSeconds, opaque, s256, signJwt } from '../jwt.js';
import type { SiteHandler } from '../server.js';
import { formBody, json, preflight, redirect } from '../site.js';

export const ENTRA_HOST = 'login.microsoftonline.com';
export const GRAPH_HOST = 'graph.microsoft.com';
export const TENANT_ID = '72f988bf-0000-4c1a-9d3e-5b7a1c2d3e4f';
export const ENTRA_CLIENT_ID = '4a1b9c2d-7e3f-4a5b-8c6d-0e1f2a3b4c5d';
export const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
export const ORDERS_URI = 'api://orders-api';
export const ORDERS_APP_ID = '6d2f8e41-3c5a-4b7e-9f10-2a4c6e8b0d13';
export const ORDERS_SCOPE = `${ORDERS_URI}/Orders.Read`;
/** Another API of the tenant (the misconfiguration's extra audience). */
export const INVOICES_APP_ID = 'b93e5a27-1f4d-4c8b-a6e2-7d0c9b3f5e81';
const USER = { oid: '1f3e5d7c-9b2a-4c6e-8d0f-a1b3c5d7e9f2', name: 'Megan Bowen', preferred_username: 'megan@contoso.example' };
const ISSUER_V2 = `https://${ENTRA_HOST}/${TENANT_ID}/v2.0`;
const OIDC_SCOPES = new Set(['openid', 'profile', 'email', 'offline_access']);

export interface EntraOptions {
  /** The misconfiguration: the orders API's tokens also name another API in `aud`. */
  ordersExtraAudience?: string;
}

export interface EntraProvider {
  sites: Record<string, SiteHandler>;
  /** Token requests answered: grant type and the scope answered. */
  grants: Array<{ grant: string; scope: string }>;
}

interface CodeGrant {
  challenge: string;
  redirectUri: string;
  scope: string;
  nonce: string | null;
}

const clientInfo = () => b64url(JSON.stringify({ uid: USER.oid, utid: TENANT_ID }));

/** The access token for what `scopes` ask: Graph (v1.0) unless they name the orders API (v2.0). */
function accessToken(scopes: string[], extraAudience: string | undefined): { token: string; scope: string } {
  const now = nowSeconds();
  const common = { iat: now, nbf: now, exp: now + 3600, tid: TENANT_ID, oid: USER.oid, sub: opaque(16), uti: opaque(12), rh: '0.AXEA' };
  const apiScopes = scopes.filter((s) => !OIDC_SCOPES.has(s));
  if (apiScopes.some((s) => s.startsWith(`${ORDERS_URI}/`))) {
    const names = apiScopes.map((s) => s.slice(ORDERS_URI.length + 1));
    const aud = extraAudience ? [ORDERS_APP_ID, extraAudience] : ORDERS_APP_ID;
    const claims = { aud, iss: ISSUER_V2, azp: ENTRA_CLIENT_ID, azpacr: '0', scp: names.join(' '), ver: '2.0', name: USER.name, ...common };
    return { token: signJwt(claims), scope: apiScopes.join(' ') };
  }
  // Graph: "User.Read" or "https://graph.microsoft.com/User.Read" asked; answered short, with the OIDC scopes.
  const names = apiScopes.map((s) => s.replace(/^https:\/\/graph\.microsoft\.com\//, ''));
  const scp = [...names, ...scopes.filter((s) => s === 'openid' || s === 'profile' || s === 'email')].join(' ');
  const claims = { aud: GRAPH_APP_ID, iss: `https://sts.windows.net/${TENANT_ID}/`, appid: ENTRA_CLIENT_ID, scp, ver: '1.0', ...common };
  // Graph's tokens carry a `nonce` in their header: not for the client to validate (access-token-claims-reference, "Validate tokens").
  return { token: signJwt(claims, { nonce: opaque(16) }), scope: scp };
}

export function entraProvider(options: EntraOptions = {}): EntraProvider {
  const grants: EntraProvider['grants'] = [];
  const codes = new Map<string, CodeGrant>();
  const refreshTokens = new Set<string>();
  const graphTokens = new Set<string>();
  const base = `/${TENANT_ID}`;

  function tokenResponse(scope: string, nonce: string | null): Record<string, unknown> {
    const scopes = scope.split(/\s+/).filter(Boolean);
    const { token, scope: granted } = accessToken(scopes, options.ordersExtraAudience);
    if (!scopes.some((s) => s.startsWith(`${ORDERS_URI}/`))) graphTokens.add(token);
    const now = nowSeconds();
    const idToken = signJwt({
      aud: ENTRA_CLIENT_ID,
      iss: ISSUER_V2,
      iat: now,
      nbf: now,
      exp: now + 3600,
      sub: opaque(16),
      tid: TENANT_ID,
      ver: '2.0',
      uti: opaque(12),
      rh: '0.AXEA',
      ...USER,
      ...(nonce ? { nonce } : {}),
    });
    const refreshToken = opaque(64);
    refreshTokens.add(refreshToken);
    return {
      token_type: 'Bearer',
      scope: granted,
      expires_in: 3599,
      ext_expires_in: 3599,
      access_token: token,
      refresh_token: refreshToken,
      id_token: idToken,
      client_info: clientInfo(),
    };
  }

  async function token(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const p = await formBody(req);
    if (p.get('client_id') !== ENTRA_CLIENT_ID) return json(req, res, 400, { error: 'unauthorized_client' });
    const grant = p.get('grant_type') ?? '';
    if (grant === 'authorization_code') {
      const code = codes.get(p.get('code') ?? '');
      codes.delete(p.get('code') ?? '');
      if (!code || code.redirectUri !== p.get('redirect_uri') || s256(p.get('code_verifier') ?? '') !== code.challenge)
        return json(req, res, 400, { error: 'invalid_grant', error_description: 'AADSTS70008: the code is invalid.' });
      grants.push({ grant, scope: code.scope });
      return json(req, res, 200, tokenResponse(code.scope, code.nonce));
    }
    if (grant === 'refresh_token') {
      if (!refreshTokens.has(p.get('refresh_token') ?? ''))
        return json(req, res, 400, { error: 'invalid_grant', error_description: 'AADSTS9002313: invalid refresh token.' });
      const scope = p.get('scope') ?? '';
      grants.push({ grant, scope });
      return json(req, res, 200, tokenResponse(scope, null));
    }
    json(req, res, 400, { error: 'unsupported_grant_type' });
  }

  const login: SiteHandler = async (req, res) => {
    if (preflight(req, res)) return;
    const url = new URL(req.url ?? '/', `https://${ENTRA_HOST}`);
    const path = url.pathname;
    if (path === `${base}/oauth2/v2.0/authorize` && req.method === 'GET') {
      const p = url.searchParams;
      if (p.get('client_id') !== ENTRA_CLIENT_ID || p.get('code_challenge_method') !== 'S256')
        return json(req, res, 400, { error: 'invalid_request' });
      const code = opaque(48);
      const redirectUri = p.get('redirect_uri') ?? '';
      codes.set(code, { challenge: p.get('code_challenge') ?? '', redirectUri, scope: p.get('scope') ?? '', nonce: p.get('nonce') });
      const fields = new URLSearchParams({ code, client_info: clientInfo(), state: p.get('state') ?? '', session_state: opaque(12) });
      const back = p.get('response_mode') === 'query' ? `${redirectUri}?${fields}` : `${redirectUri}#${fields}`;
      return redirect(res, back);
    }
    if (path === `${base}/oauth2/v2.0/token` && req.method === 'POST') return token(req, res);
    if (path === `${base}/discovery/v2.0/keys`) return json(req, res, 200, jwks());
    if (path === `${base}/v2.0/.well-known/openid-configuration`)
      return json(req, res, 200, {
        issuer: ISSUER_V2,
        authorization_endpoint: `https://${ENTRA_HOST}${base}/oauth2/v2.0/authorize`,
        token_endpoint: `https://${ENTRA_HOST}${base}/oauth2/v2.0/token`,
        end_session_endpoint: `https://${ENTRA_HOST}${base}/oauth2/v2.0/logout`,
        jwks_uri: `https://${ENTRA_HOST}${base}/discovery/v2.0/keys`,
        response_modes_supported: ['query', 'fragment', 'form_post'],
        scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      });
    if (path === '/common/discovery/instance')
      return json(req, res, 200, {
        tenant_discovery_endpoint: `https://${ENTRA_HOST}${base}/v2.0/.well-known/openid-configuration`,
        'api-version': '1.1',
        metadata: [{ preferred_network: ENTRA_HOST, preferred_cache: 'login.windows.net', aliases: [ENTRA_HOST, 'login.windows.net'] }],
      });
    json(req, res, 404, { error: 'not_found' });
  };

  const graph: SiteHandler = (req, res) => {
    if (preflight(req, res)) return;
    const bearer = /^Bearer\s+(\S+)/i.exec(req.headers.authorization ?? '')?.[1] ?? '';
    if (!graphTokens.has(bearer))
      return json(req, res, 401, { error: { code: 'InvalidAuthenticationToken', message: 'Access token validation failure.' } });
    if (new URL(req.url ?? '/', `https://${GRAPH_HOST}`).pathname !== '/v1.0/me')
      return json(req, res, 404, { error: { code: 'Request_ResourceNotFound' } });
    json(req, res, 200, {
      '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#users/$entity',
      id: USER.oid,
      displayName: USER.name,
      userPrincipalName: USER.preferred_username,
      mail: USER.preferred_username,
    });
  };

  return { grants, sites: { [ENTRA_HOST]: login, [GRAPH_HOST]: graph } };
}
