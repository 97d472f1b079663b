/**
 * Rules on a sign-in's discovery (RFC 9728 protected-resource metadata): metadata-resource-mismatch,
 * metadata-issuer-not-listed, resource-differs-from-metadata. The MCP rules, on the same facts, are `mcp.ts`.
 */
import { addFinding, quote, quoteList } from '../analysis/findings.js';
import { isObject } from '../json.js';
import { isSameResource, namesObservedUrl } from '../sign-in/discovery.js';
import type { AuthorizationRequestReport, DiscoveryReport } from '../sign-in/types.js';
import type { ExchangeReport, Finding, TokenReport } from '../types.js';

/** What the discovery rules read about one sign-in. */
export interface DiscoveryContext {
  request: AuthorizationRequestReport | null;
  discovery: DiscoveryReport;
  /** The sign-in's exchange reports, in order. */
  exchanges: readonly ExchangeReport[];
  findings: Finding[];
}

/** Every token the sign-in's exchanges issued, with its exchange. */
export function signInTokens(exchanges: readonly ExchangeReport[]): { exchange: ExchangeReport; server: string; token: TokenReport }[] {
  return exchanges.flatMap((exchange) =>
    exchange.resourceServers.flatMap((server) => server.tokens.map((token) => ({ exchange, server: server.id, token }))),
  );
}

const sameIssuer = (a: string, b: string) => a.replace(/\/+$/, '') === b.replace(/\/+$/, '');

/**
 * RFC 9728 s3.3: the metadata's `resource` MUST be identical to the resource its URL was made for (and, reached
 * through a 401's `resource_metadata`, to the URL that answered 401); otherwise the client MUST NOT use it.
 */
function checkMetadataResource({ discovery, findings }: DiscoveryContext): void {
  const { resource, metadataFor, challengedUrl } = discovery;
  if (resource === null) return;
  const expected = [metadataFor, challengedUrl].filter((url): url is string => url !== null);
  const mismatched = expected.filter((url) => !namesObservedUrl(resource, url));
  if (mismatched.length === 0) return;
  addFinding(findings, 'metadata-resource-mismatch', {
    resourceServer: resource,
    message: `The protected-resource metadata names ${quote(resource)}, but it was fetched for ${quoteList([...new Set(mismatched)])}: a client must not use metadata for another resource (it could send its token to whoever wrote it).`,
    evidence: { resource, metadataFor, challengedUrl, resourceMetadataUrl: discovery.resourceMetadataUrl },
  });
}

/** The issuers of the sign-in's tokens (JWT `iss`), and the authorization server its metadata named. */
function issuersOf(context: DiscoveryContext): string[] {
  const issuers = new Set<string>();
  for (const { token } of signInTokens(context.exchanges)) {
    const iss = isObject(token.claims) ? token.claims.iss : undefined;
    if (typeof iss === 'string' && iss.length > 0) issuers.add(iss);
  }
  if (context.discovery.issuer !== null) issuers.add(context.discovery.issuer);
  return [...issuers];
}

/**
 * RFC 9728 s2: `authorization_servers` lists the issuers whose tokens the protected resource accepts; a sign-in at
 * another authorization server gets a token the resource did not name (s7.6: a client uses the servers it lists).
 */
function checkIssuerListed(context: DiscoveryContext): void {
  const { discovery, findings } = context;
  if (discovery.authorizationServers.length === 0) return;
  const unlisted = issuersOf(context).filter((iss) => !discovery.authorizationServers.some((listed) => sameIssuer(listed, iss)));
  if (unlisted.length === 0) return;
  addFinding(findings, 'metadata-issuer-not-listed', {
    resourceServer: discovery.resource,
    message: `The sign-in's tokens come from ${quoteList(unlisted)}, which the protected-resource metadata of ${quote(discovery.resource ?? 'the resource')} does not list among its authorization servers (${quoteList(discovery.authorizationServers)}).`,
    evidence: { issuers: unlisted, authorizationServers: discovery.authorizationServers, resource: discovery.resource },
  });
}

/**
 * RFC 8707 s2 and RFC 9728 s7.4 (audience-restricted access tokens: a resource server that names one resource and a
 * token asked for another is RS1 getting RS2's token): the `resource` a client asks for is the one the metadata names.
 */
function checkRequestedResource({ request, discovery, exchanges, findings }: DiscoveryContext): void {
  const resource = discovery.resource;
  if (resource === null) return;
  const places: [string, readonly string[]][] = [['authorize', request?.resources ?? []]];
  for (const exchange of exchanges) if (exchange.request.resources.length > 0) places.push(['token', exchange.request.resources]);
  for (const [at, asked] of places) {
    const other = asked.filter((value) => !isSameResource(value, resource));
    if (other.length === 0) continue;
    addFinding(findings, 'resource-differs-from-metadata', {
      resourceServer: resource,
      message: `The ${at === 'authorize' ? 'authorization' : 'token'} request asks for resource ${quoteList(other)}, but the protected resource's metadata names itself ${quote(resource)}: the token is made for another audience than the server that asked for it.`,
      evidence: { at, requested: other, resource },
    });
    return;
  }
}

/** Every discovery rule on one sign-in. */
export function checkDiscovery(context: DiscoveryContext): void {
  checkMetadataResource(context);
  checkIssuerListed(context);
  checkRequestedResource(context);
}
