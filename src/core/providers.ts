/**
 * Provider profiles: what Tokenscope knows about the big identity providers.
 *
 * A profile knows a provider's aliases (two names of the same resource server)
 * and its known patterns (an extra audience the provider always adds). A known
 * pattern lowers a finding's severity and explains it; it never hides it.
 */
import type { Severity } from './types.js';

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
  /** Whether this exchange is with this provider. */
  matches(url: URL, issuer: string | null): boolean;
  /** The resource server that identity scopes (`openid profile email`) are granted to, when the provider names one. */
  identityServer?: string;
  /** The resource server a provider-specific scope names (Google's `https://www.googleapis.com/auth/...`). */
  scopeServer?(scope: string): string | null;
  /** Whether `audience` is another name of `resourceServer` at this provider. */
  isAlias?(audience: string, resourceServer: string, context: ProfileContext): boolean;
  /** An extra audience this provider is known to add, with how much it matters. */
  knownAudience?(audience: string, context: ProfileContext): KnownAudience | null;
  /** Explains an access token without `aud` at this provider. */
  noAudience?: KnownAudience;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function hostIs(url: URL, ...hosts: string[]): boolean {
  return hosts.some((host) => url.hostname === host || url.hostname.endsWith(`.${host}`));
}

/** `https://tenant.example/userinfo` for an issuer `https://tenant.example/`. */
function isUserinfoOf(audience: string, issuer: string | null): boolean {
  if (!issuer) return /\/userinfo\/?$/.test(audience);
  return audience.replace(/\/+$/, '') === `${issuer.replace(/\/+$/, '')}/userinfo`;
}

export const PROFILES: readonly ProviderProfile[] = [
  {
    id: 'globus',
    name: 'Globus Auth',
    matches: (url) => hostIs(url, 'auth.globus.org'),
    identityServer: 'auth.globus.org',
    // Globus introspection lists the resource server's client id beside its name
    // (docs.globus.org, Auth API "Token Introspection": aud holds both).
    isAlias: (audience) => UUID.test(audience),
  },
  {
    id: 'auth0',
    name: 'Auth0',
    matches: (url, issuer) => hostIs(url, 'auth0.com') || (issuer !== null && /\.auth0\.com\/?$/.test(issuer)),
    knownAudience: (audience, context) =>
      isUserinfoOf(audience, context.issuer)
        ? {
            severity: 'low',
            explanation:
              'Auth0 adds its /userinfo endpoint to the audience whenever openid is requested with an API audience; the token is also accepted there, which is by design but still a second audience.',
          }
        : null,
  },
  {
    id: 'keycloak',
    name: 'Keycloak',
    matches: (url, issuer) => /\/realms\/[^/]+\//.test(url.pathname) || (issuer !== null && /\/realms\/[^/]+\/?$/.test(issuer)),
    knownAudience: (audience) =>
      audience === 'account'
        ? {
            severity: 'medium',
            explanation:
              "Keycloak's default 'roles' client scope adds the 'account' audience (the account console API) to every access token; remove the audience mapper unless your clients need it.",
          }
        : null,
  },
  {
    id: 'entra',
    name: 'Microsoft Entra ID',
    matches: (url, issuer) =>
      hostIs(url, 'login.microsoftonline.com', 'login.windows.net', 'sts.windows.net', 'login.microsoftonline.us') ||
      (issuer !== null && /(sts\.windows\.net|login\.microsoftonline\.com)/.test(issuer)),
    // Entra puts the application id in aud for v2 tokens and the app id URI for v1;
    // Microsoft Graph's well-known application id is 00000003-0000-0000-c000-000000000000.
    isAlias: (audience, resourceServer) => {
      const graph = '00000003-0000-0000-c000-000000000000';
      if (audience === graph) return /^https:\/\/graph\.microsoft\.com\/?$/i.test(resourceServer);
      return resourceServer === `api://${audience}` || audience === `api://${resourceServer}`;
    },
  },
  {
    id: 'okta',
    name: 'Okta',
    // Okta's org and custom authorization servers: /oauth2/v1/token, /oauth2/<server id>/v1/token (also behind custom domains).
    matches: (url) =>
      hostIs(url, 'okta.com', 'oktapreview.com', 'okta-emea.com') || /^\/oauth2\/([^/]+\/)?v1\/(token|introspect)$/.test(url.pathname),
  },
  {
    id: 'google',
    name: 'Google',
    matches: (url) =>
      hostIs(url, 'oauth2.googleapis.com', 'accounts.google.com') ||
      (hostIs(url, 'www.googleapis.com') && url.pathname.startsWith('/oauth2/')),
    identityServer: 'https://openidconnect.googleapis.com',
    scopeServer: (scope) => {
      if (/^https:\/\/www\.googleapis\.com\/auth\/userinfo\.(email|profile)$/.test(scope)) return 'https://openidconnect.googleapis.com';
      if (scope.startsWith('https://www.googleapis.com/auth/')) return 'https://www.googleapis.com';
      return null;
    },
  },
  {
    id: 'github',
    name: 'GitHub',
    matches: (url) => hostIs(url, 'github.com') && url.pathname.startsWith('/login/oauth/'),
    identityServer: 'https://api.github.com',
    // GitHub scopes (`repo`, `gist`, `read:user`) are all for the REST / GraphQL API.
    scopeServer: () => 'https://api.github.com',
  },
  {
    id: 'cognito',
    name: 'Amazon Cognito',
    matches: (url, issuer) => hostIs(url, 'amazoncognito.com') || (issuer !== null && /cognito-idp\.[^.]+\.amazonaws\.com/.test(issuer)),
    identityServer: undefined,
    noAudience: {
      severity: 'low',
      explanation:
        'Cognito access tokens carry client_id instead of aud by design; each API must check client_id and scope itself, since the token names no audience.',
    },
  },
];

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
