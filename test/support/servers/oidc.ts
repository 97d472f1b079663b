// A real OpenID provider (oidc-provider) plus a single-page app using oidc-client-ts, for browser tests.
// Both listen on 127.0.0.1 (port 0), plain http, on different ports (so different origins).
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import Provider, { errors, type JwtStructuredToken } from 'oidc-provider';
import { closeServer, deferredServer, listen, send } from '../../../scripts/lib/http.mjs';
import { bundleApp } from './bundle.js';

export interface OidcSetup {
  appUrl: string;
  appOrigin: string;
  issuer: string;
  tokenEndpoint: string;
  apiResource: string;
  clientId: string;
  close(): Promise<void>;
}

const API_RESOURCE = 'https://api.example.test';
const API_SCOPES = 'api:read api:write';
const CLIENT_ID = 'tokenscope-spa';
const IMPLICIT_CLIENT_ID = 'tokenscope-implicit';
const APP_SCOPE = 'openid profile api:read';
const ACCOUNT_ID = 'user-1';

/** The client SDK the test app signs in with. */
export type OidcApp = 'oidc-client-ts' | 'oauth4webapi' | 'axa-oidc-client';
const APP_ENTRIES: Record<OidcApp, string> = {
  'oidc-client-ts': './oidc-app.ts',
  oauth4webapi: './oauth4-app.ts',
  'axa-oidc-client': './axa-app.ts',
};
/** The app's script (oidc-app.ts with oidc-client-ts, oauth4-app.ts with oauth4webapi, axa-app.ts with @axa-fr/oidc-client). */
const require = createRequire(import.meta.url);
const appBundle = (app: OidcApp): Promise<string> => bundleApp(new URL(APP_ENTRIES[app], import.meta.url));

