/** Rules that look across the exchanges of a report: token-shared-across-servers, token-sent-beyond-audience. */
import { addFinding, quote, quoteList, serverName, UNKNOWN_SERVER } from '../analysis/findings.js';
import { confidenceReason, isNamed, stepDown, weaker } from '../confidence.js';
import { nonceChallenges } from '../dpop.js';
import { issuedTokens } from '../issued-tokens.js';
import { profileById, type ProviderProfile } from '../providers.js';
import { isSameServer, serverHost } from '../scopes.js';
import { isSameSite, siteOf } from '../site.js';
import type { BearerUse, Confidence, ExchangeReport, ResourceServerReport, TokenKind, TokenSent } from '../types.js';

interface Filing {
  /** Every server the token is filed under, once. */
  servers: string[];
  /** Servers one exchange filed it under together because its own `aud` names each: one filing, which the audience rule reports. */
  audienceGroups: string[][];
  confidence: Confidence;
  /** Each exchange that filed it, with the server it filed it under there. */
  exchanges: Map<ExchangeReport, string>;
  kind: TokenKind;
}

/** How many different places a token is filed in, a group of servers its own aud named counting as one. */
function distinctFilings(filing: Filing): number {
  const units: string[][] = filing.audienceGroups.map((group) => [...group]);
  for (const server of filing.servers) if (!units.some((unit) => unit.some((s) => isSameServer(s, server)))) units.push([server]);
  // Groups that share a server are one unit.
  for (let i = 0; i < units.length; i++) {
    for (let j = units.length - 1; j > i; j--) {
      if (units[j]?.some((s) => units[i]?.some((t) => isSameServer(s, t)))) units[i]?.push(...(units.splice(j, 1)[0] ?? []));
    }
  }
  return units.length;
}

/** The token's filings across the report: where each token is filed, and how sure the weakest filing is. */
function collectFilings(exchanges: readonly ExchangeReport[]): Map<string, Filing> {
  const filings = new Map<string, Filing>();
  for (const { exchange, server, token } of issuedTokens(exchanges)) {
    if (server.id === UNKNOWN_SERVER || token.kind === 'id') continue;
    const filing: Filing = filings.get(token.fingerprint) ?? {
      servers: [],
      audienceGroups: [],
      confidence: server.confidence ?? 'fallback',
      exchanges: new Map(),
      kind: token.kind,
    };
    if (!filing.servers.some((s) => isSameServer(s, server.id))) filing.servers.push(server.id);
    filing.confidence = weaker(filing.confidence, server.confidence ?? 'fallback');
    if (!filing.exchanges.has(exchange)) filing.exchanges.set(exchange, server.id);
    filings.set(token.fingerprint, filing);
  }
  // A token one exchange filed under several servers, all by its own aud: one group.
  for (const exchange of exchanges) {
    const byToken = new Map<string, ResourceServerReport[]>();
    for (const server of exchange.kind === 'token' ? exchange.resourceServers : [])
      for (const token of server.tokens) byToken.set(token.fingerprint, [...(byToken.get(token.fingerprint) ?? []), server]);
    for (const [tokenFingerprint, servers] of byToken) {
      if (servers.length > 1 && servers.every((s) => s.resolvedBy === 'aud'))
        filings.get(tokenFingerprint)?.audienceGroups.push(servers.map((s) => s.id));
    }
  }
  return filings;
}

/** RFC 9700 s2.3: a token filed under two resource servers lets one replay it at the other. */
export function checkSharedTokens(exchanges: readonly ExchangeReport[]): void {
  for (const [tokenFingerprint, filing] of collectFilings(exchanges)) {
    if (distinctFilings(filing) < 2) continue;
    for (const [exchange, server] of filing.exchanges) {
      addFinding(exchange.findings, 'token-shared-across-servers', {
        resourceServer: server,
        tokenKind: filing.kind,
        confidence: filing.confidence,
        message: `The same ${filing.kind} token is filed under ${filing.servers.length} resource servers (${quoteList(filing.servers)}): each of them could replay it at the others.`,
        evidence: { fingerprint: tokenFingerprint, resourceServers: filing.servers, exchanges: filing.exchanges.size },
      });
    }
  }
}

function hostOf(url: string): string | null {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return null;
  }
}

interface Issued {
  exchange: ExchangeReport;
  server: ResourceServerReport;
  kind: TokenKind;
}

/** Addresses kept per token in `sentTo`. */
const MAX_SENT_TO = 20;

