/**
 * Microsoft Entra ID: its first-party application ids, and the API an application id in `aud` stands for when the
 * client asked for it by its Application ID URI.
 */
import type { JsonObject } from '../json.js';
import { isIdentityScope, splitScopes } from '../scopes.js';
import { hostIs, type ProviderProfile, UUID } from './profile.js';

/** Microsoft first-party application ids that appear as `aud`, and the API each stands for (learn.microsoft.com, "first-party apps"). */
const MICROSOFT_APP_IDS: Readonly<Record<string, string>> = {
  // https://learn.microsoft.com/en-us/troubleshoot/entra/entra-id/governance/verify-first-party-apps-sign-in
  '00000003-0000-0000-c000-000000000000': 'https://graph.microsoft.com',
  '797f4846-ba00-4fd7-ba43-dac1f8f63013': 'https://management.azure.com',
  'e406a681-f3d4-42a8-90b6-c2b029497af1': 'https://storage.azure.com',
  'cfa8b339-82a2-471a-a3c9-0fc0be7a4093': 'https://vault.azure.net',
};
const MICROSOFT_APIS = new Set(Object.values(MICROSOFT_APP_IDS));

/**
 * An Entra scope as its Application ID URI and its name: `api://orders-api/Orders.Read` is
 * [`api://orders-api`, `Orders.Read`] (a scope is the App ID URI, a slash and the scope's name:
 * https://learn.microsoft.com/en-us/entra/identity-platform/quickstart-configure-app-expose-web-apis ,
 * https://learn.microsoft.com/en-us/entra/identity-platform/scopes-oidc#scopes-and-permissions). Null for identity
 * scopes and for scopes whose first part is no URI.
 */
function splitEntraScope(scope: string): [uri: string, name: string] | null {
  if (isIdentityScope(scope)) return null;
  const slash = scope.lastIndexOf('/');
  if (slash <= 0 || slash === scope.length - 1) return null;
  const uri = scope.slice(0, slash).replace(/\/+$/, '');
  return /^[a-z][a-z0-9+.-]*:\/\/[^/]+/i.test(uri) ? [uri, scope.slice(slash + 1)] : null;
}

/** Whether an App ID URI names another application than `audience`: `api://<other client id>`, or a Microsoft API. */
function namesAnotherApp(uri: string, audience: string): boolean {
  const appId = /^api:\/\/([^/]+)$/i.exec(uri)?.[1];
  if (appId && UUID.test(appId)) return appId.toLowerCase() !== audience.toLowerCase();
  return MICROSOFT_APIS.has(uri.toLowerCase());
}

/**
 * The Application ID URI an application id in `aud` stands for, told by what the client asked for. Entra v2.0
 * access tokens carry the API's application (client) id in `aud`, never the App ID URI the client named in `scope`;
 * v1.0 tokens may carry the URI itself (https://learn.microsoft.com/en-us/entra/identity-platform/access-token-claims-reference ,
 * `aud`). The token is that API's when exactly one App ID URI the client asked for has a scope the token carries:
 * in `scp` (delegated, a user's token) or `roles` (application permissions, client credentials), same reference;
 * `.default` asks for whatever was granted, so any `scp` or `roles` will do. An aud that is another API than the
 * one asked for (its scopes not carried, an `api://<other id>`, or a Microsoft API's URI) is not named.
 */
export function appIdUriOfAudience(audience: string, claims: JsonObject, askedScopes: readonly string[]): string | null {
  if (!UUID.test(audience) || MICROSOFT_APP_IDS[audience.toLowerCase()]) return null;
  const carried = new Set([...splitScopes(claims.scp), ...splitScopes(claims.roles)].map((name) => name.toLowerCase()));
  if (carried.size === 0) return null;
  const names = new Map<string, string[]>();
  for (const scope of askedScopes) {
    const parts = splitEntraScope(scope);
    if (parts) names.set(parts[0], [...(names.get(parts[0]) ?? []), parts[1].toLowerCase()]);
  }
  const candidates = [...names].filter(
    ([uri, asked]) => !namesAnotherApp(uri, audience) && (asked.includes('.default') || asked.some((name) => carried.has(name))),
  );
  return candidates.length === 1 ? (candidates[0]?.[0] ?? null) : null;
}

export const ENTRA_PROFILE: ProviderProfile = {
  id: 'entra',
  name: 'Microsoft Entra ID',
  docs: 'https://learn.microsoft.com/en-us/entra/identity-platform/access-token-claims-reference',
  matches: (url, issuer) =>
    hostIs(url, 'login.microsoftonline.com', 'login.windows.net', 'sts.windows.net', 'login.microsoftonline.us') ||
    (issuer !== null && /(sts\.windows\.net|login\.microsoftonline\.com)/.test(issuer)),
  // Entra puts the application id in aud for v2 tokens and the app id URI for v1; Microsoft's
  // first-party APIs have well-known application ids (Graph: 00000003-0000-0000-c000-000000000000).
  audienceServer: (audience) => MICROSOFT_APP_IDS[audience.toLowerCase()] ?? null,
  namedAudience: appIdUriOfAudience,
  isAlias: (audience, resourceServer) => {
    const named = MICROSOFT_APP_IDS[audience.toLowerCase()];
    if (named) return resourceServer.replace(/\/+$/, '').toLowerCase() === named;
    return resourceServer === `api://${audience}` || audience === `api://${resourceServer}`;
  },
};
