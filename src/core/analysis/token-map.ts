/**
 * One sign-in as a map: requested scopes -> resource servers -> tokens, and the lines a token should
 * not have (its audience, a Bearer use or a second filing reaching another server). The views draw
 * it; everything it says is worked out here, from the report, so a view never re-derives analysis.
 */
import { authorizationDetailsWords } from '../format/authorization-details.js';
import { isSameServer, serverHost } from '../scopes.js';
import { bySeverity } from '../severity.js';
import type { SignInReport } from '../sign-in/types.js';
import type { ExchangeReport, Finding, RuleId, Severity, TokenFormat, TokenKind } from '../types.js';

/** A scope on the map's left: asked for (or, when the sign-in names none, granted), its server and whether a token carries it. */
export interface MapScope {
  scope: string;
  server: string | null;
  /** False when the sign-in asked for no scope and this one was only granted. */
  requested: boolean;
  /** A token carries it; a requested scope no token carries is the map's first alarm. */
  granted: boolean;
}

export interface MapServer {
  id: string;
  /** Some scope of the sign-in belongs to it. */
  requested: boolean;
  hasToken: boolean;
  /** Not a server of this sign-in: on the map only because a token reaches it. */
  outside: boolean;
  /** The client itself, under which its ID tokens are filed (a report's `resolvedBy: 'client'`): no resource server. */
  client?: boolean;
  /** Other names its tokens carry in `aud` (a report's `aliases`: Entra v2's application id). */
  aliases?: string[];
  /** Its RFC 9396 authorization details in words, from the sign-in's first exchange that names any: granted, dropped, added. */
  rights?: { granted: string[]; dropped: string[]; added: string[]; counts: { granted: number; dropped: number; added: number } };
}

export interface MapToken {
  fingerprint: string;
  kind: TokenKind;
  format: TokenFormat;
  /** The server it was issued for. */
  server: string;
  exchangeId: string;
  /** Whether its audience can be read here: false for an opaque or undecodable token (RFC 7662 introspection could). */
  verifiable: boolean;
}

/** A token that would be accepted by (or was sent to) a server it was not issued for: a red line. */
export interface MapReach {
  token: string;
  server: string;
  rule: RuleId;
  severity: Severity;
  /** The value that names the server: the extra audience, the host it was sent to, the other filing. */
  via: string;
}

export interface TokenMap {
  scopes: MapScope[];
  servers: MapServer[];
  tokens: MapToken[];
  reaches: MapReach[];
  /** The worst finding of the sign-in and its exchanges (info included), or null. */
  worst: Finding | null;
}

const REACH_RULES: ReadonlySet<RuleId> = new Set(['audience-beyond-server', 'token-sent-beyond-audience', 'token-shared-across-servers']);

function hostOfSent(sentTo: unknown): string | null {
  if (typeof sentTo !== 'string') return null;
  try {
    return new URL(sentTo.slice(sentTo.indexOf(' ') + 1)).hostname.toLowerCase();
  } catch {
    return null;
  }
}

/** The servers a finding says its token reaches, by the values in its evidence. */
function reachTargets(finding: Finding, ownServer: string): string[] {
  const evidence = finding.evidence;
  if (finding.rule === 'audience-beyond-server') return typeof evidence.extraAudience === 'string' ? [evidence.extraAudience] : [];
  if (finding.rule === 'token-sent-beyond-audience') {
    const host = hostOfSent(evidence.sentTo);
    return host ? [host] : [];
  }
  const servers = Array.isArray(evidence.resourceServers) ? evidence.resourceServers : [];
  return servers.filter((id): id is string => typeof id === 'string' && !isSameServer(id, ownServer));
}

/** The map's server for a target id or host, added as an outside server when the sign-in has none. */
function serverFor(target: string, servers: MapServer[]): MapServer {
  const found = servers.find((server) => isSameServer(server.id, target) || serverHost(server.id) === target.toLowerCase());
  if (found) return found;
  const outside: MapServer = { id: target, requested: false, hasToken: false, outside: true };
  servers.push(outside);
  return outside;
}

