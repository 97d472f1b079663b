/**
 * An Amazon Cognito user pool with its hosted UI (managed login) domain, the Cognito user pools API host, an API
 * Gateway HTTP API behind a JWT authorizer, and the shop app at `https://shop.cognito-demo.example`. Where each shape
 * comes from:
 * - what aws-amplify 6.22 (@aws-amplify/auth 6.21) sends: node_modules/@aws-amplify/auth/dist/esm/providers/cognito/
 *   apis/signInWithRedirect.mjs (`https://<domain>/oauth2/authorize` with redirect_uri, response_type, client_id,
 *   identity_provider=COGNITO, scope, state, code_challenge, code_challenge_method=S256),
 *   utils/oauth/completeOAuthFlow.mjs (POST `https://<domain>/oauth2/token`, form: grant_type=authorization_code, code,
 *   client_id, redirect_uri, code_verifier; reads access_token, id_token, refresh_token), utils/refreshAuthTokens.mjs and
 *   foundation/factories/serviceClients/cognitoIdentityProvider/ (the refresh: POST `https://cognito-idp.<region>.amazonaws.com/`,
 *   `x-amz-target: AWSCognitoIdentityProviderService.GetTokensFromRefreshToken`, `application/x-amz-json-1.1`,
 *   `{ClientId, RefreshToken}`), foundation/cognitoUserPoolEndpointResolver.mjs (that host, from the pool id's region);
 * - the hosted UI: https://docs.aws.amazon.com/cognito/latest/developerguide/authorization-endpoint.html (/oauth2/authorize
 *   sends the browser to the /login page, which answers the redirect_uri with `code` and `state`),
 *   https://docs.aws.amazon.com/cognito/latest/developerguide/token-endpoint.html (the token answer: access_token,
 *   id_token, refresh_token, token_type Bearer, expires_in 3600);
 * - the refresh answer: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_GetTokensFromRefreshToken.html
 *   (`AuthenticationResult` with AccessToken, IdToken, ExpiresIn, TokenType);
 * - the claims: https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-access-token.html
 *   (an access token has `client_id` and no `aud`, `token_use: access`, `scope`, `username`, `version: 2`) and
 *   .../amazon-cognito-user-pools-using-the-id-token.html (an ID token's `aud` is the app client id, `token_use: id`,
 *   `cognito:username`); a header of `kid` and `alg: RS256` only;
 * - custom scopes `<resource server identifier>/<scope>`: https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-define-resource-servers.html;
 * - the API: https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html (an HTTP API's JWT
 *   authorizer takes `Authorization: Bearer <token>`, checks `client_id` of an access token against its audience list,
 *   and the route's scopes).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SiteHandler } from '../server.js';
import { appSite, bundleApp, formBody, json, preflight, readBody, redirect } from '../site.js';
import { nowSeconds, opaque, signJwt } from '../jwt.js';

export const COGNITO_REGION = 'eu-west-1';
export const COGNITO_POOL_ID = `${COGNITO_REGION}_Sh0pD3m0x`;
export const COGNITO_CLIENT_ID = '4pq7mokl2c9r8s1tuv3wxyz0ab';
export const COGNITO_APP_HOST = 'shop.cognito-demo.example';
export const COGNITO_DOMAIN = `shop-demo.auth.${COGNITO_REGION}.amazoncognito.com`;
export const COGNITO_IDP_HOST = `cognito-idp.${COGNITO_REGION}.amazonaws.com`;
/** The orders API (an HTTP API): its resource server identifier in the pool is its own URL. */
export const ORDERS_API_HOST = `a1b2c3d4e5.execute-api.${COGNITO_REGION}.amazonaws.com`;
/** The admin API, another resource server of the pool: the misconfigured app client is also allowed its scope. */
export const ADMIN_API_HOST = `z9y8x7w6v5.execute-api.${COGNITO_REGION}.amazonaws.com`;
export const ORDERS_SCOPE = `https://${ORDERS_API_HOST}/orders.read`;
export const ADMIN_SCOPE = `https://${ADMIN_API_HOST}/users.admin`;

export interface CognitoRecord {
  /** `token` for each /oauth2/token code exchange, `GetTokensFromRefreshToken` for each refresh. */
  calls: string[];
  /** Each API call's answer status. */
  api: number[];
}

const issuer = `https://${COGNITO_IDP_HOST}/${COGNITO_POOL_ID}`;

/** Cognito's access and ID tokens for one sign-in (`scope` as granted). */
function tokens(scope: string, originJti: string): { access: string; id: string } {
  const iat = nowSeconds();
  const common = {
    sub: 'b2f4c6e8-1a3c-4e5f-8a7b-9c0d1e2f3a4b',
    iss: issuer,
    origin_jti: originJti,
    event_id: randomUUID(),
    auth_time: iat,
    exp: iat + 3600,
    iat,
    jti: randomUUID(),
  };
  // Cognito's JWT headers hold `kid` and `alg` only.
  const header = { typ: undefined };
  return {
    access: signJwt({ ...common, version: 2, client_id: COGNITO_CLIENT_ID, token_use: 'access', scope, username: 'shopper' }, header),
    id: signJwt(
      {
        ...common,
        at_hash: opaque(16),
        aud: COGNITO_CLIENT_ID,
        email_verified: true,
        'cognito:username': 'shopper',
        token_use: 'id',
        email: 'shopper@example.com',
      },
      header,
    ),
  };
}

