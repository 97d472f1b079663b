// A research portal signing in with @globus/sdk 6.2 as its docs show (README / AuthorizationManager's doc comment):
// authorization.create with PKCE and refresh tokens, handleCodeRedirect on the redirect URI (which replaces the page),
// refreshTokens(), and a Transfer call made by the SDK at its default host. Bundled by test/tls/site.ts bundleApp.
import { authorization, transfer } from '@globus/sdk';
import { readConfig, setStatus } from '../../support/servers/app-page.js';

interface GlobusAppConfig {
  clientId: string;
  redirect: string;
  scopes: string;
  groupsUrl: string;
}
const config = readConfig() as unknown as GlobusAppConfig;

const manager = authorization.create({
  client: config.clientId,
  redirect: config.redirect,
  scopes: config.scopes,
  useRefreshTokens: true,
  // Tokens survive handleCodeRedirect's location.replace (the SDK's default, memory, would not).
  storage: localStorage,
});

const on = (id: string, run: () => Promise<string>) =>
  document.getElementById(id)?.addEventListener('click', () => {
    run().then(setStatus, (error: unknown) => setStatus(`error: ${String(error)}`));
  });

/** The SDK's Transfer call (endpoint search), with the token the manager holds for transfer.api.globus.org. */
async function transferCall(): Promise<string> {
  const response = await transfer.endpointSearch({ query: { filter_fulltext: 'Tutorial' } }, { manager });
  const body = (await response.json()) as { DATA?: unknown[] };
  return `${response.status} ${body.DATA?.length ?? 0} endpoints`;
}

on('signin', async () => {
  await manager.login();
  return 'redirecting';
});
on('refresh', async () => {
  const settled = await manager.refreshTokens();
  const refreshed = settled.filter((s) => s.status === 'fulfilled' && s.value).length;
  // The API call right after the grant, as an app does.
  return `refreshed ${refreshed}; transfer ${await transferCall()}`;
});
on('transfer', async () => `transfer ${await transferCall()}`);
// The flaw: the app's own code sends the Transfer token to Groups.
on('misuse', async () => {
  const response = await fetch(config.groupsUrl, { headers: { Authorization: `Bearer ${manager.tokens.transfer?.access_token ?? ''}` } });
  return `groups ${response.status}`;
});

(async () => {
  if (new URLSearchParams(location.search).has('code')) {
    setStatus('exchanging');
    // Exchanges the code, stores the tokens, then location.replace() to the URL without code and state.
    await manager.handleCodeRedirect();
    return;
  }
  setStatus(manager.authenticated ? `signed-in ${manager.tokens.getAll().length} tokens` : 'ready');
})().catch((error: unknown) => setStatus(`error: ${String(error)}`));
