/**
 * A token response: each entry (the top-level object, Globus `other_tokens[]`, or the items of a
 * dependent-token array) becomes the grant of one resource server, and every token is checked.
 */
import type { JsonObject } from '../json.js';
import { nonEmptyString } from '../json.js';
import { MAX_TOKEN_CHARS } from '../limits.js';
import { checkAudience, checkOpaque, checkResponseResource } from '../rules/audience.js';
import { checkIdToken } from '../rules/id-token.js';
import { checkScopeDiff, checkScopes, checkUnassignedScopes } from '../rules/scopes.js';
import { checkMalformed, checkSignature, checkValidity } from '../rules/validity.js';
import { isIdentityScope, isSameServer, splitScopes } from '../scopes.js';
import { decodeToken, numericClaim, peekClaims } from '../tokens.js';
import type { CapturedExchange, ExchangeReport, TokenKind } from '../types.js';
import { type ExchangeContext, type GrantedToken, type ServerGrant, serverOfScope, toResourceServerReport } from './exchange-context.js';
import { quote } from './findings.js';
import { resolveServer } from './resolve-server.js';

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
    return { decoded: decodeToken(value, kind, context.capturedAt, lifetime, context.showTokens), responseScopes: scopes };
  };
  const access = decode('access_token', 'access', numericClaim(entry.expires_in));
  const tokenType = nonEmptyString(entry.token_type);
  if (access && tokenType) access.decoded.report.tokenType = tokenType;
  const refresh = decode('refresh_token', 'refresh', numericClaim(entry.refresh_expires_in ?? entry.refresh_token_expires_in));
  const idToken = decode('id_token', 'id', null);
  return { access, refresh, idToken };
}

/** Read one response entry into the grant of its resource server (merged when a server appears twice). Returns that grant. */
function addEntry(
  entry: JsonObject,
  isTopLevelEntry: boolean,
  grants: ServerGrant[],
  report: ExchangeReport,
  context: ExchangeContext,
): ServerGrant {
  const explicitScopes = 'scope' in entry ? splitScopes(entry.scope) : null;
  if (isTopLevelEntry && explicitScopes === null && context.request.scopes.length > 0) {
    report.notes.push('The response names no scope: RFC 6749 s5.1 reads that as exactly the requested scopes.');
  }
  const scopes = explicitScopes ?? (isTopLevelEntry ? context.request.scopes : []);
  const { access, refresh, idToken } = entryTokens(entry, scopes, context);
  if (isTopLevelEntry && !access && hasTokenField(entry)) {
    report.notes.push(entry.access_token === null ? 'The response has "access_token": null.' : 'The response has no access token.');
  }

  const { id, resolvedBy } = resolveServer(entry, access?.decoded ?? null, scopes, context);
  if (resolvedBy === 'resource') checkResponseResource(id, context);
  let grant = grants.find((g) => g.id === id);
  if (!grant) {
    grant = { id, resolvedBy, scopes: [], requestedScopes: [], tokens: [] };
    grants.push(grant);
  } else {
    report.notes.push(`${quote(id)} appears more than once in the response; its grants are shown together.`);
  }
  for (const scope of scopes) if (!grant.scopes.includes(scope)) grant.scopes.push(scope);
  for (const token of [access, refresh, idToken]) if (token) grant.tokens.push(token);
  return grant;
}

/** Files each requested scope under the grant of its server; returns the scopes no grant took. */
function assignRequestedScopes(grants: ServerGrant[], context: ExchangeContext, topLevelGrant: ServerGrant | undefined): string[] {
  const requested = context.request.scopes;
  if (grants.length === 1) {
    (grants[0] as ServerGrant).requestedScopes = [...requested];
    return [];
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
  if (report.kind !== 'access') return;
  if (report.format === 'opaque') checkOpaque(token, grant.id, context);
  else checkAudience(token, grant, context, 'jwt');
  checkScopes(token, grant, context);
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
  let topLevelGrant: ServerGrant | undefined;
  entries.forEach((entry, index) => {
    const grant = addEntry(entry, index === 0, grants, report, context);
    if (index === 0) topLevelGrant = grant;
  });

  const unassigned = assignRequestedScopes(grants, context, topLevelGrant);
  for (const grant of grants) {
    for (const token of grant.tokens) checkGrantedToken(token, grant, context);
    checkScopeDiff(grant, context);
  }
  checkUnassignedScopes(unassigned, grants, context);
  report.resourceServers = grants.map(toResourceServerReport);
  if (captured.status !== null && captured.status >= 400)
    report.notes.push(`The token endpoint answered HTTP ${captured.status} with tokens in the body.`);
}
