/** Rules that look across the exchanges of a report: token-shared-across-servers, token-sent-beyond-audience. */
import { addFinding, quote, quoteList, serverName, UNKNOWN_SERVER } from '../analysis/findings.js';
import { issuedTokens } from '../issued-tokens.js';
import { isSameServer } from '../scopes.js';
import type { BearerUse, ExchangeReport, TokenKind } from '../types.js';

/** RFC 9700 s2.3: a token filed under two resource servers lets one replay it at the other. */
export function checkSharedTokens(exchanges: readonly ExchangeReport[]): void {
  const filings = new Map<string, { servers: string[]; exchanges: Set<ExchangeReport>; kind: TokenKind }>();
  for (const { exchange, server, token } of issuedTokens(exchanges)) {
    if (server.id === UNKNOWN_SERVER || token.kind === 'id') continue;
    const filing = filings.get(token.fingerprint) ?? { servers: [], exchanges: new Set(), kind: token.kind };
    if (!filing.servers.some((s) => isSameServer(s, server.id))) filing.servers.push(server.id);
    filing.exchanges.add(exchange);
    filings.set(token.fingerprint, filing);
  }
  for (const [tokenFingerprint, filing] of filings) {
    if (filing.servers.length < 2) continue;
    for (const exchange of filing.exchanges) {
      addFinding(exchange.findings, 'token-shared-across-servers', {
        resourceServer: filing.servers[0] ?? null,
        tokenKind: filing.kind,
        message: `The same ${filing.kind} token is filed under ${filing.servers.length} resource servers (${quoteList(filing.servers)}): each of them could replay it at the others.`,
        evidence: { fingerprint: tokenFingerprint, resourceServers: filing.servers, exchanges: filing.exchanges.size },
      });
    }
  }
}

/** A resource-server id that names a host (`transfer.api.globus.org`, `https://api.example.com`), as a host; null for ids that do not (`api://default`, a GUID). */
export function serverHost(id: string): string | null {
  const url = /^https?:\/\/([^/?#:]+)/i.exec(id);
  if (url) return (url[1] as string).toLowerCase();
  return /^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(id) && !/^[0-9a-f]{8}-/i.test(id) ? id.toLowerCase() : null;
}

function hostOf(url: string): string | null {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return null;
  }
}

/** RFC 6750 s5.2, RFC 9700 s2.3: a token sent to a host that is not its resource server leaks it to a service it was not issued for. */
export function checkBearerUses(exchanges: readonly ExchangeReport[], uses: readonly BearerUse[]): void {
  if (uses.length === 0) return;
  // The first exchange that issued each access or refresh token.
  const issuers = new Map<string, { exchange: ExchangeReport; server: string; kind: TokenKind }>();
  for (const { exchange, server, token } of issuedTokens(exchanges)) {
    if (token.kind !== 'id' && !issuers.has(token.fingerprint))
      issuers.set(token.fingerprint, { exchange, server: server.id, kind: token.kind });
  }
  const reported = new Set<string>();
  for (const use of uses) {
    const issued = issuers.get(use.fingerprint);
    if (!issued) continue;
    const expected = serverHost(issued.server);
    const host = hostOf(use.url);
    if (host === null || expected === null || host === expected) continue;
    const key = `${use.fingerprint} ${host}`;
    if (reported.has(key)) continue;
    reported.add(key);
    addFinding(issued.exchange.findings, 'token-sent-beyond-audience', {
      resourceServer: issued.server,
      tokenKind: issued.kind,
      message: `The ${issued.kind} token issued for ${serverName(issued.server)} was sent as a Bearer token to ${quote(host)}, a service it was not issued for.`,
      evidence: { fingerprint: use.fingerprint, sentTo: `${use.method} ${use.url.split('?')[0]}`, at: use.at },
    });
  }
}
