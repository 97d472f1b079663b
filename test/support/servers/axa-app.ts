// Browser-side app for the OIDC test server with @axa-fr/oidc-client in its documented service-worker mode: the app
// serves OidcServiceWorker.js and OidcTrustedDomains.js at its origin (see oidc.ts) and names the first in
// `service_worker_relative_url`. The service worker makes every token call itself and gives the page placeholders
// for the access and refresh tokens. Everything else is the SDK's default (code + PKCE, its own renew).
import { OidcClient } from '@axa-fr/oidc-client';
import { readConfig, setStatus, status } from './app-page.js';

const config = readConfig();

const client = OidcClient.getOrCreate(() => fetch)({
  client_id: config.clientId,
  redirect_uri: config.redirectUri,
  scope: config.scope,
  authority: config.issuer,
  service_worker_relative_url: '/OidcServiceWorker.js',
});

/** What the page holds as its access token: the SDK's placeholder, or a real value (the test compares both runs). */
const heldToken = (): string => {
  const token = client.tokens?.accessToken ?? '';
  return token.startsWith('ACCESS_TOKEN_SECURED_BY_OIDC_SERVICE_WORKER') ? 'placeholder' : token ? 'value' : 'none';
};

document.getElementById('signin')?.addEventListener('click', () => {
  setStatus('signing-in');
  client.loginAsync('/').catch((err: unknown) => setStatus(`error: ${String(err)}`));
});

document.getElementById('refresh')?.addEventListener('click', () => {
  setStatus('refreshing');
  client
    .renewTokensAsync()
    .then((tokens) => setStatus(tokens ? `refreshed ${heldToken()}` : 'error: no tokens after renew'))
    .catch((err: unknown) => setStatus(`error: ${String(err)}`));
});

if (location.pathname === '/callback') {
  setStatus('exchanging');
  client
    .loginCallbackAsync()
    .then(() => {
      history.replaceState(null, '', '/');
      setStatus(`signed-in ${heldToken()}`);
    })
    .catch((err: unknown) => setStatus(`error: ${String(err)}`));
} else {
  client
    .tryKeepExistingSessionAsync()
    .then((kept) => {
      if (status() === 'loading') setStatus(kept ? `signed-in ${heldToken()}` : 'ready');
    })
    .catch((err: unknown) => setStatus(`error: ${String(err)}`));
}
