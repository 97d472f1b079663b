// An app signing in with @azure/msal-browser 5.29 as Microsoft's docs show: PublicClientApplication with the tenant's
// authority, initialize() and handleRedirectPromise() on load, loginRedirect or loginPopup for Graph's User.Read,
// acquireTokenSilent for Graph (then GET /me) and for a second resource (api://orders-api/Orders.Read). The popup's
// redirect URI (/redirect) is a page that only calls broadcastResponseToMainFrame (msal-browser v5's redirect bridge,
// node_modules/@azure/msal-browser/dist/redirect_bridge/index.mjs). Bundled by test/tls/site.ts bundleApp.
import { type AccountInfo, PublicClientApplication } from '@azure/msal-browser';
import { broadcastResponseToMainFrame } from '@azure/msal-browser/redirect-bridge';
import { readConfig, setStatus } from '../../support/servers/app-page.js';

interface MsalAppConfig {
  clientId: string;
  authority: string;
  graphMe: string;
  ordersScope: string;
}
const config = readConfig() as unknown as MsalAppConfig;
const LOGIN_SCOPES = ['User.Read'];

function on(id: string, run: () => Promise<string>): void {
  document.getElementById(id)?.addEventListener('click', () => {
    run().then(setStatus, (error: unknown) => setStatus(`error: ${String(error)}`));
  });
}

async function main(): Promise<void> {
  const pca = new PublicClientApplication({
    auth: { clientId: config.clientId, authority: config.authority, redirectUri: `${location.origin}/` },
    cache: { cacheLocation: 'sessionStorage' },
  });
  await pca.initialize();
  const redirected = await pca.handleRedirectPromise();
  if (redirected?.account) pca.setActiveAccount(redirected.account);
  const account = (): AccountInfo => {
    const found = pca.getActiveAccount() ?? pca.getAllAccounts()[0];
    if (!found) throw new Error('not signed in');
    return found;
  };

  on('login-redirect', async () => {
    await pca.loginRedirect({ scopes: LOGIN_SCOPES });
    return 'redirecting';
  });
  on('login-popup', async () => {
    const result = await pca.loginPopup({ scopes: LOGIN_SCOPES, redirectUri: `${location.origin}/redirect` });
    pca.setActiveAccount(result.account);
    return `signed-in popup ${result.scopes.join(' ')}`;
  });
  on('me', async () => {
    const { accessToken } = await pca.acquireTokenSilent({ scopes: LOGIN_SCOPES, account: account() });
    const response = await fetch(config.graphMe, { headers: { Authorization: `Bearer ${accessToken}` } });
    const me = (await response.json()) as { displayName?: string };
    return `me ${response.status} ${me.displayName ?? ''}`;
  });
  on('orders', async () => {
    const result = await pca.acquireTokenSilent({ scopes: [config.ordersScope], account: account() });
    return `orders token ${result.scopes.join(' ')}`;
  });
  setStatus(redirected ? `signed-in redirect ${redirected.scopes.join(' ')}` : 'ready');
}

if (location.pathname === '/redirect') {
  broadcastResponseToMainFrame().catch((error: unknown) => setStatus(`bridge error: ${String(error)}`));
} else {
  main().catch((error: unknown) => setStatus(`error: ${String(error)}`));
}
