/** Rules on scopes: scope-beyond-server, scope-diff. */
import { type ExchangeContext, type GrantedToken, isAliasOf, type ServerGrant, serverOfScope } from '../analysis/exchange-context.js';
import { addFinding, quoteList, serverName, UNKNOWN_SERVER } from '../analysis/findings.js';
import { splitScopes } from '../scopes.js';

/** RFC 9068 s3: a token's scopes should all belong to the server it is for. */
export function checkScopes(token: GrantedToken, grant: ServerGrant, context: ExchangeContext): void {
  if (grant.id === UNKNOWN_SERVER) return;
  const claims = token.decoded.report.claims;
  const tokenScopes = new Set([...token.responseScopes, ...splitScopes(claims?.scope), ...splitScopes(claims?.scp)]);
  const foreign: Record<string, string> = {};
  for (const scope of tokenScopes) {
    const server = serverOfScope(scope, context.profile);
    if (server && !isAliasOf(server, grant.id, context)) foreign[scope] = server;
  }
  const scopes = Object.keys(foreign);
  if (scopes.length === 0) return;
  const servers = [...new Set(Object.values(foreign))];
  addFinding(context.findings, 'scope-beyond-server', {
    resourceServer: grant.id,
    tokenKind: 'access',
    confidence: grant.confidence,
    message: `The access token for ${serverName(grant.id)} also carries scopes of ${quoteList(servers)}: ${quoteList(scopes)}.`,
    evidence: { scopes: foreign, fingerprint: token.decoded.report.fingerprint },
  });
}

/** RFC 6749 s3.3: the granted scope may differ from the requested one; say how. */
export function checkScopeDiff(grant: ServerGrant, context: ExchangeContext): void {
  if (grant.requestedScopes.length === 0 || grant.scopes.length === 0) return;
  // Sets: a response can carry tens of thousands of scopes, and `includes` in a filter is quadratic.
  const granted = new Set([...grant.scopes, ...(grant.honoured ?? [])]);
  const requested = new Set(grant.requestedScopes);
  const dropped = grant.requestedScopes.filter((scope) => !granted.has(scope));
  const added = grant.scopes.filter((scope) => !requested.has(scope));
  if (dropped.length === 0 && added.length === 0) return;
  const parts = [dropped.length ? `dropped ${quoteList(dropped)}` : '', added.length ? `added ${quoteList(added)}` : ''].filter(Boolean);
  addFinding(context.findings, 'scope-diff', {
    resourceServer: grant.id,
    message: `${serverName(grant.id)} was granted other scopes than requested: ${parts.join('; ')}.`,
    evidence: { requested: grant.requestedScopes, granted: grant.scopes, dropped, added },
  });
}

/** RFC 6749 s3.3: requested scopes that no resource server of a multi-server response was granted. */
export function checkUnassignedScopes(unassigned: readonly string[], grants: readonly ServerGrant[], context: ExchangeContext): void {
  if (unassigned.length === 0 || !grants.some((grant) => grant.scopes.length > 0)) return;
  addFinding(context.findings, 'scope-diff', {
    message: `Requested scopes were granted to no resource server: ${quoteList(unassigned)}.`,
    evidence: { requested: context.request.scopes, dropped: unassigned, added: [] },
  });
}
