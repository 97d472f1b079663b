/** Rules on whom an access token is for: audience-beyond-server, audience-missing-server, no-audience, resource-not-honoured, opaque-token. */
import { type ExchangeContext, type GrantedToken, isAliasOf, type ServerGrant } from '../analysis/exchange-context.js';
import { addFinding, quote, quoteList, serverName, UNKNOWN_SERVER } from '../analysis/findings.js';
import { nonEmptyString } from '../json.js';
import { isSameServer } from '../scopes.js';
import { audiences } from '../tokens.js';

/** Where the claims came from: the JWT itself, or an introspection answer about an opaque token. */
export type ClaimsOrigin = 'jwt' | 'introspection';

/** RFC 9068 s4 and RFC 8707 s2: the audience must name this resource server, and only it. */
export function checkAudience(token: GrantedToken, grant: ServerGrant, context: ExchangeContext, origin: ClaimsOrigin): void {
  const { report } = token.decoded;
  const claims = report.claims;
  if (!claims) return;
  const server = grant.id;
  const auds = [...new Set(audiences(claims))];
  const evidenceBase = {
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
      evidence: { ...evidenceBase, client_id: claims.client_id ?? null },
    });
    return;
  }

  if (server === UNKNOWN_SERVER) {
    if (auds.length > 1) {
      addFinding(context.findings, 'audience-beyond-server', {
        resourceServer: null,
        tokenKind: 'access',
        message: `One access token is accepted by ${auds.length} audiences (${quoteList(auds)}), so each of those services would accept a token meant for another.`,
        evidence: evidenceBase,
      });
    }
    return;
  }

  const matching = auds.filter((aud) => isAliasOf(aud, server, context));
  const others = auds.filter((aud) => !matching.includes(aud));
  const isIdentityGrant = grant.resolvedBy === 'scope' && server === context.identityServer;
  if (matching.length === 0 && !isIdentityGrant) {
    if (grant.resolvedBy === 'request') {
      addFinding(context.findings, 'resource-not-honoured', {
        resourceServer: server,
        tokenKind: 'access',
        message: `The client asked for a token for ${quote(server)}, but the access token's audience is ${quoteList(others)}.`,
        evidence: { ...evidenceBase, requested: context.request.resources },
      });
    } else {
      addFinding(context.findings, 'audience-missing-server', {
        resourceServer: server,
        tokenKind: 'access',
        message: `The access token filed under ${quote(server)} does not name it in its audience (${quoteList(others)}), so it is really a token for another service.`,
        evidence: { ...evidenceBase, resolvedBy: grant.resolvedBy },
      });
    }
    return;
  }
  const issuerContext = { ...context.profileContext, issuer: nonEmptyString(claims.iss) };
  for (const aud of others) {
    const known = context.profile?.knownAudience?.(aud, issuerContext);
    addFinding(context.findings, 'audience-beyond-server', {
      resourceServer: server,
      tokenKind: 'access',
      severity: known?.severity,
      explanation: known?.explanation,
      message: `The access token for ${serverName(server)} is also accepted by ${quote(aud)}: its audience goes beyond its resource server.`,
      evidence: { ...evidenceBase, extraAudience: aud },
    });
  }
}

/** RFC 8707 s2: the response names a `resource` other than every one the client asked for. */
export function checkResponseResource(resource: string, context: ExchangeContext): void {
  const requested = context.request.resources;
  if (requested.length === 0 || requested.some((r) => isSameServer(r, resource))) return;
  addFinding(context.findings, 'resource-not-honoured', {
    resourceServer: resource,
    tokenKind: 'access',
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
