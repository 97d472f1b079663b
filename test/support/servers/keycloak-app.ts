// Browser-side app for the Keycloak-shaped test server (bundled with keycloak-js by esbuild at server start):
// keycloak-js with its defaults (fragment response mode, PKCE S256), signing in on load.
import Keycloak from 'keycloak-js';

const config = JSON.parse(document.getElementById('config')?.textContent ?? '{}') as {
  url: string;
  realm: string;
  clientId: string;
  scope: string;
};
const statusEl = document.getElementById('status') as HTMLPreElement;
const keycloak = new Keycloak({ url: config.url, realm: config.realm, clientId: config.clientId });
keycloak
  .init({ onLoad: 'login-required', pkceMethod: 'S256', checkLoginIframe: false, scope: config.scope })
  .then((authenticated) => {
    statusEl.textContent = authenticated ? 'signed-in' : 'signed-out';
  })
  .catch((err: unknown) => {
    statusEl.textContent = `error: ${String(err)}`;
  });
