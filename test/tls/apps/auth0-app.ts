// The messages app (bundled with @auth0/auth0-spa-js by esbuild): Auth0 on its custom domain, `openid` plus the API's
// audience, refresh tokens (the SDK's default memory cache: its token calls run in a blob: Web Worker), and the API
// call with the access token. The misconfigured app also sends that token to its reporting partner on another site.
// Options: https://auth0.com/docs/libraries/auth0-single-page-app-sdk and the SDK's typings (Auth0ClientOptions).
import { Auth0Client } from '@auth0/auth0-spa-js';
import { call, onClick, readConfig, setStatus } from './page.js';

const config = readConfig<{ domain: string; clientId: string; audience: string; api: string; leakTo: string | null }>();

// `new Auth0Client` (not createAuth0Client): no silent check in an iframe at start.
const client = new Auth0Client({
  domain: config.domain,
  clientId: config.clientId,
  useRefreshTokens: true,
  authorizationParams: {
    redirect_uri: `${location.origin}/callback`,
    audience: config.audience,
    scope: 'openid profile email read:messages',
  },
});

onClick('signin', async () => {
  setStatus('signing-in');
  await client.loginWithRedirect();
});

async function callApi(): Promise<number> {
  const token = await client.getTokenSilently();
  const body = (await (await call(config.api, { headers: { Authorization: `Bearer ${token}` } })).json()) as { messages: unknown[] };
  return body.messages.length;
}

onClick('api', async () => setStatus(`api-ok ${await callApi()}`));

// A refresh (from the SDK's worker) and, at once, the API call with the new token.
onClick('refresh-api', async () => {
  setStatus('refreshing');
  await client.getTokenSilently({ cacheMode: 'off' });
  setStatus(`refreshed, api-ok ${await callApi()}`);
});

onClick('refresh', async () => {
  setStatus('refreshing');
  await client.getTokenSilently({ cacheMode: 'off' });
  setStatus('refreshed');
});

onClick('leak', async () => {
  if (!config.leakTo) throw new Error('this app sends its token nowhere else');
  const token = await client.getTokenSilently();
  await call(config.leakTo, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: '{"page":"messages"}',
  });
  setStatus('leaked');
});

if (location.pathname === '/callback') {
  setStatus('exchanging');
  client
    .handleRedirectCallback()
    .then(() => setStatus('signed-in'))
    .catch((error: unknown) => setStatus(`error: ${String(error)}`));
} else {
  setStatus('ready');
}