/** Access and ID tokens of the sign-in, each once: the newest per server and kind (refresh tokens go to the issuer, never to a resource server). */
function mapTokens(exchanges: readonly ExchangeReport[]): MapToken[] {
  const newest = new Map<string, MapToken>();
  const seen = new Set<string>();
  for (const exchange of exchanges)
    for (const server of exchange.resourceServers)
      for (const token of server.tokens) {
        if (token.kind === 'refresh' || seen.has(token.fingerprint)) continue;
        seen.add(token.fingerprint);
        newest.set(`${server.id} ${token.kind}`, {
          fingerprint: token.fingerprint,
          kind: token.kind,
          format: token.format,
          server: server.id,
          exchangeId: exchange.id,
          verifiable: token.format === 'jwt' && token.claims !== null,
        });
      }
  return [...newest.values()];
}

function mapScopes(signIn: SignInReport): MapScope[] {
  if (signIn.requestedScopes.length > 0)
    return signIn.requestedScopes.map((entry) => ({
      scope: entry.scope,
      server: entry.resourceServer,
      requested: true,
      granted: entry.granted,
    }));
  return signIn.resourceServers.flatMap((server) =>
    server.granted.map((scope) => ({ scope, server: server.id, requested: false, granted: true })),
  );
}

/**
 * The map of one sign-in. `exchanges` may be the whole report's: only the sign-in's own are read.
 * A reach line is drawn for `audience-beyond-server` (the extra audience), `token-sent-beyond-audience`
 * (the host it was sent to) and `token-shared-across-servers` (the other filings), from tokens on the map.
 */
export function tokenMap(signIn: SignInReport, exchanges: readonly ExchangeReport[]): TokenMap {
  const own = signIn.exchanges
    .map((id) => exchanges.find((exchange) => exchange.id === id))
    .filter((exchange): exchange is ExchangeReport => exchange !== undefined);
  const scopes = mapScopes(signIn);
  const servers: MapServer[] = signIn.resourceServers.map((server) => ({
    id: server.id,
    requested: server.requested.length > 0,
    hasToken: server.hasToken,
    outside: false,
  }));
  const tokens = mapTokens(own);
  for (const token of tokens) serverFor(token.server, servers);
  const clients = new Set(own.flatMap((exchange) => exchange.resourceServers.filter((s) => s.resolvedBy === 'client').map((s) => s.id)));
  for (const server of servers) if (clients.has(server.id)) server.client = true;
  for (const report of own.flatMap((exchange) => exchange.resourceServers)) {
    const server = report.aliases ? servers.find((s) => s.id === report.id) : undefined;
    if (server) server.aliases = [...new Set([...(server.aliases ?? []), ...(report.aliases ?? [])])];
  }
  for (const report of own.flatMap((exchange) => exchange.resourceServers)) {
    const server = report.authorizationDetails ? servers.find((s) => s.id === report.id && !s.rights) : undefined;
    if (server && report.authorizationDetails) {
      const { granted, dropped, added, counts } = authorizationDetailsWords(report.authorizationDetails);
      server.rights = { granted, dropped, added, counts };
    }
  }
  const findings = [...signIn.findings, ...own.flatMap((exchange) => exchange.findings)];
  const reaches: MapReach[] = [];
  for (const finding of findings) {
    if (!REACH_RULES.has(finding.rule)) continue;
    const token = tokens.find((candidate) => candidate.fingerprint === finding.evidence.fingerprint);
    if (!token) continue;
    for (const target of reachTargets(finding, token.server)) {
      const server = serverFor(target, servers);
      if (server.id === token.server) continue;
      if (reaches.some((reach) => reach.token === token.fingerprint && reach.server === server.id && reach.rule === finding.rule)) continue;
      reaches.push({ token: token.fingerprint, server: server.id, rule: finding.rule, severity: finding.severity, via: target });
    }
  }
  return { scopes, servers, tokens, reaches, worst: [...findings].sort(bySeverity)[0] ?? null };
}

/**
 * The sign-ins worth a map, oldest first: those with a front channel, and those whose exchanges
 * issued a token (a code exchange and its refreshes seen without the authorization request count).
 */
export function mappableSignIns(report: { signIns?: SignInReport[]; exchanges: readonly ExchangeReport[] }): SignInReport[] {
  const issued = new Set(
    report.exchanges
      .filter((exchange) => exchange.resourceServers.some((server) => server.tokens.length > 0))
      .map((exchange) => exchange.id),
  );
  return (report.signIns ?? []).filter(
    (signIn) => signIn.authorization !== null || signIn.response !== null || signIn.exchanges.some((id) => issued.has(id)),
  );
}
