/**
 * A token response: each entry (the top-level object, Globus `other_tokens[]`, a provider's nested
 * entry, or the items of a dependent-token array) becomes the grant of its resource server (of each, for
 * a token whose `aud` names several APIs), and every token is checked once.
 */
import { stronger } from '../confidence.js';
import { tokenBinding } from '../dpop.js';
import type { JsonObject } from '../json.js';
import { nonEmptyString } from '../json.js';
import { MAX_TOKEN_CHARS } from '../limits.js';
import { checkAudience, checkOpaque, checkResponseResource } from '../rules/audience.js';
import { checkAuthorizationDetailsAudience, checkAuthorizationDetailsDiff } from '../rules/authorization-details.js';
import { checkIdToken } from '../rules/id-token.js';
import { checkScopeDiff, checkScopes, checkUnassignedScopes } from '../rules/scopes.js';
import { checkUpstreamToken } from '../rules/upstream.js';
import { checkMalformed, checkSignature, checkValidity } from '../rules/validity.js';
import { isIdentityScope, isSameServer, splitScopes } from '../scopes.js';
import { audiences, decodeToken, numericClaim, peekClaims } from '../tokens.js';
import type { CapturedExchange, ExchangeReport, TokenKind } from '../types.js';
import { assignRequestedDetails, attachGrantedDetails } from './authorization-details.js';
import { markHeldToken } from './held-token.js';
import {
  type ExchangeContext,
  type GrantedToken,
  isAliasOf,
  type ServerGrant,
  serverOfScope,
  toResourceServerReport,
} from './exchange-context.js';
import { quote, serverName } from './findings.js';
import { type ResolvedServer, resolveServers } from './resolve-server.js';
import { readIssuedToken, shapeNotes } from './response-shapes.js';

const TOKEN_FIELDS = ['access_token', 'refresh_token', 'id_token'] as const;

/** Whether a response entry names any token field (even as null). */
export function hasTokenField(entry: JsonObject): boolean {
  return TOKEN_FIELDS.some((field) => field in entry);
}

/** The first `iss` among the response's JWTs, to recognize the provider (payload only: the tokens are decoded in full later). */
export function firstIssuer(entries: readonly JsonObject[]): string | null {
  for (const entry of entries) {
    for (const field of TOKEN_FIELDS) {
      const value = entry[field];
      if (typeof value !== 'string' || !value.startsWith('eyJ') || value.length > MAX_TOKEN_CHARS) continue;
      const iss = nonEmptyString(peekClaims(value)?.iss);
      if (iss) return iss;
    }
  }
  return null;
}

/** The tokens of one response entry, decoded, with the scopes the entry grants. */
function entryTokens(entry: JsonObject, scopes: string[], context: ExchangeContext) {
  const decode = (field: (typeof TOKEN_FIELDS)[number], kind: TokenKind, lifetime: number | null): GrantedToken | null => {
    const value = entry[field];
    if (typeof value !== 'string' || value === '') return null;
    const token = { decoded: decodeToken(value, kind, context.capturedAt, lifetime, context.showTokens), responseScopes: scopes };
    markHeldToken(token, value, entry);
    return token;
  };
  const issued = readIssuedToken(entry);
  const access = decode('access_token', issued.kind, numericClaim(entry.expires_in));
  if (access) {
    const report = access.decoded.report;
    const tokenType = nonEmptyString(entry.token_type);
    if (tokenType && issued.kind === 'access') report.tokenType = tokenType;
    const binding = issued.kind === 'access' ? tokenBinding(report.claims, tokenType, context.dpopProof) : null;
    if (binding) report.binding = binding;
    if (issued.issuedTokenType) report.issuedTokenType = issued.issuedTokenType;
    if (issued.note) report.note = report.note ? `${issued.note}; ${report.note}` : issued.note;
    if (issued.notAccessToken) access.notAccessToken = true;
  }
  const refresh = decode('refresh_token', 'refresh', numericClaim(entry.refresh_expires_in ?? entry.refresh_token_expires_in));
  const idToken = decode('id_token', 'id', null);
  return {
    access: access?.decoded.report.kind === 'access' ? access : null,
    other: access?.decoded.report.kind === 'access' ? null : access,
    refresh,
    idToken,
  };
}

/** The grant of one resolved server: the existing one (its confidence the stronger of the two), else a new one. */
function grantFor(server: ResolvedServer, grants: ServerGrant[], notes: string[], label: string | undefined): ServerGrant {
  const existing = grants.find((g) => g.id === server.id);
  if (!existing) {
    const grant: ServerGrant = { ...server, scopes: [], requestedScopes: [], tokens: [] };
    grants.push(grant);
    return grant;
  }
  if (stronger(server.confidence, existing.confidence) !== existing.confidence) {
    existing.confidence = server.confidence;
    existing.resolvedBy = server.resolvedBy;
  }
  notes.push(
    label ? `${quote(server.id)}: ${label}` : `${quote(server.id)} appears more than once in the response; its grants are shown together.`,
  );
  return existing;
}

