/**
 * RFC 9396 authorization details in a token response: what each access token was assigned (its JWT claim, s9.1,
 * else its response entry's `authorization_details`, s7), and what was requested, filed under the resource server
 * each detail's `locations` name (else the server of the response's own access token), like requested scopes.
 */
import { type AuthorizationDetail, isLocationWithin, readAuthorizationDetails } from '../authorization-details.js';
import type { JsonObject } from '../json.js';
import type { ExchangeContext, GrantedToken, ServerGrant } from './exchange-context.js';

/** A note for details that were cut or malformed, once per place. */
function noteRead(read: ReturnType<typeof readAuthorizationDetails>, where: string, context: ExchangeContext): AuthorizationDetail[] {
  if (!read) return [];
  if (read.malformed)
    context.notes.push(
      `${where} authorization_details is not a list of objects with a type (RFC 9396 s2): only well-formed details are read.`,
    );
  if (read.cut) context.notes.push(`${where} authorization_details is longer than Tokenscope keeps: some details or values are left out.`);
  return read.details;
}

/**
 * The details one response entry assigns to its access token, on the token (for the audience rule) and on the
 * grant of its server (for the comparison). The token's own claim is what its resource server reads (s9.1); the
 * response's list is what the client was told (s7). The grant shows the response's when it has one.
 */
export function attachGrantedDetails(entry: JsonObject, access: GrantedToken | null, grant: ServerGrant, context: ExchangeContext): void {
  const claims = access?.decoded.report.claims ?? null;
  const fromResponse =
    'authorization_details' in entry ? noteRead(readAuthorizationDetails(entry.authorization_details), "The response's", context) : null;
  const fromToken =
    claims && 'authorization_details' in claims
      ? noteRead(readAuthorizationDetails(claims.authorization_details), "The access token's", context)
      : null;
  if (access && (fromToken ?? fromResponse)) access.authorizationDetails = fromToken ?? fromResponse ?? [];
  if (fromResponse === null && fromToken === null) return;
  const details = grant.authorizationDetails ?? { requested: [], granted: [], grantedFrom: null };
  details.granted = [...details.granted, ...(fromResponse ?? fromToken ?? [])];
  details.grantedFrom = details.grantedFrom ?? (fromResponse ? 'response' : 'token');
  grant.authorizationDetails = details;
}

/** Whether any of the detail's locations names the grant's server (or an alias its tokens carry). */
function namesServer(detail: AuthorizationDetail, grant: ServerGrant): boolean {
  const names = [grant.id, ...(grant.aliases ?? [])];
  return (detail.locations ?? []).some((location) => names.some((name) => isLocationWithin(location, name)));
}

/**
 * Files the requested details (the token request's, else the authorization request's) under the grants: each under the
 * server its `locations` name, else under the server the response's top-level entry was for. The client's own grant
 * (ID tokens) takes none.
 */
export function assignRequestedDetails(grants: readonly ServerGrant[], topLevel: ServerGrant | undefined, context: ExchangeContext): void {
  const requested = noteRead(readAuthorizationDetails(context.request.authorizationDetails), "The request's", context);
  if (requested.length === 0) return;
  for (const detail of requested) {
    const grant = grants.find((candidate) => namesServer(detail, candidate)) ?? topLevel;
    if (!grant) continue;
    const details = grant.authorizationDetails ?? { requested: [], granted: [], grantedFrom: null };
    details.requested.push(detail);
    grant.authorizationDetails = details;
  }
}
