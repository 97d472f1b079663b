/** Rules on whom an access token is for: audience-beyond-server, audience-missing-server, no-audience, resource-not-honoured, opaque-token. */
import { type ExchangeContext, type GrantedToken, isAliasOf, knownAudience, type ServerGrant } from '../analysis/exchange-context.js';
import { addFinding, quote, quoteList, serverName, UNKNOWN_SERVER } from '../analysis/findings.js';
import type { Confidence } from '../types.js';
import { isSameServer } from '../scopes.js';
import { audiences } from '../tokens.js';

/** Where the claims came from: the JWT itself, or an introspection answer about an opaque token. */
export type ClaimsOrigin = 'jwt' | 'introspection';

/** `https://host/a/b` as [`https://host`, [`a`, `b`]]; a bare host as `https://host`; null for ids that are not URLs or hosts. */
function urlParts(id: string): { origin: string; path: string[] } | null {
  const match = /^(https?):\/\/([^/?#]+)([^?#]*)/i.exec(id) ?? /^()([a-z0-9-]+(?:\.[a-z0-9-]+)+)()$/i.exec(id);
  if (!match) return null;
  const scheme = (match[1] || 'https').toLowerCase();
  return { origin: `${scheme}://${(match[2] as string).toLowerCase()}`, path: (match[3] ?? '').split('/').filter(Boolean) };
}

/** Whether `audience` names the host (or a path above) that `server` lives under: broader than the server, the same service. */
export function isBroaderThan(audience: string, server: string): boolean {
  const aud = urlParts(audience);
  const target = urlParts(server);
  if (!aud || !target || aud.origin !== target.origin || aud.path.length >= target.path.length) return false;
  return aud.path.every((segment, i) => segment === target.path[i]);
}

const BROADER_REASON = 'the audience names the host the resource server lives on: broader than asked, not another service';

/** RFC 9068 s4 and RFC 8707 s2: an audience that does not name the server at all. */
function reportMissingServer(
  grant: ServerGrant,
  auds: string[],
  broader: boolean,
  evidence: Record<string, unknown>,
  context: ExchangeContext,
): void {
  const server = grant.id;
  const lowered = broader ? { severity: 'low' as const, lowered: { from: 'high' as const, reason: BROADER_REASON } } : {};
  if (grant.resolvedBy === 'request') {
    addFinding(context.findings, 'resource-not-honoured', {
      resourceServer: server,
      tokenKind: 'access',
      confidence: grant.confidence,
      ...lowered,
      message: broader
        ? `The client asked for a token for ${quote(server)}; the access token's audience is ${quoteList(auds)}, the host it lives on.`
        : `The client asked for a token for ${quote(server)}, but the access token's audience is ${quoteList(auds)}.`,
      evidence: { ...evidence, requested: context.requestedResources },
    });
    return;
  }
  addFinding(context.findings, 'audience-missing-server', {
    resourceServer: server,
    tokenKind: 'access',
    confidence: grant.confidence,
    ...lowered,
    message: broader
      ? `The access token filed under ${quote(server)} names the host it lives on (${quoteList(auds)}) rather than the server itself.`
      : `The access token filed under ${quote(server)} does not name it in its audience (${quoteList(auds)}), so it is really a token for another service.`,
    evidence: { ...evidence, resolvedBy: grant.resolvedBy },
  });
}

/** RFC 8707 s2: several resources were asked for and the token's aud names none of them (one requested resource is resolved by the request). */
function reportUnrequestedAudience(auds: string[], grant: ServerGrant, evidence: Record<string, unknown>, context: ExchangeContext): void {
  const requested = context.requestedResources;
  if (requested.length === 0 || auds.some((aud) => requested.some((r) => isSameServer(r, aud) || isBroaderThan(aud, r)))) return;
  addFinding(context.findings, 'resource-not-honoured', {
    resourceServer: grant.id,
    tokenKind: 'access',
    confidence: grant.confidence,
    message: `The client asked for a token for ${quoteList(requested)}, but the access token's audience is ${quoteList(auds)}.`,
    evidence: { ...evidence, requested },
  });
}

/** One token for several APIs (its `aud` names each, and it is filed under each): one finding, on the first of them. */
function reportSharedAudience(servers: string[], grant: ServerGrant, evidence: Record<string, unknown>, context: ExchangeContext): void {
  addFinding(context.findings, 'audience-beyond-server', {
    resourceServer: grant.id,
    tokenKind: 'access',
    confidence: grant.confidence,
    message: `One access token is accepted by ${servers.length} resource servers (${quoteList(servers)}), so each of them would accept a token meant for another.`,
    evidence: { ...evidence, resourceServers: servers },
  });
}

/** RFC 9068 s4 and RFC 8707 s2: the audience must name this resource server, and only it. */
export function checkAudience(token: GrantedToken, grant: ServerGrant, context: ExchangeContext, origin: ClaimsOrigin): void {
  const { report } = token.decoded;
  const claims = report.claims;
  if (!claims) return;
  const server = grant.id;
  const auds = [...new Set(audiences(claims))];
  const evidence = {
    aud: claims.aud ?? null,
    fingerprint: report.fingerprint,
    ...(origin === 'introspection' ? { from: 'introspection' } : {}),
  };

  if (auds.length === 0) {
    if (origin === 'introspection') return; // RFC 7662 s2.2: aud is optional in introspection.
    const known = context.profile?.noAudience;
    addFinding(context.findings, 'no-audience', {
      resourceServer: server,
      tokenKind: 'access',
      severity: known?.severity,
      explanation: known?.explanation,
      message: `The access token for ${serverName(server)} is a JWT without an aud claim, so any resource server that trusts its issuer would accept it.`,
      evidence: { ...evidence, client_id: claims.client_id ?? null },
    });
    return;
  }
  if (server === UNKNOWN_SERVER) {
    if (auds.length > 1)
      addFinding(context.findings, 'audience-beyond-server', {
        resourceServer: null,
        tokenKind: 'access',
        confidence: 'fallback',
        message: `One access token is accepted by ${auds.length} audiences (${quoteList(auds)}), so each of those services would accept a token meant for another.`,
        evidence,
      });
    return;
  }

  const servers = token.audienceServers ?? [server];
  const matching = auds.filter((aud) => servers.some((s) => isAliasOf(aud, s, context)));
  const broader = auds.filter((aud) => !matching.includes(aud) && servers.some((s) => isBroaderThan(aud, s)));
  const others = auds.filter((aud) => !matching.includes(aud) && !broader.includes(aud));
  const isIdentityGrant = grant.resolvedBy === 'scope' && server === context.identityServer;
  if (matching.length === 0 && !isIdentityGrant) {
    reportMissingServer(grant, broader.length > 0 ? broader : others, broader.length > 0, evidence, context);
    return;
  }
  if (grant.resolvedBy === 'aud') reportUnrequestedAudience(auds, grant, evidence, context);
  if (servers.length > 1) reportSharedAudience(servers, grant, evidence, context);
  for (const aud of [...broader, ...others]) reportExtraAudience(aud, broader.includes(aud), grant, evidence, context, claims);
}

/** One audience beyond the server: a known pattern (lowered, explained), a broader one (low), or another service. */
function reportExtraAudience(
  aud: string,
  isBroader: boolean,
  grant: ServerGrant,
  evidence: Record<string, unknown>,
  context: ExchangeContext,
  claims: Record<string, unknown>,
): void {
  const known = knownAudience(aud, context, claims);
  addFinding(context.findings, 'audience-beyond-server', {
    resourceServer: grant.id,
    tokenKind: 'access',
    confidence: grant.confidence,
    severity: known?.severity ?? (isBroader ? 'low' : undefined),
    explanation: known?.explanation,
    ...(isBroader && !known ? { lowered: { from: 'high' as const, reason: BROADER_REASON } } : {}),
    message: `The access token for ${serverName(grant.id)} is also accepted by ${quote(aud)}: its audience goes beyond its resource server.`,
    evidence: { ...evidence, extraAudience: aud },
  });
}

/** RFC 8707 s2: the response names a `resource` other than every one the client asked for. */
export function checkResponseResource(resource: string, context: ExchangeContext): void {
  const requested = context.requestedResources;
  if (requested.length === 0 || requested.some((r) => isSameServer(r, resource))) return;
  const broader = requested.some((r) => isBroaderThan(resource, r));
  addFinding(context.findings, 'resource-not-honoured', {
    resourceServer: resource,
    tokenKind: 'access',
    confidence: 'response' satisfies Confidence,
    ...(broader ? { severity: 'low' as const, lowered: { from: 'high' as const, reason: BROADER_REASON } } : {}),
    message: `The client asked for a token for ${quoteList(requested)}, but the response says it is for ${quote(resource)}.`,
    evidence: { requested, resource },
  });
}

/** An opaque access token: its audience cannot be checked locally (RFC 7662 introspection can). */
export function checkOpaque(token: GrantedToken, resourceServer: string, context: ExchangeContext): void {
  const { report } = token.decoded;
  addFinding(context.findings, 'opaque-token', {
    resourceServer,
    tokenKind: 'access',
    message: `The access token for ${serverName(resourceServer)} is opaque: its audience cannot be checked here (introspect it, RFC 7662).`,
    evidence: { fingerprint: report.fingerprint, ...(report.note ? { note: report.note } : {}) },
  });
}