/** Read one response entry into the grant of its resource server (of each, for a token for several APIs). Returns the first. */
function addEntry(
  entry: JsonObject,
  isTopLevelEntry: boolean,
  grants: ServerGrant[],
  clients: ServerGrant[],
  report: ExchangeReport,
  context: ExchangeContext,
) {
  const explicitScopes = 'scope' in entry ? splitScopes(entry.scope) : null;
  if (isTopLevelEntry && explicitScopes === null && context.request.scopes.length > 0) {
    report.notes.push('The response names no scope: RFC 6749 s5.1 reads that as exactly the requested scopes.');
  }
  const scopes = explicitScopes ?? (isTopLevelEntry ? context.request.scopes : []);
  const { access, other, refresh, idToken } = entryTokens(entry, scopes, context);
  if (isTopLevelEntry && !access && !other && hasTokenField(entry)) {
    report.notes.push(entry.access_token === null ? 'The response has "access_token": null.' : 'The response has no access token.');
  }

  // Something that is not an access token (RFC 8693 N_A) names its server at most once.
  const resolved = resolveServers(entry, access?.decoded ?? null, scopes, context).slice(0, access?.notAccessToken ? 1 : undefined);
  if (resolved[0]?.resolvedBy === 'resource') checkResponseResource(resolved[0].id, context);
  const servers = resolved.map((server) => grantFor(server, grants, report.notes, context.nestedEntries.get(entry)));
  if (access && servers.length > 1) access.audienceServers = servers.map((grant) => grant.id);
  for (const grant of servers) {
    const alias = context.audienceAliases.get(grant.id);
    if (alias && !grant.aliases?.includes(alias)) grant.aliases = [...(grant.aliases ?? []), alias];
    // A set of what the grant holds: a response of 40,000 scopes is added in linear time.
    const held = new Set(grant.scopes);
    for (const scope of scopes)
      if (!held.has(scope)) {
        held.add(scope);
        grant.scopes.push(scope);
      }
    if (access) grant.tokens.push(access);
  }
  const first = servers[0] as ServerGrant;
  attachGrantedDetails(entry, access, first, context);
  for (const token of [other, refresh]) if (token) first.tokens.push(token);
  if (idToken) (clientGrant(idToken, clients, context) ?? first).tokens.push(idToken);
  const upstream = context.upstreamEntries.get(entry);
  if (upstream) {
    const whose = upstream.provider ? `${quote(upstream.provider)}'s own token` : "the upstream provider's own token";
    for (const token of [access, other, refresh]) {
      if (!token) continue;
      const field = token.decoded.report.kind === 'refresh' ? 'provider_refresh_token' : 'provider_token';
      const note = `${whose}, handed on as ${field}`;
      token.decoded.report.note = token.decoded.report.note ? `${note}; ${token.decoded.report.note}` : note;
    }
    checkUpstreamToken(upstream, first, context);
  }
  if (isTopLevelEntry) report.notes.push(...shapeNotes(entry, `The token for ${serverName(first.id)}`));
  return first;
}

/**
 * The grant of the client an ID token was issued to, where the token is filed (not under an API: OIDC Core s2, an
 * ID token's `aud` is the client id): named by the request's `client_id` when the token's `aud` holds it (or the
 * token cannot be read), else by the token's `azp`, else its first `aud`. Null when nothing names a client.
 */
function clientGrant(idToken: GrantedToken, clients: ServerGrant[], context: ExchangeContext): ServerGrant | null {
  const claims = idToken.decoded.report.claims;
  const auds = audiences(claims);
  const clientId = context.request.clientId;
  const id = clientId && (auds.includes(clientId) || !claims) ? clientId : (nonEmptyString(claims?.azp) ?? auds[0] ?? clientId);
  if (!id) return null;
  const named = auds.includes(id);
  const existing = clients.find((grant) => grant.id === id);
  if (existing) return existing;
  const grant: ServerGrant = {
    id,
    resolvedBy: 'client',
    confidence: named ? 'token' : 'request',
    scopes: [],
    requestedScopes: [],
    tokens: [],
  };
  clients.push(grant);
  return grant;
}

/**
 * Files each requested scope under the grant of its server; returns the scopes no grant took. A response
 * with one grant takes every requested scope except those whose own name says they are another server's
 * (a Globus token answered for transfer.api.globus.org does not take a groups.api.globus.org scope).
 */
