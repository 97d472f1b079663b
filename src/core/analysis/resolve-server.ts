/**
 * DESIGN "Resource-server resolution": the first step that applies names the server a token is for,
 * and how sure that is (`confidence`, src/core/confidence.ts).
 */
import { CONFIDENCE_OF } from '../confidence.js';
import { type JsonObject, nonEmptyString } from '../json.js';
import { isIdentityScope, isSameServer, splitScopes } from '../scopes.js';
import { audiences, type DecodedToken } from '../tokens.js';
import type { Confidence, ResolvedBy } from '../types.js';
import { type ExchangeContext, isAliasOf, knownAudience, serverOfScope } from './exchange-context.js';
import { UNKNOWN_SERVER } from './findings.js';

export interface ResolvedServer {
  id: string;
  resolvedBy: ResolvedBy;
  confidence: Confidence;
}

const resolved = (id: string, resolvedBy: ResolvedBy, confidence = CONFIDENCE_OF[resolvedBy]): ResolvedServer => ({
  id,
  resolvedBy,
  confidence,
});

/**
 * The server an `aud` value stands for: a documented audience name's server (Graph's application id), else the
 * server the client asked for that the provider says this value names (Entra v2's application id for the App ID
 * URI in the requested scopes: the two names are remembered as one server for this exchange), else the value.
 */
function serverOfAudience(aud: string, claims: JsonObject | null, askedScopes: readonly string[], context: ExchangeContext): string {
  const documented = context.profile?.audienceServer?.(aud, context.profileContext);
  if (documented) return documented;
  const named = claims ? context.profile?.namedAudience?.(aud, claims, askedScopes) : null;
  if (!named) return aud;
  context.audienceAliases.set(named, aud);
  return named;
}

/**
 * The servers a token's `aud` names: known extra audiences (Auth0's `/userinfo`, Keycloak's `account`)
 * set aside unless one is all there is, each read as the server it stands for (`serverOfAudience`), aliases of
 * one server counted once, and narrowed to the requested resources when several were asked for and it names some.
 * `askedScopes`: the scopes the request asked for and the response granted with this token.
 */
export function audienceServers(claims: JsonObject | null, context: ExchangeContext, askedScopes: readonly string[] = []): string[] {
  const all = [...new Set(audiences(claims))];
  const primary = all.filter((aud) => !knownAudience(aud, context, claims));
  const named = (primary.length === 0 && all.length === 1 ? all : primary).map((aud) =>
    serverOfAudience(aud, claims, askedScopes, context),
  );
  const distinct: string[] = [];
  for (const server of named) if (!distinct.some((seen) => isAliasOf(server, seen, context))) distinct.push(server);
  const requested = context.requestedResources;
  const narrowed = requested.length > 1 ? distinct.filter((server) => requested.some((r) => isSameServer(r, server))) : distinct;
  // An aud that names none of the requested resources still names the token's server (the audience rule says what was asked).
  return narrowed.length > 0 ? narrowed : distinct;
}

function endpointUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** The step after the token: the provider's documented API, then the scopes, then several requested resources, else unknown. */
function resolveWithoutToken(entry: JsonObject, claims: JsonObject | null, scopes: string[], context: ExchangeContext): ResolvedServer {
  // The response's scopes, else the token's own (RFC 9068 s2.2.3 `scope`, Entra `scp`).
  const scopeSource = scopes.length > 0 ? scopes : [...splitScopes(claims?.scope), ...splitScopes(claims?.scp)];
  const api = context.profile?.apiServer?.(entry, scopeSource, endpointUrl(context.profileContext.url));
  if (api) return resolved(api, 'provider');
  for (const scope of scopeSource) {
    const server = serverOfScope(scope, context.profile);
    if (server) return resolved(server, 'scope');
  }
  if (scopeSource.some(isIdentityScope)) return resolved(context.identityServer, 'scope');
  const requested = context.requestedResources;
  // Several resources asked for and nothing to choose between them: the first is a guess.
  if (requested.length > 1) return resolved(requested[0] as string, 'request', 'fallback');
  return resolved(UNKNOWN_SERVER, 'unknown');
}

/**
 * The resource servers of one response entry, first step that applies: its `resource_server` (Globus),
 * its `resource` (Entra v1), the request's one `resource`/`audience`, the access token's `aud` (one
 * server, or every API it names), the provider's documented API, the scopes, else the first of several
 * requested resources, else unknown. One server, except for a token whose `aud` names several APIs.
 */
export function resolveServers(
  entry: JsonObject,
  access: DecodedToken | null,
  scopes: string[],
  context: ExchangeContext,
): ResolvedServer[] {
  const servers = resolveBySteps(entry, access, scopes, context);
  const metadata = context.metadataResource;
  if (metadata === null) return servers;
  // RFC 9728 s2: the protected resource's own metadata names this server too; the step that named it stays `resolvedBy`.
  return servers.map((server) => (isSameServer(server.id, metadata) ? { ...server, confidence: 'metadata' } : server));
}

function resolveBySteps(entry: JsonObject, access: DecodedToken | null, scopes: string[], context: ExchangeContext): ResolvedServer[] {
  const resourceServer = nonEmptyString(entry.resource_server);
  if (resourceServer) return [resolved(resourceServer, 'resource_server')];
  const resource = nonEmptyString(entry.resource);
  if (resource) return [resolved(resource, 'resource')];
  const requested = context.requestedResources;
  if (requested.length === 1) return [resolved(requested[0] as string, 'request')];

  const claims = access?.report.claims ?? null;
  const fromAudience = audienceServers(claims, context, [...new Set([...context.request.scopes, ...scopes])]);
  if (fromAudience.length > 0) return fromAudience.map((id) => resolved(id, 'aud'));
  return [resolveWithoutToken(entry, claims, scopes, context)];
}
