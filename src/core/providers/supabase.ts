/**
 * Supabase Auth (GoTrue), on `https://<ref>.supabase.co/auth/v1` or self-hosted anywhere under `/auth/v1`.
 *
 * What @supabase/auth-js 2.119 sends (node_modules/@supabase/auth-js/src/GoTrueClient.ts): `POST
 * <project>/auth/v1/token?grant_type=pkce|refresh_token|password` with a JSON body (`{auth_code,
 * code_verifier}`, `{refresh_token}`, `{email, password}`); the grant is in the URL only.
 * What it answers (supabase.com/docs/guides/auth/jwt-fields, /docs/guides/auth/social-login#provider-tokens):
 * an access token with `iss` `<project>/auth/v1` and `aud` `authenticated` (or `anon`), a Postgres role
 * label, not a server; the token is for the project's APIs (REST `/rest/v1`, storage, functions, realtime)
 * on the project's host. After a sign-in through an upstream provider (GitHub, Google...) the session also
 * holds that provider's own token, `provider_token` / `provider_refresh_token`.
 */
import { type JsonObject, nonEmptyString } from '../json.js';
import { MAX_QUOTED_CHARS } from '../limits.js';
import { hostIs, type ProfileContext, type ProviderProfile, type UpstreamEntry } from './profile.js';

/** Supabase's role labels as `aud` (docs: supabase.com/docs/guides/auth/jwt-fields, `aud`: "authenticated" or "anon"). */
const ROLE_AUDIENCES = new Set(['authenticated', 'anon']);

/** The API each upstream provider's token is for, from each provider's own API documentation. */
const UPSTREAM_APIS: Readonly<Record<string, string>> = {
  // docs.github.com/en/rest/authentication/authenticating-to-the-rest-api
  github: 'https://api.github.com',
  // developers.google.com/identity/protocols/oauth2/scopes (Google APIs on googleapis.com)
  google: 'https://www.googleapis.com',
  // learn.microsoft.com/en-us/graph/auth/auth-concepts (Supabase's `azure` provider asks for Graph scopes)
  azure: 'https://graph.microsoft.com',
  // docs.gitlab.com/api/rest/authentication/ (gitlab.com; a self-managed GitLab is elsewhere)
  gitlab: 'https://gitlab.com/api',
  // developer.atlassian.com/cloud/bitbucket/rest/intro/
  bitbucket: 'https://api.bitbucket.org',
  // discord.com/developers/docs/reference#api-reference-base-url
  discord: 'https://discord.com/api',
  // docs.slack.dev/reference/methods (Supabase's `slack_oidc` provider)
  slack_oidc: 'https://slack.com/api',
  // developer.spotify.com/documentation/web-api
  spotify: 'https://api.spotify.com',
  // dev.twitch.tv/docs/api/
  twitch: 'https://api.twitch.tv',
  // learn.microsoft.com/en-us/linkedin/shared/api-guide/concepts/urns (Supabase's `linkedin_oidc`)
  linkedin_oidc: 'https://api.linkedin.com',
  // developers.facebook.com/docs/graph-api/overview
  facebook: 'https://graph.facebook.com',
  // developers.notion.com/reference/intro
  notion: 'https://api.notion.com',
  // developers.zoom.us/docs/api/
  zoom: 'https://api.zoom.us',
  // developer.x.com/en/docs/authentication/oauth-2-0 (Supabase's `twitter` and `x` providers)
  twitter: 'https://api.twitter.com',
  x: 'https://api.x.com',
  // www.figma.com/developers/api
  figma: 'https://api.figma.com',
};

/** The Supabase project an Auth URL or issuer belongs to: everything before `/auth/v1` (`https://<ref>.supabase.co`). */
export function supabaseProject(urlOrIssuer: string | null): string | null {
  if (!urlOrIssuer) return null;
  try {
    const url = new URL(urlOrIssuer);
    const at = url.pathname.indexOf('/auth/v1');
    return at < 0 ? null : `${url.origin}${url.pathname.slice(0, at)}`;
  } catch {
    return null;
  }
}

function projectOf(context: ProfileContext): string | null {
  return supabaseProject(context.url) ?? supabaseProject(context.issuer);
}

/** Upstream entries made here, so the profile's API step knows them from the session entry. */
const upstreamEntries = new WeakMap<JsonObject, string | null>();

/** The upstream provider of a session: the authorize request's `provider`, else the user's `app_metadata.provider`. */
function upstreamName(entry: JsonObject, requested: string | null): string | null {
  if (requested) return requested;
  const user = entry.user;
  const meta = user && typeof user === 'object' && !Array.isArray(user) ? (user as JsonObject).app_metadata : null;
  return meta && typeof meta === 'object' && !Array.isArray(meta) ? nonEmptyString((meta as JsonObject).provider) : null;
}

/** The API a provider's token is for: its documented API, else the provider named as it is (`keycloak (via Supabase)`). */
export function upstreamServer(provider: string | null): string | null {
  if (!provider) return null;
  // A name from the page's URL or the response: kept short (it becomes a resource server's id).
  return UPSTREAM_APIS[provider.toLowerCase()] ?? `${provider.slice(0, MAX_QUOTED_CHARS)} (via Supabase)`;
}

export const SUPABASE: ProviderProfile = {
  id: 'supabase',
  name: 'Supabase Auth',
  docs: 'https://supabase.com/docs/guides/auth/jwts',
  // The hosted project (`*.supabase.co`), or self-hosted Auth: `/auth/v1/token` with its grant in the query; or
  // tokens whose issuer is `<project>/auth/v1` (the implicit flow hands them to the app's redirect_to in the fragment).
  matches: (url, issuer) =>
    (/\/auth\/v1\/(token|authorize|callback)\/?$/.test(url.pathname) &&
      (hostIs(url, 'supabase.co') || url.searchParams.has('grant_type'))) ||
    (issuer !== null && /^https?:\/\/[^/]+(\/[^?#]*)?\/auth\/v1\/?$/.test(issuer)),
  // `aud` "authenticated" / "anon" is the role the project's APIs run the request as; the token is for the project.
  audienceServer: (audience, context) => (ROLE_AUDIENCES.has(audience) ? projectOf(context) : null),
  isAlias: (audience, resourceServer, context) => ROLE_AUDIENCES.has(audience) && projectOf(context) === resourceServer,
  apiServer: (entry) => (upstreamEntries.has(entry) ? upstreamServer(upstreamEntries.get(entry) ?? null) : null),
  upstreamEntry: (entry, requested): UpstreamEntry | null => {
    const token = nonEmptyString(entry.provider_token);
    const refresh = nonEmptyString(entry.provider_refresh_token);
    if (!token && !refresh) return null;
    const provider = upstreamName(entry, requested);
    const upstream: JsonObject = {};
    if (token) upstream.access_token = token;
    if (refresh) upstream.refresh_token = refresh;
    upstreamEntries.set(upstream, provider);
    return { entry: upstream, provider, fields: [...(token ? ['provider_token'] : []), ...(refresh ? ['provider_refresh_token'] : [])] };
  },
};