function assignRequestedScopes(grants: ServerGrant[], context: ExchangeContext, topLevelGrant: ServerGrant | undefined): string[] {
  const requested = context.request.scopes;
  if (grants.length === 1) {
    const grant = grants[0] as ServerGrant;
    const isOthers = (scope: string) => {
      const server = serverOfScope(scope, context.profile);
      return server !== null && !grant.scopes.includes(scope) && !isAliasOf(server, grant.id, context);
    };
    grant.requestedScopes = requested.filter((scope) => !isOthers(scope));
    return requested.filter(isOthers);
  }
  const unassigned: string[] = [];
  for (const scope of requested) {
    const server = isIdentityScope(scope) ? context.identityServer : serverOfScope(scope, context.profile);
    const grant =
      (server ? grants.find((g) => isSameServer(g.id, server)) : undefined) ??
      grants.find((g) => g.scopes.includes(scope)) ??
      (server === null ? topLevelGrant : undefined);
    if (grant) grant.requestedScopes.push(scope);
    else unassigned.push(scope);
  }
  return unassigned;
}

/** Every rule that looks at one token, by its kind and format. */
function checkGrantedToken(token: GrantedToken, grant: ServerGrant, context: ExchangeContext): void {
  const { report } = token.decoded;
  if (checkMalformed(token, grant.id, context)) return;
  checkSignature(token, grant.id, context);
  checkValidity(token, grant.id, context);
  if (report.kind === 'id') {
    checkIdToken(token, grant, context);
    return;
  }
  if (report.kind !== 'access' || token.notAccessToken) return;
  // A placeholder for a token the site's service worker holds is not an opaque token: its note says what it is.
  if (report.format === 'opaque' && !report.heldBy) checkOpaque(token, grant.id, context);
  else if (report.format === 'opaque') return;
  else checkAudience(token, grant, context, 'jwt');
  checkScopes(token, grant, context);
  checkAuthorizationDetailsAudience(token, grant, context);
}

/** The `aud` of the response's first JWT access token (payload only), to recognize the provider. */
export function firstAccessAudiences(entries: readonly JsonObject[]): string[] {
  for (const entry of entries) {
    const value = entry.access_token;
    if (typeof value !== 'string' || !value.startsWith('eyJ') || value.length > MAX_TOKEN_CHARS) continue;
    const claims = peekClaims(value);
    if (claims) return audiences(claims);
  }
  return [];
}

/**
 * Requested scopes the response did not list but honoured with a token (OpenID Connect grants these by issuing, and
 * many servers leave them out of `scope`: Entra v2 lists only the API's, Globus its own): `offline_access` by a
 * refresh token, or on a refresh grant by the refresh token in use (OIDC Core s11); the OpenID scopes by an ID token
 * (s3.1.2.1, s5.4). Neither "dropped" in scope-diff nor struck through in the views.
 */
function markHonoured(grant: ServerGrant, withIdToken: boolean, context: ExchangeContext): void {
  const refreshed = context.request.grantType === 'refresh_token' || grant.tokens.some((token) => token.decoded.report.kind === 'refresh');
  const listed = new Set(grant.scopes);
  const honoured = grant.requestedScopes.filter(
    (scope) =>
      !listed.has(scope) && (scope === 'offline_access' || scope === 'offline' ? refreshed : isIdentityScope(scope) && withIdToken),
  );
  if (honoured.length > 0) grant.honoured = honoured;
}

/** Analyze a response that holds tokens: the grants per resource server, and every rule on them. */
export function analyzeTokenResponse(
  report: ExchangeReport,
  entries: readonly JsonObject[],
  captured: CapturedExchange,
  context: ExchangeContext,
): void {
  report.kind = 'token';
  const grants: ServerGrant[] = [];
  const clients: ServerGrant[] = [];
  let topLevelGrant: ServerGrant | undefined;
  entries.forEach((entry, index) => {
    const grant = addEntry(entry, index === 0, grants, clients, report, context);
    if (index === 0) topLevelGrant = grant;
  });

  // The client's grant holds ID tokens only: requested scopes are the resource servers' (after them in the report).
  const unassigned = assignRequestedScopes(grants, context, topLevelGrant);
  assignRequestedDetails(grants, topLevelGrant, context);
  const withIdToken = clients.length > 0 || grants.some((grant) => grant.tokens.some((token) => token.decoded.report.kind === 'id'));
  for (const grant of grants) markHonoured(grant, withIdToken, context);
  grants.push(...clients);
  // A token filed under several servers (its aud names each) is checked once, against the first.
  const checked = new Set<GrantedToken>();
  for (const grant of grants) {
    for (const token of grant.tokens) {
      if (checked.has(token)) continue;
      checked.add(token);
      checkGrantedToken(token, grant, context);
    }
    checkScopeDiff(grant, context);
    checkAuthorizationDetailsDiff(grant, context);
  }
  checkUnassignedScopes(unassigned, grants, context);
  report.resourceServers = grants.map(toResourceServerReport);
  if (captured.status !== null && captured.status >= 400)
    report.notes.push(`The token endpoint answered HTTP ${captured.status} with tokens in the body.`);
}