function appHtml(config: Record<string, string>): string {
  const json = JSON.stringify(config).replace(/</g, '\\u003c');
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>OIDC test app</title></head>
<body>
<h1>OIDC test app</h1>
<button id="signin">Sign in</button>
<button id="signin-popup">Sign in (popup)</button>
<button id="refresh">Refresh</button>
<button id="silent">Sign in silently</button>
<button id="implicit">Sign in (implicit)</button>
<button id="call-api">Call the API</button>
<pre id="status">loading</pre>
<script id="config" type="application/json">${json}</script>
<script src="/app.js"></script>
</body></html>`;
}

/** The provider's configuration: one public client (code + PKCE, refresh tokens), the API as a resource indicator, JWT access tokens. */
function providerConfig(redirectUri: string, extraAudience: string | undefined, apiResource = API_RESOURCE): Record<string, unknown> {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), alg: 'RS256', use: 'sig' };
  return {
    clients: [
      {
        client_id: CLIENT_ID,
        application_type: 'web',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: [redirectUri, redirectUri.replace(/\/callback$/, '/silent')],
      },
      {
        // The implicit flow RFC 9700 s2.1.2 says not to use: tokens come back in the redirect URI's fragment.
        client_id: IMPLICIT_CLIENT_ID,
        // 'native': oidc-provider refuses http redirect URIs for a web client using the implicit flow.
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        grant_types: ['implicit'],
        response_types: ['id_token token'],
        redirect_uris: [redirectUri.replace(/\/callback$/, '/implicit')],
      },
    ],
    responseTypes: ['code', 'id_token token'],
    jwks: { keys: [signingKey] },
    cookies: { keys: [randomUUID()] },
    claims: { openid: ['sub'], profile: ['name', 'preferred_username'] },
    findAccount: async (_ctx: unknown, sub: string) => ({
      accountId: sub,
      claims: async () => ({ sub, name: 'Test User', preferred_username: 'test.user' }),
    }),
    pkce: { required: () => true },
    // Same rule as v9's default (a public client's redirect origins), set explicitly to silence its notice.
    clientBasedCORS: (_ctx: unknown, origin: string, client: { redirectUris: string[] }) =>
      client.redirectUris.some((uri) => new URL(uri).origin === origin),
    features: {
      devInteractions: { enabled: false },
      resourceIndicators: oneResourceServer(apiResource, API_SCOPES),
    },
    formats: { customizers: { jwt: addAudience(extraAudience) } },
    // The provider drops offline_access without prompt=consent; issue refresh tokens regardless.
    issueRefreshToken: async (_ctx: unknown, client: { grantTypeAllowed(type: string): boolean }) =>
      client.grantTypeAllowed('refresh_token'),
    ttl: {
      AccessToken: 3600,
      AuthorizationCode: 60,
      IdToken: 3600,
      Interaction: 600,
      Session: 3600,
      Grant: 3600,
      RefreshToken: 86400,
    },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
  };
}

/** Login and consent without a page: the test account, and every scope asked for (or, with `deny`, consent refused). */
/**
 * oidc-provider's `features.resourceIndicators` (RFC 8707) for one resource server, `resource`: JWT access tokens
 * (RS256, an hour) with `scope`; a client that names no resource gets its token too; any other resource is refused.
 */
export function oneResourceServer(resource: string, scope: string) {
  return {
    enabled: true,
    defaultResource: async (_ctx: unknown, _client: unknown, oneOf?: string[]) => oneOf ?? resource,
    useGrantedResource: async () => true,
    getResourceServerInfo: async (_ctx: unknown, resourceIndicator: string) => {
      if (resourceIndicator !== resource) throw new errors.InvalidTarget();
      return {
        scope,
        audience: resource,
        accessTokenTTL: 3600,
        accessTokenFormat: 'jwt' as const,
        jwt: { sign: { alg: 'RS256' as const } },
      };
    },
  };
}

/** The JWT customizer that adds `extra` (when given) to the access token's `aud`: one token accepted by two servers. */
export function addAudience(extra: string | undefined) {
  return async (_ctx: unknown, _token: unknown, jwt: JwtStructuredToken) => {
    if (!extra) return;
    const aud = jwt.payload.aud;
    jwt.payload.aud = [...(Array.isArray(aud) ? aud : aud ? [aud] : []), extra];
  };
}

export async function interaction(
  provider: Provider,
  req: IncomingMessage,
  res: ServerResponse,
  deny = false,
  refusedActions: readonly string[] = [],
): Promise<void> {
  const details = await provider.interactionDetails(req, res);
  if (details.prompt.name === 'login') {
    await provider.interactionFinished(req, res, { login: { accountId: ACCOUNT_ID } }, { mergeWithLastSubmission: false });
    return;
  }
  if (details.prompt.name === 'consent' && deny) {
    await provider.interactionFinished(
      req,
      res,
      { error: 'access_denied', error_description: 'The user refused consent.' },
      { mergeWithLastSubmission: false },
    );
    return;
  }
  if (details.prompt.name === 'consent') {
    const accountId = details.session?.accountId ?? ACCOUNT_ID;
    const clientId = String(details.params.client_id ?? CLIENT_ID);
    const grant = (details.grantId ? await provider.Grant.find(details.grantId) : undefined) ?? new provider.Grant({ accountId, clientId });
    const missing = details.prompt.details;
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
      grant.addResourceScope(indicator, scopes.join(' '));
    }
    // RFC 9396: the user consents to each detail asked for, without the actions the test says the user refuses.
    for (const detail of (missing.rar ?? []) as Array<{ type: string; actions?: string[] }>) {
      const actions = detail.actions?.filter((action) => !refusedActions.includes(action));
      // `addRar` is oidc-provider 9's (lib/models/grant.js); its @types package predates it.
      (grant as unknown as { addRar(detail: unknown): void }).addRar(actions ? { ...detail, actions } : detail);
    }
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
    return;
  }
  res.statusCode = 400;
  res.end(`unexpected prompt ${details.prompt.name}`);
}

/**
 * @axa-fr/oidc-client's service-worker mode as its README sets it up: OidcServiceWorker.js copied unchanged from
 * @axa-fr/oidc-client-service-worker's dist (its `copy-service-worker-files.mjs`), and the site's own
 * OidcTrustedDomains.js listing the provider's origin (the worker refuses a token endpoint outside it).
 */
function axaServiceWorkerFiles(issuer: string): Map<string, string> {
  const worker = readFileSync(require.resolve('@axa-fr/oidc-client-service-worker'), 'utf8');
  const trusted = `const trustedDomains = { default: { oidcDomains: [${JSON.stringify(issuer)}], accessTokenDomains: [${JSON.stringify(API_RESOURCE)}] } };\n`;
  return new Map([
    ['/OidcServiceWorker.js', worker],
    ['/OidcTrustedDomains.js', trusted],
  ]);
}

/** The nonce the test API demands (RFC 9449 s9), the one its example uses. */
const RESOURCE_NONCE = 'eyJ7S_zG.eyJH0-Z.HX4w-7v';

/**
 * The DPoP test API: any GET answered (the proof is not checked: the analysis is under test, not the API), CORS for the
 * other host name. `resourceNonce`: a call whose proof carries no nonce is answered as RFC 9449 s9 says, 401
 * `WWW-Authenticate: DPoP error="use_dpop_nonce"` with a `DPoP-Nonce`.
 */
function answerApi(req: IncomingMessage, res: ServerResponse, resourceNonce: boolean): void {
  res.setHeader('access-control-allow-origin', '*');
  res.setHeader('access-control-allow-headers', 'authorization, dpop');
  res.setHeader('access-control-expose-headers', 'dpop-nonce, www-authenticate');
  if (req.method === 'OPTIONS') {
    res.statusCode = 204;
    res.end();
    return;
  }
  const proof = String(req.headers.dpop ?? '').split('.')[1] ?? '';
  const claims = (() => {
    try {
      return JSON.parse(Buffer.from(proof, 'base64url').toString('utf8')) as { nonce?: string };
    } catch {
      return {};
    }
  })();
  if (resourceNonce && claims.nonce !== RESOURCE_NONCE) {
    res.setHeader('www-authenticate', 'DPoP error="use_dpop_nonce", error_description="Resource server requires nonce in DPoP proof"');
    res.setHeader('dpop-nonce', RESOURCE_NONCE);
    send(res, 401, 'application/json', '{"error":"use_dpop_nonce"}');
    return;
  }
  send(res, 200, 'application/json', '{"ok":true}');
}

export interface OidcOptions {
  extraAudience?: string;
  /** The scope the app asks for (default: openid profile api:read). */
  scope?: string;
  /** Refuse consent: the redirect URI gets error=access_denied. */
  denyConsent?: boolean;
  /** The client SDK (default oidc-client-ts). */
  app?: OidcApp;
  /**
   * DPoP (RFC 9449) with a server nonce demanded (oidc-provider's `features.dPoP` with `nonceSecret` and
   * `requireNonce`: node_modules/oidc-provider/lib/helpers/defaults.js), the app's own `/api` as the resource
   * server; `fault: 'bearer'`: the app sends the bound token with the Bearer scheme; `'other-host'`: to the API under
   * the host name localhost; `resourceNonce`: the API demands a nonce of its own first (RFC 9449 s9), which the app
   * retries with; `xhr`: the app makes its discovery and API calls with XMLHttpRequest (oauth4webapi's `customFetch`).
   * Use with app 'oauth4webapi' (which then signs in with DPoP).
   */
  dpop?: { fault?: 'bearer' | 'other-host'; resourceNonce?: boolean; xhr?: boolean };
  /**
   * Rich authorization requests (RFC 9396, oidc-provider's `features.richAuthorizationRequests`): the app asks for
   * `details` at /auth; at consent the user grants each without the `refusedActions`. The details the grant holds go
   * to the code, the access token (its JWT claim) and the token response (node_modules/oidc-provider/lib/helpers/
   * grant_common.js `authorizationDetails: at.rar`). Use with the default app (oidc-client-ts).
   */
  rar?: { details: Array<{ type: string; actions?: string[]; locations?: string[] }>; refusedActions?: string[] };
}

/** oidc-provider's RAR feature for the details' types: any detail of a known type with a list of actions is valid. */
function rarFeature(types: readonly string[]): Record<string, unknown> {
  const validate = async (_ctx: unknown, detail: { actions?: unknown }) => {
    // lib/helpers/errors.js has InvalidAuthorizationDetails; the @types package does not.
    const Invalid = (errors as unknown as Record<string, new (description: string) => Error>).InvalidAuthorizationDetails as new (
      description: string,
    ) => Error;
    if (!Array.isArray(detail.actions)) throw new Invalid('actions must be a list');
  };
  return {
    enabled: true,
    types: Object.fromEntries(types.map((type) => [type, { validate }])),
    // The code carries what the user consented to (the grant's details); each access token all of the code's.
    authorizationDetailsForGrantSource: async (ctx: { oidc: { grant?: { rar?: unknown[] } } }) => ctx.oidc.grant?.rar,
    authorizationDetailsForAccessToken: async (_ctx: unknown, _token: unknown, source: { rar?: unknown[] } | undefined) => source?.rar,
    authorizationDetailsForIntrospection: async (_ctx: unknown, token: { rar?: unknown[] }) => token.rar,
  };
}

export async function startOidc(options: OidcOptions = {}): Promise<OidcSetup> {
  const bundle = appBundle(options.app ?? 'oidc-client-ts');
  // Listen first so the issuer and redirect_uri are known before the provider is built.
  const op = deferredServer();
  const app = deferredServer();
  const [opPort, appPort] = await Promise.all([listen(op.server), listen(app.server)]);
  const issuer = `http://127.0.0.1:${opPort}`;
  const appOrigin = `http://127.0.0.1:${appPort}`;
  const redirectUri = `${appOrigin}/callback`;

  const apiResource = options.dpop ? `${appOrigin}/api` : API_RESOURCE;
  const config = providerConfig(redirectUri, options.extraAudience, apiResource);
  if (options.dpop)
    (config.features as Record<string, unknown>).dPoP = { enabled: true, nonceSecret: randomBytes(32), requireNonce: () => true };
  if (options.rar) {
    const types = [...new Set(options.rar.details.map((d) => d.type))];
    (config.features as Record<string, unknown>).richAuthorizationRequests = rarFeature(types);
    // RFC 9396 s10: the client's registered `authorization_details_types` (oidc-provider refuses other types).
    for (const client of config.clients as Array<Record<string, unknown>>) client.authorization_details_types = types;
  }
  const provider = new Provider(issuer, config);
  const callback = provider.callback();
  op.answer((req, res) => {
    if (req.method === 'GET' && /^\/interaction\/[^/?]+(\?|$)/.test(req.url ?? '')) {
      interaction(provider, req, res, options.denyConsent === true, options.rar?.refusedActions).catch((err: unknown) => {
        if (!res.headersSent) res.statusCode = 500;
        res.end(String(err));
      });
      return;
    }
    callback(req, res);
  });

  const html = appHtml({
    issuer,
    clientId: CLIENT_ID,
    implicitClientId: IMPLICIT_CLIENT_ID,
    redirectUri,
    resource: apiResource,
    scope: options.scope ?? APP_SCOPE,
    api: `${apiResource}/data`,
    fault: options.dpop?.fault ?? '',
    dpop: options.dpop ? 'on' : '',
    transport: options.dpop?.xhr ? 'xhr' : 'fetch',
    ...(options.rar ? { authorizationDetails: JSON.stringify(options.rar.details) } : {}),
  });
  const js = await bundle;
  const serviceWorkerFiles = options.app === 'axa-oidc-client' ? axaServiceWorkerFiles(issuer) : undefined;
  app.answer((req, res) => {
    const path = new URL(req.url ?? '/', appOrigin).pathname;
    if (req.method === 'GET' && (path === '/' || path === '/callback' || path === '/silent' || path === '/implicit'))
      send(res, 200, 'text/html; charset=utf-8', html);
    else if (path === '/api/data' && (options.dpop || options.rar)) answerApi(req, res, options.dpop?.resourceNonce === true);
    else if (req.method === 'GET' && path === '/app.js') send(res, 200, 'text/javascript; charset=utf-8', js);
    else if (req.method === 'GET' && serviceWorkerFiles?.has(path))
      send(res, 200, 'text/javascript; charset=utf-8', serviceWorkerFiles.get(path) ?? '');
    else send(res, 404, 'text/plain', 'not found');
  });

  return {
    appUrl: `${appOrigin}/`,
    appOrigin,
    issuer,
    tokenEndpoint: `${issuer}/token`,
    apiResource,
    clientId: CLIENT_ID,
    async close() {
      await Promise.all([closeServer(op.server), closeServer(app.server)]);
    },
  };
}
