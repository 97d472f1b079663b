/**
 * Provider profiles: what Tokenscope knows about identity providers and APIs.
 *
 * A profile knows a provider's aliases (two names of the same resource server), its known patterns
 * (an extra audience the provider always adds), and its documented API (the server a token is for when
 * nothing in the exchange names one). A known pattern lowers a finding's severity and explains it; it
 * never hides it. The profiles themselves are in `providers/`, one file per kind.
 */
import { API_PROFILES } from './providers/apis.js';
import { IDENTITY_PROFILES } from './providers/identity.js';
import {
  AUTH0_USERINFO,
  isAuth0Userinfo,
  isUserinfoOf,
  type KnownAudience,
  type ProfileContext,
  type ProviderProfile,
} from './providers/profile.js';

export type { KnownAudience, ProfileContext, ProviderProfile } from './providers/profile.js';

/** Every profile, in the order they are tried (Atlassian before Auth0: its tokens come from an auth0.com tenant). */
export const PROFILES: readonly ProviderProfile[] = [...API_PROFILES, ...IDENTITY_PROFILES];

/** The profile of the provider behind this exchange, or null for an unknown provider. */
export function detectProvider(url: string, issuer: string | null): ProviderProfile | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  return PROFILES.find((profile) => profile.matches(parsed, issuer)) ?? null;
}

/** A profile by its id (a report's `provider`), or null. */
export function profileById(id: string | null): ProviderProfile | null {
  return PROFILES.find((profile) => profile.id === id) ?? null;
}

/**
 * Auth0 on a custom domain, told by its token endpoint and the audience it adds: Auth0's Authentication API
 * serves the token endpoint at `/oauth/token` (https://auth0.com/docs/api/authentication, "Get Token"), and a
 * token asked for with `openid` and an API audience also names the `/userinfo` of the domain the request went to,
 * which is its issuer (https://auth0.com/docs/secure/tokens/access-tokens/get-access-tokens, "Multiple audiences";
 * https://auth0.com/docs/customize/custom-domains: tokens carry the custom domain as `iss`). Neither host nor
 * issuer says "auth0" there, so the Auth0 profile does not match.
 */
function isCustomDomainAuth0Userinfo(audience: string, context: ProfileContext): boolean {
  if (!context.issuer) return false;
  let path: string;
  try {
    path = new URL(context.url).pathname;
  } catch {
    return false;
  }
  return path === '/oauth/token' && isUserinfoOf(audience, context.issuer);
}

/**
 * An extra audience the provider is known to add: the profile's own, else Auth0's `/userinfo`, which Auth0
 * tenants on a custom domain still add (on the tenant's auth0.com domain, or on the custom domain itself).
 */
export function knownAudienceOf(audience: string, profile: ProviderProfile | null, context: ProfileContext): KnownAudience | null {
  const own = profile?.knownAudience?.(audience, context);
  if (own) return own;
  return isAuth0Userinfo(audience) || (profile === null && isCustomDomainAuth0Userinfo(audience, context)) ? AUTH0_USERINFO : null;
}
