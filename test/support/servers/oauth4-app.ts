// Browser-side app for the OIDC test server, with oauth4webapi (bundled by esbuild at server start). Settings from
// <script id="config">; `dpop` (set by the server's `dpop` option) picks one of two sign-ins:
// - without DPoP: a pushed authorization request (RFC 9126) carrying the scope and `resource` (RFC 8707), then the
//   code redeemed without naming either: what was asked for is only in the PAR body;
// - with DPoP (RFC 9449, oauth4webapi's DPoP support): a P-256 key made in the page, its thumbprint sent as `dpop_jkt`
//   at authorize, the code redeemed with a DPoP proof (the provider demands a nonce: the first answer is
//   `use_dpop_nonce`, oauth4webapi's handle keeps the DPoP-Nonce and the app retries with the same verifier, as
//   oauth4webapi's docs show with `isDPoPNonceError`), then the API called with `Authorization: DPoP` and a proof (or,
//   with `fault: 'bearer'`, the bound token sent as `Authorization: Bearer`, RFC 9449 s7.1's mistake; with
//   `fault: 'other-host'`, to another host).
// With `transport: 'xhr'` the discovery request and the API calls go through XMLHttpRequest (oauth4webapi's
// `customFetch` option), as an app on an XHR-based HTTP client makes them.
import * as oauth from 'oauth4webapi';
import { type AppConfig, readConfig, setStatus } from './app-page.js';

const config = readConfig<AppConfig & { api: string; fault: string; dpop: string; transport: string }>();

/** oauth4webapi's `customFetch` made with XMLHttpRequest: the request as given, the answer (status, headers, text) as a Response. */
function xhrFetch(url: string, options: { method: string; headers: Record<string, string>; body?: unknown }): Promise<Response> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(options.method, url);
    for (const [name, value] of Object.entries(options.headers)) xhr.setRequestHeader(name, value);
    xhr.onload = () => {
      const headers = new Headers();
      for (const line of xhr.getAllResponseHeaders().trim().split(/\r?\n/)) {
        const colon = line.indexOf(':');
        if (colon > 0) headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
      }
      resolve(new Response(xhr.responseText, { status: xhr.status, headers }));
    };
    xhr.onerror = () => reject(new TypeError(`XHR to ${url} failed`));
    xhr.send((options.body as XMLHttpRequestBodyInit | undefined) ?? null);
  });
}

// The test provider is plain http on 127.0.0.1.
const insecure = {
  [oauth.allowInsecureRequests]: true,
  ...(config.transport === 'xhr' ? { [oauth.customFetch]: xhrFetch } : {}),
};
const client: oauth.Client = { client_id: config.clientId };
const none = oauth.None();

async function server(): Promise<oauth.AuthorizationServer> {
  const issuer = new URL(config.issuer);
  return oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, insecure));
}

/** The page's DPoP key, kept across the redirect (exported to sessionStorage: a test app, not a pattern to copy). */
async function keyPair(): Promise<CryptoKeyPair> {
  const saved = sessionStorage.getItem('dpop-key');
  const algorithm = { name: 'ECDSA', namedCurve: 'P-256' };
  if (saved) {
    const { privateKey, publicKey } = JSON.parse(saved) as { privateKey: JsonWebKey; publicKey: JsonWebKey };
    return {
      privateKey: await crypto.subtle.importKey('jwk', privateKey, algorithm, false, ['sign']),
      publicKey: await crypto.subtle.importKey('jwk', publicKey, algorithm, true, ['verify']),
    };
  }
  const pair = await oauth.generateKeyPair('ES256', { extractable: true });
  const exported = {
    privateKey: await crypto.subtle.exportKey('jwk', pair.privateKey),
    publicKey: await crypto.subtle.exportKey('jwk', pair.publicKey),
  };
  sessionStorage.setItem('dpop-key', JSON.stringify(exported));
  return pair;
}

/** The DPoP handle with the page's key, when the server runs in DPoP mode. */
const dpop = async (): Promise<oauth.DPoPHandle | undefined> => (config.dpop ? oauth.DPoP(client, await keyPair()) : undefined);

async function signIn(): Promise<void> {
  const as = await server();
  const DPoP = await dpop();
  const verifier = oauth.generateRandomCodeVerifier();
  sessionStorage.setItem('verifier', verifier);
  const parameters = new URLSearchParams({
    redirect_uri: config.redirectUri,
    response_type: 'code',
    scope: config.scope,
    resource: config.resource,
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
  });
  const authorize = new URL(as.authorization_endpoint ?? '');
  authorize.searchParams.set('client_id', config.clientId);
  if (DPoP) {
    for (const [key, value] of parameters) authorize.searchParams.set(key, value);
    authorize.searchParams.set('dpop_jkt', await DPoP.calculateThumbprint());
  } else {
    const pushed = await oauth.processPushedAuthorizationResponse(
      as,
      client,
      await oauth.pushedAuthorizationRequest(as, client, none, parameters, insecure),
    );
    authorize.searchParams.set('request_uri', pushed.request_uri);
  }
  location.assign(authorize.href);
}

async function callback(): Promise<void> {
  const as = await server();
  const DPoP = await dpop();
  const params = oauth.validateAuthResponse(as, client, new URL(location.href), oauth.expectNoState);
  const verifier = sessionStorage.getItem('verifier') ?? '';
  const redeem = async () =>
    oauth.processAuthorizationCodeResponse(
      as,
      client,
      await oauth.authorizationCodeGrantRequest(as, client, none, params, config.redirectUri, verifier, { ...insecure, DPoP }),
    );
  let tokens: oauth.TokenEndpointResponse;
  try {
    tokens = await redeem();
  } catch (err) {
    if (!DPoP || !oauth.isDPoPNonceError(err)) throw err;
    setStatus('retrying with the DPoP nonce');
    tokens = await redeem(); // the handle now holds the server's nonce
  }
  history.replaceState(null, '', '/');
  sessionStorage.setItem('access-token', tokens.access_token);
  setStatus(DPoP ? `signed-in ${tokens.token_type}` : 'signed-in');
}

/** The API call, a step of its own (#call-api): the extension knows the token by then, as when a user acts later. */
async function callApi(): Promise<void> {
  const DPoP = await dpop();
  const token = sessionStorage.getItem('access-token') ?? '';
  const api = new URL(config.api);
  // `fault: 'other-host'`: the bound token goes to the same API under another host name (localhost), with its proof.
  if (config.fault === 'other-host') api.hostname = 'localhost';
  const request = () => oauth.protectedResourceRequest(token, 'GET', api, undefined, undefined, { ...insecure, DPoP });
  // RFC 9449 s9: a resource server may ask for a nonce of its own; the DPoP handle keeps its DPoP-Nonce, retry once.
  const response =
    config.fault === 'bearer'
      ? await fetch(api, { headers: { authorization: `Bearer ${token}` } })
      : await request().catch((err: unknown) => {
          if (DPoP && oauth.isDPoPNonceError(err)) return request();
          throw err;
        });
  await response.text(); // read, as an app does (Chromium finishes a request whose body is read)
  setStatus(`api ${response.status}`);
}

document.getElementById('call-api')?.addEventListener('click', () => {
  callApi().catch((err: unknown) => setStatus(`error: ${String(err)}`));
});

document.getElementById('signin')?.addEventListener('click', () => {
  setStatus('signing-in');
  signIn().catch((err: unknown) => setStatus(`error: ${String(err)}`));
});

if (location.pathname === '/callback') {
  setStatus('exchanging');
  callback().catch((err: unknown) => setStatus(`error: ${String(err)}`));
} else setStatus('ready');
