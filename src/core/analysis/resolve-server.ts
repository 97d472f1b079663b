/** DESIGN "Resource-server resolution": the first step that applies names the server a token is for. */
import { nonEmptyString, type JsonObject } from '../json.js';
import { isIdentityScope, isSameServer, splitScopes } from '../scopes.js';
import { audiences, type DecodedToken } from '../tokens.js';
import type { ResolvedBy } from '../types.js';
import { type ExchangeContext, serverOfScope } from './exchange-context.js';
import { UNKNOWN_SERVER } from './findings.js';

export interface ResolvedServer {
  id: string;
  resolvedBy: ResolvedBy;
}

/**
 * The resource server of one response entry: its `resource_server` (Globus), its `resource`
 * (Entra v1), the request's one `resource`/`audience`, the access token's one `aud`, its scopes,
 * else the first requested resource, else unknown.
 */
export function resolveServer(entry: JsonObject, access: DecodedToken | null, scopes: string[], context: ExchangeContext): ResolvedServer {
  const resourceServer = nonEmptyString(entry.resource_server);
  if (resourceServer) return { id: resourceServer, resolvedBy: 'resource_server' };
  const resource = nonEmptyString(entry.resource);
  if (resource) return { id: resource, resolvedBy: 'resource' };
  const requested = context.request.resources;
  if (requested.length === 1) return { id: requested[0] as string, resolvedBy: 'request' };

  const claims = access?.report.claims ?? null;
  const issuerContext = { ...context.profileContext, issuer: nonEmptyString(claims?.iss) };
  // An audience the provider is known to add (Auth0's `/userinfo`, Keycloak's `account`) names no server.
  const primary = [...new Set(audiences(claims))].filter((aud) => !context.profile?.knownAudience?.(aud, issuerContext));
  const chosen = requested.length > 1 ? primary.filter((aud) => requested.some((r) => isSameServer(r, aud))) : primary;
  if (chosen.length === 1) return { id: chosen[0] as string, resolvedBy: 'aud' };

  // The response's scopes, else the token's own (RFC 9068 s2.2.3 `scope`, Entra `scp`).
  const scopeSource = scopes.length > 0 ? scopes : [...splitScopes(claims?.scope), ...splitScopes(claims?.scp)];
  for (const scope of scopeSource) {
    const server = serverOfScope(scope, context.profile);
    if (server) return { id: server, resolvedBy: 'scope' };
  }
  if (scopeSource.some(isIdentityScope)) return { id: context.identityServer, resolvedBy: 'scope' };
  if (requested.length > 1) return { id: requested[0] as string, resolvedBy: 'request' };
  return { id: UNKNOWN_SERVER, resolvedBy: 'unknown' };
}