/**
 * A Bearer use, for its token's `sentTo`: each address once, the query and fragment left out; a resource server's nonce
 * challenge there (RFC 9449 s9) said with whether the client retried (`challenge`, from `nonceChallenges`).
 */
function recordSent(sent: Map<string, TokenSent[]>, use: BearerUse, challenge: 'retried' | 'not-retried' | undefined): void {
  const cut = use.url.search(/[?#]/);
  const url = cut < 0 ? use.url : use.url.slice(0, cut);
  const list = sent.get(use.fingerprint) ?? [];
  const known = list.find((s) => s.url === url && s.method === use.method);
  if (known) {
    if (challenge && known.nonceChallenge !== 'retried') known.nonceChallenge = challenge;
    return;
  }
  if (list.length >= MAX_SENT_TO) return;
  list.push({
    url,
    method: use.method,
    at: use.at,
    ...(use.scheme === 'dpop' ? { scheme: 'dpop' as const } : {}),
    ...(challenge ? { nonceChallenge: challenge } : {}),
  });
  sent.set(use.fingerprint, list);
}

/**
 * Each token's `sentTo`, on new report objects (an exchange's servers and tokens may be shared with a memo of its
 * own analysis: they are never changed in place). The exchange's findings array stays the same one.
 */
function withSentTo(exchanges: ExchangeReport[], sent: ReadonlyMap<string, TokenSent[]>): void {
  if (sent.size === 0) return;
  exchanges.forEach((exchange, index) => {
    if (!exchange.resourceServers.some((server) => server.tokens.some((token) => sent.has(token.fingerprint)))) return;
    exchanges[index] = {
      ...exchange,
      resourceServers: exchange.resourceServers.map((server) =>
        server.tokens.some((token) => sent.has(token.fingerprint))
          ? {
              ...server,
              tokens: server.tokens.map((token) =>
                sent.has(token.fingerprint) ? { ...token, sentTo: sent.get(token.fingerprint) } : token,
              ),
            }
          : server,
      ),
    };
  });
}

/**
 * The ladder for a token sent elsewhere: another site is HIGH, the same site one step lower, and
 * each step the server is less sure takes another (provider: one, inferred: two, fallback: three).
 */
function sentBeyondSeverity(confidence: Confidence, sameSite: boolean): { severity: 'high' | 'medium' | 'low' | 'info'; steps: number } {
  const confidenceSteps = isNamed(confidence) ? 0 : confidence === 'provider' ? 1 : confidence === 'inferred' ? 2 : 3;
  const steps = confidenceSteps + (sameSite ? 1 : 0);
  return { severity: stepDown('high', steps), steps };
}

/** Why a token-sent-beyond-audience finding is below HIGH. */
function sentBeyondReason(confidence: Confidence, sameSite: boolean, site: string, bound: 'dpop' | 'mtls' | null): string {
  const reasons = [
    sameSite ? `the receiving host is on the same site (${site}) as the resource server` : null,
    confidenceReason(confidence),
    bound
      ? `the token is sender-constrained (${bound === 'dpop' ? 'DPoP, RFC 9449' : 'mTLS, RFC 8705'}): it cannot be replayed without the ${bound === 'dpop' ? 'key' : 'certificate'} (RFC 9700 s4.10.1)`
      : null,
  ];
  return reasons.filter(Boolean).join('; ');
}

/**
 * One token sent as Bearer to `host`, a host outside its resource server's: the finding, at the severity the ladder
 * gives. `otherServer`: the provider's resource server that `host` serves, when it is another one (no same-site step).
 */
function reportSentBeyond(issued: Issued, use: BearerUse, host: string, expected: string | null, otherServer: string | null): void {
  const { server, kind } = issued;
  const evidence = {
    fingerprint: use.fingerprint,
    sentTo: `${use.method} ${use.url.split('?')[0]}`,
    at: use.at,
    confidence: server.confidence,
  };
  if (expected === null) {
    // Nothing named where this token may go: say where it went, at info.
    addFinding(issued.exchange.findings, 'token-sent-beyond-audience', {
      resourceServer: server.id,
      tokenKind: kind,
      severity: 'info',
      lowered: { from: 'high', reason: "the token's resource server is not known, so where it may go is not known" },
      message: `The ${kind} token was sent as ${use.scheme === 'dpop' ? 'a DPoP' : 'a Bearer'} token to ${quote(host)}; the token's resource server is not known.`,
      evidence,
    });
    return;
  }
  // Another service of the same provider (Globus Groups for a Transfer token) is another service, whatever its domain.
  const sameSite = otherServer === null && isSameSite(host, expected);
  // RFC 9700 s4.10.1: a sender-constrained token cannot be replayed without its key (or certificate): one step lower.
  const binding = server.tokens.find((token) => token.fingerprint === use.fingerprint)?.binding;
  const ladder = sentBeyondSeverity(server.confidence, sameSite);
  const severity = binding ? stepDown(ladder.severity, 1) : ladder.severity;
  const steps = ladder.steps + (binding ? 1 : 0);
  const sure = isNamed(server.confidence);
  const message = !sure
    ? `The ${kind} token was sent as ${use.scheme === 'dpop' ? 'a DPoP' : 'a Bearer'} token to ${quote(host)}; its resource server ${serverName(server.id)} was not named by the response, the request or the token, so this may be where it belongs.`
    : sameSite
      ? `The ${kind} token issued for ${serverName(server.id)} was sent as ${use.scheme === 'dpop' ? 'a DPoP' : 'a Bearer'} token to ${quote(host)}, another host on the same site (${quote(siteOf(host))}).`
      : otherServer !== null
        ? `The ${kind} token issued for ${serverName(server.id)} was sent as ${use.scheme === 'dpop' ? 'a DPoP' : 'a Bearer'} token to ${quote(host)}, ${serverHost(otherServer) === host ? 'another service of the same provider' : `the host of ${serverName(otherServer)}, another service`} it was not issued for.`
        : `The ${kind} token issued for ${serverName(server.id)} was sent as ${use.scheme === 'dpop' ? 'a DPoP' : 'a Bearer'} token to ${quote(host)}, a service it was not issued for.`;
  addFinding(issued.exchange.findings, 'token-sent-beyond-audience', {
    resourceServer: server.id,
    tokenKind: kind,
    severity,
    ...(steps > 0
      ? { lowered: { from: 'high' as const, reason: sentBeyondReason(server.confidence, sameSite, siteOf(host), binding?.method ?? null) } }
      : {}),
    message,
    evidence: { ...evidence, sameSite, ...(otherServer !== null ? { hostOf: otherServer } : {}) },
  });
}

/** The hosts the provider serves `serverId` from (its profile's `serverHosts`), and the other server `host` belongs to, if any. */
function providerHosts(
  profile: ProviderProfile | null,
  serverId: string,
  host: string,
): { own: readonly string[]; otherServer: string | null } {
  const entries = Object.entries(profile?.serverHosts ?? {});
  const own = entries.find(([id]) => isSameServer(id, serverId))?.[1] ?? [];
  const other = entries.find(([id, hosts]) => !isSameServer(id, serverId) && hosts.includes(host));
  return { own, otherServer: other?.[0] ?? null };
}

/**
 * RFC 6750 s5.2, RFC 9700 s2.3: a token sent to a host that is not its resource server leaks it to a
 * service it was not issued for. Hosts the provider serves its documented API from count as the server's, and so do
 * the hosts its profile maps the server to (`serverHosts`: Globus Transfer at transfer.api.globusonline.org).
 */
export function checkBearerUses(exchanges: ExchangeReport[], uses: readonly BearerUse[]): void {
  if (uses.length === 0) return;
  const sent = new Map<string, TokenSent[]>();
  // The first exchange that issued each access or refresh token.
  const issuers = new Map<string, Issued>();
  for (const { exchange, server, token } of issuedTokens(exchanges)) {
    if (token.kind !== 'id' && !issuers.has(token.fingerprint)) issuers.set(token.fingerprint, { exchange, server, kind: token.kind });
  }
  const reported = new Set<string>();
  const challenges = nonceChallenges(uses);
  for (const use of uses) {
    const issued = issuers.get(use.fingerprint);
    const host = hostOf(use.url);
    if (!issued || host === null) continue;
    recordSent(sent, use, challenges.get(use));
    const isUnknown = issued.server.id === UNKNOWN_SERVER;
    const profile = profileById(issued.exchange.provider);
    const { own, otherServer } = providerHosts(profile, issued.server.id, host);
    const expected = isUnknown ? null : (serverHost(issued.server.id) ?? own[0] ?? null);
    // A named server that is no host (api://default, an application id) says nothing about where its token may go.
    if (!isUnknown && expected === null) continue;
    if (host === expected || own.includes(host) || profile?.apiHosts?.includes(host)) continue;
    const key = `${use.fingerprint} ${host}`;
    if (reported.has(key)) continue;
    reported.add(key);
    reportSentBeyond(issued, use, host, expected, otherServer);
  }
  withSentTo(exchanges, sent);
}
