/**
 * The mapping the product exists to show (DESIGN "What it is"): each requested scope, the resource
 * server it belongs to and the token that carries it; per server, requested vs granted; and a
 * requested scope that no token carries.
 */
import { serverOfScope } from '../analysis/exchange-context.js';
import { PROFILES } from '../providers.js';
import { isIdentityScope, isSameServer } from '../scopes.js';
import type { ExchangeReport, ResourceServerReport } from '../types.js';
import type { AuthorizationRequestReport, RequestedScope, SignInServer } from './types.js';

interface Granted {
  id: string;
  scopes: Set<string>;
  /** The access token's fingerprint, else the first token's. */
  token: string | null;
  hasToken: boolean;
}

function tokenOf(server: ResourceServerReport): string | null {
  return (server.tokens.find((token) => token.kind === 'access') ?? server.tokens[0])?.fingerprint ?? null;
}

/** The first ID token of the sign-in and the server it was filed under. */
function idTokenOf(exchanges: readonly ExchangeReport[]): { server: string; fingerprint: string } | null {
  for (const exchange of exchanges)
    for (const server of exchange.resourceServers)
      for (const token of server.tokens) if (token.kind === 'id') return { server: server.id, fingerprint: token.fingerprint };
  return null;
}

/** Every server granted something in the sign-in's exchanges, merged by id. */
function grantedServers(exchanges: readonly ExchangeReport[]): Granted[] {
  const servers: Granted[] = [];
  for (const exchange of exchanges) {
    for (const server of exchange.resourceServers) {
      let granted = servers.find((known) => known.id === server.id);
      if (!granted) {
        granted = { id: server.id, scopes: new Set(), token: null, hasToken: false };
        servers.push(granted);
      }
      for (const scope of [...server.scopes, ...(server.honoured ?? [])]) granted.scopes.add(scope);
      granted.token ??= tokenOf(server);
      granted.hasToken ||= server.tokens.length > 0;
    }
  }
  return servers;
}

/**
 * The server a requested scope belongs to when no grant carries it: the scope's own name (Globus
 * URNs, URL scopes), else the server the analysis filed it under, else the one `resource` or
 * `audience` asked for, else null. Each scope's server is indexed once: a sign-in can ask for tens of thousands.
 */
function serversOfRequested(
  exchanges: readonly ExchangeReport[],
  authorization: AuthorizationRequestReport | null,
): (scope: string) => string | null {
  const profile = PROFILES.find((candidate) => candidate.id === exchanges[0]?.provider) ?? null;
  const askedOf = new Map<string, string>();
  for (const exchange of exchanges)
    for (const server of exchange.resourceServers)
      for (const scope of server.requestedScopes) if (!askedOf.has(scope)) askedOf.set(scope, server.id);
  const asked = authorization ? [...authorization.resources, ...authorization.audiences] : [];
  const only = asked.length === 1 ? (asked[0] as string) : null;
  return (scope) => serverOfScope(scope, profile) ?? askedOf.get(scope) ?? only;
}

/** Each requested scope with its server and token, and requested vs granted per server. */
export function mapScopes(
  requested: readonly string[],
  exchanges: readonly ExchangeReport[],
  authorization: AuthorizationRequestReport | null,
): { requestedScopes: RequestedScope[]; resourceServers: SignInServer[] } {
  const granted = grantedServers(exchanges);
  const idToken = idTokenOf(exchanges);
  const serverOfRequested = serversOfRequested(exchanges, authorization);
  const requestedScopes: RequestedScope[] = requested.map((scope) => {
    const carrier = granted.find((server) => server.scopes.has(scope));
    if (carrier) return { scope, resourceServer: carrier.id, granted: true, token: carrier.token };
    // An ID token is the grant of the identity scopes (OIDC Core s3.1.2.1, s5.4), though a response's `scope` may name only the API's.
    if (idToken && isIdentityScope(scope)) return { scope, resourceServer: idToken.server, granted: true, token: idToken.fingerprint };
    return { scope, resourceServer: serverOfRequested(scope), granted: false, token: null };
  });
  const resourceServers: SignInServer[] = granted.map((server) => ({
    id: server.id,
    requested: [],
    granted: [...server.scopes],
    dropped: [],
    added: [],
    hasToken: server.hasToken,
  }));
  // Linear in the scopes: each entry's server looked up once per server name, granted scopes kept as sets beside.
  const serverNamed = new Map<string, SignInServer>();
  const grantedOf = new Map<SignInServer, Set<string>>(resourceServers.map((server) => [server, new Set(server.granted)]));
  for (const entry of requestedScopes) {
    if (entry.resourceServer === null) continue;
    let server =
      serverNamed.get(entry.resourceServer) ?? resourceServers.find((known) => isSameServer(known.id, entry.resourceServer as string));
    if (!server) {
      server = { id: entry.resourceServer, requested: [], granted: [], dropped: [], added: [], hasToken: false };
      resourceServers.push(server);
      grantedOf.set(server, new Set());
    }
    serverNamed.set(entry.resourceServer, server);
    server.requested.push(entry.scope);
    const grantedHere = grantedOf.get(server) as Set<string>;
    if (entry.granted && !grantedHere.has(entry.scope)) {
      server.granted.push(entry.scope);
      grantedHere.add(entry.scope);
    }
    if (!entry.granted) server.dropped.push(entry.scope);
  }
  const requestedSet = new Set(requested);
  for (const server of resourceServers)
    if (server.requested.length > 0) server.added = server.granted.filter((scope) => !requestedSet.has(scope));
  return { requestedScopes, resourceServers };
}
