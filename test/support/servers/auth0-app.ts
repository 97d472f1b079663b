// Browser-side app for the Auth0-shaped test server (bundled with @auth0/auth0-spa-js by esbuild in auth0-worker.spec.ts).
// Refresh tokens on, the default memory cache: the SDK makes every /oauth/token call from its blob: Web Worker.
import { Auth0Client } from '@auth0/auth0-spa-js';

const config = JSON.parse(document.getElementById('config')?.textContent ?? '{}') as { origin: string };
const statusEl = document.getElementById('status') as HTMLElement;
const setStatus = (text: string): void => {
  statusEl.textContent = text;
};

// `new Auth0Client` (not createAuth0Client): no silent check in an iframe at start.
const client = new Auth0Client({
  domain: config.origin,
  clientId: 'spa-app',
  useRefreshTokens: true,
  // The API's read:messages is asked for; the server grants it no such scope (the test's dropped scope).
  authorizationParams: {
    redirect_uri: `${config.origin}/callback`,
    audience: 'https://api.example.test/',
    scope: 'openid profile email read:messages',
  },
});

document.getElementById('signin')?.addEventListener('click', () => {
  setStatus('signing-in');
  client.loginWithRedirect().catch((err: unknown) => setStatus(`error: ${String(err)}`));
});

document.getElementById('refresh')?.addEventListener('click', () => {
  setStatus('refreshing');
  client
    .getTokenSilently({ cacheMode: 'off' })
    .then(() => setStatus('refreshed'))
    .catch((err: unknown) => setStatus(`error: ${String(err)}`));
});

if (location.pathname === '/callback') {
  setStatus('exchanging');
  client
    .handleRedirectCallback()
    .then(() => setStatus('signed-in'))
    .catch((err: unknown) => setStatus(`error: ${String(err)}`));
} else {
  setStatus('ready');
}
