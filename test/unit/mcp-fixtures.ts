/**
 * An MCP client's sign-in as steps and an exchange, shaped as @modelcontextprotocol/sdk 1.32.2's client sends and its
 * server answers (node_modules/@modelcontextprotocol/sdk/dist/esm/client/auth.js: `extractWWWAuthenticateParams`,
 * `discoverOAuthProtectedResourceMetadata` with the `MCP-Protocol-Version` header, `buildDiscoveryUrls`,
 * `registerClient` (a JSON POST of the client metadata), `startAuthorization` (with `resource`), `exchangeAuthorization`
 * (with `resource`); dist/esm/server/auth/router.js `mcpAuthMetadataRouter`: the metadata at
 * `/.well-known/oauth-protected-resource<path>` with `resource` = the server URL; dist/esm/server/auth/middleware/
 * bearerAuth.js: the 401's `WWW-Authenticate: Bearer error="invalid_token", ..., resource_metadata="<url>"`).
 * The registration answer's values are RFC 7591 s3.2.1's example (https://www.rfc-editor.org/rfc/rfc7591#section-3.2.1).
 */
import { fingerprint } from '../../src/core/sha256.js';
import type { SignInStep } from '../../src/core/sign-in/types.js';
import type { CapturedExchange } from '../../src/core/types.js';
import { jwt, NOW_S } from './helpers.js';
import { RFC7636_CHALLENGE, RFC7636_VERIFIER } from './sign-in-fixtures.js';

export const MCP_URL = 'https://mcp.example.com/mcp';
export const PRM_URL = 'https://mcp.example.com/.well-known/oauth-protected-resource/mcp';
export const AS = 'https://auth.example.com';
export const CLIENT_ID = 's6BhdRkqt3';
/** RFC 7591 s3.2.1's example secrets: never to appear in a report. */
export const CLIENT_SECRET = 'cf136dc3c1fc93f31185e5885805d';
export const REGISTRATION_TOKEN = 'this.is.an.access.token.value.ffx83';
const REDIRECT = 'https://inspector.example.com/oauth/callback';
const at = (seconds: number) => new Date(Date.parse('2026-01-10T10:00:00.000Z') + seconds * 1000).toISOString();

export interface McpFlow {
  /** The metadata's `resource` (default: the MCP server's URL). */
  metadataResource?: string;
  authorizationServers?: string[];
  /** The `resource` sent at authorize and token (null: none, as a client with `validateResourceURL` answering undefined). */
  resource?: string | null;
  aud?: string | string[];
  iss?: string;
  /** Whether the client is an MCP client (it sends MCP-Protocol-Version). */
  mcp?: boolean;
}

export const ACCESS_CLAIMS = (flow: McpFlow) => ({
  iss: flow.iss ?? AS,
  sub: 'user-1',
  aud: flow.aud ?? MCP_URL,
  client_id: CLIENT_ID,
  scope: 'mcp:tools',
  iat: NOW_S - 10,
  exp: NOW_S + 3600,
});

export function accessToken(flow: McpFlow = {}): string {
  return jwt(ACCESS_CLAIMS(flow));
}

export const accessFingerprint = (flow: McpFlow = {}) => fingerprint(accessToken(flow));

/** The steps: 401, protected-resource metadata, authorization-server metadata, registration, authorize, callback. */
export function mcpSteps(flow: McpFlow = {}): SignInStep[] {
  const version = flow.mcp === false ? null : '2025-06-18';
  const resource = flow.resource === undefined ? MCP_URL : flow.resource;
  const authorize = new URL(`${AS}/authorize`);
  authorize.search = new URLSearchParams({
    response_type: 'code',
    client_id: CLIENT_ID,
    code_challenge: RFC7636_CHALLENGE,
    code_challenge_method: 'S256',
    redirect_uri: REDIRECT,
    state: 'af0ifjsldkj',
    scope: 'mcp:tools',
    ...(resource ? { resource } : {}),
  }).toString();
  return [
    {
      url: MCP_URL,
      method: 'POST',
      at: at(0),
      status: 401,
      wwwAuthenticate: `Bearer error="invalid_token", error_description="Missing Authorization header", resource_metadata="${PRM_URL}"`,
    },
    {
      url: PRM_URL,
      method: 'GET',
      at: at(1),
      status: 200,
      mcpProtocolVersion: version,
      responseBody: JSON.stringify({
        resource: flow.metadataResource ?? MCP_URL,
        authorization_servers: flow.authorizationServers ?? [AS],
        scopes_supported: ['mcp:tools'],
        resource_name: 'Example MCP server',
      }),
    },
    {
      url: `${AS}/.well-known/oauth-authorization-server`,
      method: 'GET',
      at: at(2),
      status: 200,
      mcpProtocolVersion: version,
      responseBody: JSON.stringify({
        issuer: AS,
        authorization_endpoint: `${AS}/authorize`,
        token_endpoint: `${AS}/token`,
        registration_endpoint: `${AS}/register`,
        response_types_supported: ['code'],
        code_challenge_methods_supported: ['S256'],
      }),
    },
    {
      url: `${AS}/register`,
      method: 'POST',
      at: at(3),
      status: 201,
      body: JSON.stringify({
        redirect_uris: [REDIRECT],
        client_name: 'MCP Inspector',
        grant_types: ['authorization_code', 'refresh_token'],
      }),
      responseBody: JSON.stringify({
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        registration_access_token: REGISTRATION_TOKEN,
        client_id_issued_at: 2893256800,
        client_secret_expires_at: 2893276800,
        redirect_uris: [REDIRECT],
        client_name: 'MCP Inspector',
        token_endpoint_auth_method: 'client_secret_basic',
      }),
    },
    { url: authorize.href, method: 'GET', at: at(4), frame: 'top' },
    { url: `${REDIRECT}?code=SplxlOBeZQQYbYS6WxSbIA&state=af0ifjsldkj`, method: 'GET', at: at(6), frame: 'top' },
  ];
}

/** The code exchange the SDK's `exchangeAuthorization` makes, answered with a JWT access token. */
export function mcpExchange(flow: McpFlow = {}): CapturedExchange {
  const resource = flow.resource === undefined ? MCP_URL : flow.resource;
  const body = new URLSearchParams({
    grant_type: 'authorization_code',
    code: 'SplxlOBeZQQYbYS6WxSbIA',
    code_verifier: RFC7636_VERIFIER,
    redirect_uri: REDIRECT,
    client_id: CLIENT_ID,
    ...(resource ? { resource } : {}),
  });
  return {
    url: `${AS}/token`,
    method: 'POST',
    status: 200,
    startedAt: at(7),
    source: 'har',
    request: { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: body.toString() },
    response: {
      contentType: 'application/json',
      body: JSON.stringify({ access_token: accessToken(flow), token_type: 'Bearer', expires_in: 3600, scope: 'mcp:tools' }),
    },
  };
}
