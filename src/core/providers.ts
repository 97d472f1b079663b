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
import { AUTH0_USERINFO, isAuth0Userinfo, type KnownAudience, type ProfileContext, type ProviderProfile } from './providers/profile.js';
import { SUPABASE } from './providers/supabase.js';

export type { KnownAudience, ProfileContext, ProviderProfile, UpstreamEntry } from './providers/profile.js';

/** Every profile, in the order they are tried (Atlassian before Auth0: its tokens come from an auth0.com tenant). */
export const PROFILES: readonly ProviderProfile[] = [...API_PROFILES, ...IDENTITY_PROFILES, SUPABASE];

/** The profile of the provider behind this exchange (its endpoint, its tokens' issuer, its first access token's `aud`), or null. */
export function detectProvider(url: string, issuer: string | null, audiences: readonly string[] = []): ProviderProfile | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  return PROFILES.find((profile) => profile.matches(parsed, issuer, audiences)) ?? null;
}

/** A profile by its id (a report's `provider`), or null. */
export function profileById(id: string | null): ProviderProfile | null {
  return PROFILES.find((profile) => profile.id === id) ?? null;
}

/**
 * An extra audience the provider is known to add: the profile's own, else Auth0's tenant `/userinfo` on auth0.com,
 * which Auth0 tenants on a custom domain still add (the Auth0 profile matches those by it, `isAuth0CustomDomain`).
 */
export function knownAudienceOf(audience: string, profile: ProviderProfile | null, context: ProfileContext): KnownAudience | null {
  return profile?.knownAudience?.(audience, context) ?? (isAuth0Userinfo(audience) ? AUTH0_USERINFO : null);
}