/** The hosted UI domain: /oauth2/authorize, the /login page (which signs the user in at once), /oauth2/token. */
function hostedUi(record: CognitoRecord, issued: Map<string, string>, grantedScope: string): SiteHandler {
  const codes = new Map<string, { redirectUri: string; challenge: string }>();
  const refreshTokens = new Set<string>();
  return async (req, res) => {
    if (preflight(req, res)) return;
    const url = new URL(req.url ?? '/', `https://${COGNITO_DOMAIN}`);
    if (url.pathname === '/oauth2/authorize') return redirect(res, `/login${url.search}`);
    if (url.pathname === '/login' && req.method === 'GET') {
      // The managed login page: the form posts back to /login with the same query; here it submits itself.
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(
        `<!doctype html><title>Sign in</title><form method="post"><input name="username" value="shopper"><input name="password" type="password" value="correct horse"><button>Sign in</button></form><script>document.forms[0].submit()</script>`,
      );
      return;
    }
    if (url.pathname === '/login' && req.method === 'POST') {
      const code = randomUUID();
      codes.set(code, { redirectUri: url.searchParams.get('redirect_uri') ?? '', challenge: url.searchParams.get('code_challenge') ?? '' });
      const back = new URL(url.searchParams.get('redirect_uri') ?? '');
      back.search = new URLSearchParams({ code, state: url.searchParams.get('state') ?? '' }).toString();
      return redirect(res, back.href);
    }
    if (url.pathname === '/oauth2/token' && req.method === 'POST') {
      record.calls.push('token');
      const body = await formBody(req);
      const code = codes.get(body.get('code') ?? '');
      codes.delete(body.get('code') ?? '');
      if (
        body.get('grant_type') !== 'authorization_code' ||
        !code ||
        code.redirectUri !== body.get('redirect_uri') ||
        !body.get('code_verifier')
      )
        return json(req, res, 400, { error: 'invalid_grant' });
      const { access, id } = tokens(grantedScope, randomUUID());
      const refresh = `eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ.${opaque(256)}.${opaque(12)}.${opaque(300)}.${opaque(16)}`;
      issued.set(access, grantedScope);
      refreshTokens.add(refresh);
      return json(req, res, 200, { id_token: id, access_token: access, refresh_token: refresh, expires_in: 3600, token_type: 'Bearer' });
    }
    json(req, res, 404, { error: 'not_found' });
  };
}

/** `cognito-idp.<region>.amazonaws.com`: the user pools API, here its GetTokensFromRefreshToken operation only. */
function userPoolsApi(record: CognitoRecord, issued: Map<string, string>, grantedScope: string): SiteHandler {
  return async (req, res) => {
    if (preflight(req, res)) return;
    const target = String(req.headers['x-amz-target'] ?? '');
    const input = JSON.parse((await readBody(req)).toString('utf8') || '{}') as { ClientId?: string; RefreshToken?: string };
    record.calls.push(target.replace('AWSCognitoIdentityProviderService.', ''));
    const headers = { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID() };
    if (
      target !== 'AWSCognitoIdentityProviderService.GetTokensFromRefreshToken' ||
      input.ClientId !== COGNITO_CLIENT_ID ||
      !input.RefreshToken
    )
      return json(req, res, 400, { __type: 'NotAuthorizedException', message: 'Invalid Refresh Token' }, headers);
    const { access, id } = tokens(grantedScope, randomUUID());
    issued.set(access, grantedScope);
    json(req, res, 200, { AuthenticationResult: { AccessToken: access, ExpiresIn: 3600, IdToken: id, TokenType: 'Bearer' } }, headers);
  };
}

/** An HTTP API behind a Cognito JWT authorizer: a known access token of the app client, with `scope` among its scopes. */
function httpApi(record: CognitoRecord, issued: Map<string, string>, scope: string, answer: unknown): SiteHandler {
  return (req: IncomingMessage, res: ServerResponse) => {
    if (preflight(req, res)) return;
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
    const ok = (issued.get(bearer) ?? '').split(' ').includes(scope);
    record.api.push(ok ? 200 : 401);
    if (!ok) return json(req, res, 401, { message: 'Unauthorized' });
    json(req, res, 200, answer);
  };
}

/** Every host of the Cognito test. The misconfigured app client is allowed, and asks for, the admin API's scope too. */
export function cognitoSites(options: { misconfigured: boolean }): { sites: Record<string, SiteHandler>; record: CognitoRecord } {
  const record: CognitoRecord = { calls: [], api: [] };
  const issued = new Map<string, string>();
  const scopes = ['openid', 'email', 'profile', ORDERS_SCOPE, ...(options.misconfigured ? [ADMIN_SCOPE] : [])];
  const granted = scopes.join(' ');
  const sites: Record<string, SiteHandler> = {
    [COGNITO_APP_HOST]: appSite({
      title: 'Shop (Amplify + Cognito)',
      script: bundleApp(new URL('../apps/cognito-app.ts', import.meta.url)),
      config: {
        userPoolId: COGNITO_POOL_ID,
        userPoolClientId: COGNITO_CLIENT_ID,
        domain: COGNITO_DOMAIN,
        scopes,
        api: `https://${ORDERS_API_HOST}/prod/orders`,
      },
      buttons: ['signin', 'api', 'refresh'],
    }),
    [COGNITO_DOMAIN]: hostedUi(record, issued, granted),
    [COGNITO_IDP_HOST]: userPoolsApi(record, issued, granted),
    [ORDERS_API_HOST]: httpApi(record, issued, ORDERS_SCOPE, { orders: [{ orderId: 'o-1001', total: 42.5 }] }),
    [ADMIN_API_HOST]: httpApi(record, issued, ADMIN_SCOPE, { users: [] }),
  };
  return { sites, record };
}
