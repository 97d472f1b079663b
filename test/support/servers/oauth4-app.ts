// Browser-side app for the OIDC test server, with oauth4webapi (bundled by esbuild at server start). Signs in with
// a pushed authorization request (RFC 9126) carrying the scope and `resource` (RFC 8707), then redeems the code
// without naming either: what was asked for is only in the PAR body. Settings from <script id="config">.
import * as oauth from 'oauth4webapi';
import { readConfig, setStatus } from './app-page.js';

const config = readConfig();
// The test provider is plain http on 127.0.0.1.
const insecure = { [oauth.allowInsecureRequests]: true };
const client: oauth.Client = { client_id: config.clientId };
const none = oauth.None();

async function server(): Promise<oauth.AuthorizationServer> {
  const issuer = new URL(config.issuer);
  return oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, insecure));
}

async function signIn(): Promise<void> {
  const as = await server();
  const verifier = oauth.generateRandomCodeVerifier();
  const parameters = new URLSearchParams({
    redirect_uri: config.redirectUri,
    response_type: 'code',
    scope: config.scope,
    resource: config.resource,
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
  });
  const pushed = await oauth.processPushedAuthorizationResponse(
    as,
    client,
    await oauth.pushedAuthorizationRequest(as, client, none, parameters, insecure),
  );
  sessionStorage.setItem('verifier', verifier);
  const authorize = new URL(as.authorization_endpoint ?? '');
  authorize.searchParams.set('client_id', config.clientId);
  authorize.searchParams.set('request_uri', pushed.request_uri);
  location.assign(authorize.href);
}

async function callback(): Promise<void> {
  const as = await server();
  const params = oauth.validateAuthResponse(as, client, new URL(location.href), oauth.expectNoState);
  const verifier = sessionStorage.getItem('verifier') ?? '';
  const response = await oauth.authorizationCodeGrantRequest(as, client, none, params, config.redirectUri, verifier, insecure);
  await oauth.processAuthorizationCodeResponse(as, client, response);
  history.replaceState(null, '', '/');
  setStatus('signed-in');
}

document.getElementById('signin')?.addEventListener('click', () => {
  setStatus('signing-in');
  signIn().catch((err: unknown) => setStatus(`error: ${String(err)}`));
});

if (location.pathname === '/callback') {
  setStatus('exchanging');
  callback().catch((err: unknown) => setStatus(`error: ${String(err)}`));
} else setStatus('ready');
