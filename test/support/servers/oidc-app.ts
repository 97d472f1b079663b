// Browser-side app for the OIDC test server (bundled with oidc-client-ts by esbuild at server start).
// Reads its settings from the JSON in <script id="config">; drives sign-in, callback and refresh.
import { UserManager } from 'oidc-client-ts';
import { type AppConfig, readConfig, setStatus, status } from './app-page.js';

const config = readConfig<AppConfig & { implicitClientId: string; authorizationDetails?: string }>();

const manager = new UserManager({
  authority: config.issuer,
  client_id: config.clientId,
  redirect_uri: config.redirectUri,
  response_type: 'code',
  scope: config.scope,
  loadUserInfo: false,
  automaticSilentRenew: false,
  // Silent sign-in in a hidden iframe (prompt=none) comes back here.
  silent_redirect_uri: config.redirectUri.replace(/\/callback$/, '/silent'),
  // RFC 8707: ask for the API at /auth and at /token so the access token is the API's JWT.
  // RFC 9396: authorization_details at /auth, when the test asks for them (JSON text, as the parameter is sent).
  extraQueryParams: {
    resource: config.resource,
    ...(config.authorizationDetails ? { authorization_details: config.authorizationDetails } : {}),
  },
  extraTokenParams: { resource: config.resource },
});

document.getElementById('signin')?.addEventListener('click', () => {
  setStatus('signing-in');
  manager.signinRedirect().catch((err: unknown) => setStatus(`error: ${String(err)}`));
});

document.getElementById('signin-popup')?.addEventListener('click', () => {
  setStatus('signing-in');
  manager
    .signinPopup()
    .then(() => setStatus('signed-in'))
    .catch((err: unknown) => setStatus(`error: ${String(err)}`));
});

document.getElementById('refresh')?.addEventListener('click', () => {
  setStatus('refreshing');
  manager
    .signinSilent({ extraTokenParams: { resource: config.resource } })
    .then((user) => {
      if (!user) throw new Error('no user after refresh');
      setStatus('refreshed');
    })
    .catch((err: unknown) => setStatus(`error: ${String(err)}`));
});

// Silent sign-in without a refresh token: oidc-client-ts loads the authorize URL (prompt=none) in a hidden iframe.
document.getElementById('silent')?.addEventListener('click', () => {
  setStatus('silent');
  manager
    .removeUser()
    .then(() => manager.signinSilent())
    .then((user) => setStatus(user ? 'signed-in-silently' : 'error: no user'))
    .catch((err: unknown) => setStatus(`error: ${String(err)}`));
});

// The implicit flow (response_type=id_token token), by hand: no maintained SDK offers it any more.
document.getElementById('implicit')?.addEventListener('click', () => {
  const random = () => crypto.randomUUID().replace(/-/g, '');
  const authorize = new URL(`${config.issuer}/auth`);
  authorize.search = new URLSearchParams({
    response_type: 'id_token token',
    client_id: config.implicitClientId,
    redirect_uri: config.redirectUri.replace(/\/callback$/, '/implicit'),
    scope: 'openid profile api:read',
    resource: config.resource,
    state: random(),
    nonce: random(),
  }).toString();
  location.assign(authorize.href);
});

if (location.pathname === '/implicit') {
  const answer = new URLSearchParams(location.hash.slice(1));
  history.replaceState(null, '', '/');
  setStatus(answer.has('access_token') ? 'implicit-done' : `error: ${answer.get('error') ?? 'no token'}`);
} else if (location.pathname === '/silent') {
  // The hidden iframe's callback: hands the response to the parent, which redeems the code.
  manager.signinCallback().catch((err: unknown) => setStatus(`error: ${String(err)}`));
} else if (location.pathname === '/callback' && window.opener) {
  // The login popup's callback: hands the response to the opener, which redeems the code.
  manager.signinCallback().catch((err: unknown) => setStatus(`error: ${String(err)}`));
} else if (location.pathname === '/callback') {
  setStatus('exchanging');
  manager
    .signinRedirectCallback()
    .then(() => {
      history.replaceState(null, '', '/');
      setStatus('signed-in');
    })
    .catch((err: unknown) => setStatus(`error: ${String(err)}`));
} else {
  manager.getUser().then((user) => {
    // Do not overwrite a status set by a click that happened meanwhile.
    if (status() === 'loading') setStatus(user ? 'signed-in' : 'signed-out');
  });
}
