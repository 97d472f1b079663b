/** What a provider profile may know, and the small helpers the profiles share. */
import type { JsonObject } from '../json.js';
import { isIdentityScope } from '../scopes.js';
import type { Severity } from '../types.js';

export interface ProfileContext {
  /** The token endpoint (or introspection endpoint) URL. */
  url: string;
  /** `iss` of the token being looked at, when it is a JWT. */
  issuer: string | null;
}

export interface KnownAudience {
  severity: Severity;
  explanation: string;
}

export interface ProviderProfile {
  id: string;
  name: string;
  /** Where the provider documents what this profile knows (API hosts, token shapes, audiences). */
  docs?: string;
  /**
   * Whether this exchange is with this provider, by its endpoint, the issuer of its tokens, and the `aud` of its
   * first JWT access token (Auth0 on a custom domain is told by the audience it adds).
   */
  matches(url: URL, issuer: string | null, audiences: readonly string[]): boolean;
  /** The resource server that identity scopes (`openid profile email`) are granted to, when the provider names one. */
  identityServer?: string;
  /** The resource server a provider-specific scope names (Google's `https://www.googleapis.com/auth/...`). */
  scopeServer?(scope: string): string | null;
  /**
   * The provider's documented API for one response entry (Spotify's `https://api.spotify.com`, the
   * `instance_url` Salesforce answers with), used when neither the response, the request nor the token
   * names a server; null when the entry holds only identity scopes or the profile cannot tell.
   */
  apiServer?(entry: JsonObject, scopes: readonly string[], endpoint: URL | null): string | null;
  /** Hosts the provider's API is served from: a token sent to one of them stays within its resource server. */
  apiHosts?: readonly string[];
  /**
   * Hosts each of the provider's resource servers is served from, by resource-server id (lower case): a token sent to
   * one of its own server's hosts stays within it; a token sent to another server's host went to another service of
   * the provider, however near the two hosts' names are.
   */
  serverHosts?: Readonly<Record<string, readonly string[]>>;
  /** The resource server a documented `aud` value stands for (Microsoft Graph's application id, Supabase's role label). */
  audienceServer?(audience: string, context: ProfileContext): string | null;
  /**
   * The server an `aud` value stands for, told by the scopes the client asked for in the same exchange and the
   * token's own claims (Entra v2: the API's application id for the Application ID URI the client named); the
   * token's `aud` is then another name of that server (its report's `aliases`).
   */
  namedAudience?(audience: string, claims: JsonObject, askedScopes: readonly string[]): string | null;
  /** Whether `audience` is another name of `resourceServer` at this provider. */
  isAlias?(audience: string, resourceServer: string, context: ProfileContext): boolean;
  /** An extra audience this provider is known to add, with how much it matters. */
  knownAudience?(audience: string, context: ProfileContext): KnownAudience | null;
  /** Explains an access token without `aud` at this provider. */
  noAudience?: KnownAudience;
  /** Fields of a response entry holding another entry with its own tokens (Slack's `authed_user`), and what that entry is. */
  nestedEntries?: Readonly<Record<string, string>>;
  /**
   * The upstream identity provider's tokens a response hands on beside its own (Supabase's `provider_token`),
   * as an entry of their own; `requested`: the upstream provider the authorization request named.
   */
  upstreamEntry?(entry: JsonObject, requested: string | null): UpstreamEntry | null;
}

/** Another provider's tokens handed on in a response (Supabase's `provider_token`, `provider_refresh_token`). */
export interface UpstreamEntry {
  /** The tokens as a response entry (`access_token`, `refresh_token`). */
  entry: JsonObject;
  /** The upstream provider's name (`github`), when the request or the response names it. */
  provider: string | null;
  /** The response fields they came in. */
  fields: string[];
}

/** An application (client) id as providers print it: a UUID. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether the URL's host is one of `hosts` or a subdomain of one. */
export function hostIs(url: URL, ...hosts: string[]): boolean {
  return hosts.some((host) => url.hostname === host || url.hostname.endsWith(`.${host}`));
}

/** `https://tenant.example/userinfo` for an issuer `https://tenant.example/`. */
export function isUserinfoOf(audience: string, issuer: string | null): boolean {
  if (!issuer) return /\/userinfo\/?$/.test(audience);
  return audience.replace(/\/+$/, '') === `${issuer.replace(/\/+$/, '')}/userinfo`;
}

/** An Auth0 tenant's own `/userinfo` audience: it stays on `*.auth0.com` even when the tenant signs in on a custom domain. */
export function isAuth0Userinfo(audience: string): boolean {
  return /^https:\/\/[a-z0-9-]+(\.[a-z0-9-]+)*\.auth0\.com\/userinfo\/?$/i.test(audience);
}

/**
 * Auth0 on a custom domain, told by its token endpoint and the audience it adds: Auth0's Authentication API serves
 * the token endpoint at `/oauth/token` (https://auth0.com/docs/api/authentication, "Get Token"), and a token asked
 * for with `openid` and an API audience also names `/userinfo` (https://auth0.com/docs/secure/tokens/access-tokens/get-access-tokens,
 * "Multiple audiences"): the tenant's on auth0.com, or the custom domain's, which is then the token's issuer
 * (https://auth0.com/docs/customize/custom-domains: tokens carry the domain the request used as `iss`). Neither the
 * host nor the issuer says "auth0" there.
 */
export function isAuth0CustomDomain(url: URL, issuer: string | null, audiences: readonly string[]): boolean {
  return (
    url.pathname === '/oauth/token' &&
    issuer !== null &&
    audiences.some((audience) => isUserinfoOf(audience, issuer) || isAuth0Userinfo(audience))
  );
}

/**
 * Auth0's known extra audience (documented: auth0.com/docs/secure/tokens/access-tokens/get-access-tokens,
 * and auth0.com/docs/customize/custom-domains, "the API identifier for /userinfo remains the Auth0 domain").
 */
export const AUTH0_USERINFO: KnownAudience = {
  severity: 'low',
  explanation:
    'Auth0 adds its /userinfo endpoint to the audience whenever openid is requested with an API audience; the token is also accepted there, which is by design but still a second audience.',
};

/** An API that every token of the provider is for, unless the entry holds identity scopes only (those go to its identity server). */
export function apiUnlessIdentityOnly(server: string): (entry: JsonObject, scopes: readonly string[]) => string | null {
  return (_entry, scopes) => (scopes.length > 0 && scopes.every(isIdentityScope) ? null : server);
}

/** An `https:` URL's origin, or null. */
export function httpsOrigin(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' ? url.origin : null;
  } catch {
    return null;
  }
}
