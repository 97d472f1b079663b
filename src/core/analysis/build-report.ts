/**
 * The analysis: captured exchanges in, a report out. Pure and synchronous; the
 * CLI, the service worker and the views all call `buildReport`.
 */
import { issuedTokens } from '../issued-tokens.js';
import { checkBearerUses, checkSharedTokens } from '../rules/cross-exchange.js';
import { checkDpopUses } from '../rules/dpop.js';
import { checkIdTokenUses } from '../rules/id-token-use.js';
import { checkRefreshReuse } from '../rules/refresh-reuse.js';
import { serverKeys } from '../scopes.js';
import { bySeverity } from '../severity.js';
import { type SignInChain, SignInJoiner, type TokenRequestFacts } from '../sign-in/join.js';
import { signInReports } from '../sign-in/reports.js';
import { withDiscovery } from '../sign-in/discovery.js';
import { readFrontChannel } from '../sign-in/steps.js';
import type { SignInReport } from '../sign-in/types.js';
import type { AnalyzeOptions, CapturedExchange, ExchangeReport, Report, ReportSummary } from '../types.js';
import { VERSION } from '../version.js';
import { analyzeExchange } from './exchange.js';
import type { IssuedAccessTokens } from './introspection.js';

/**
 * Counts for the report's summary: resource servers and tokens distinct across the report (a server
 * several exchanges went to counts once; `https://api.example.com/` and `api.example.com` are one).
 * @see [RFC 8707 s2: the resource parameter (a resource server's URI)](https://www.rfc-editor.org/rfc/rfc8707#section-2)
 */
export function summarize(exchanges: ExchangeReport[], signIns: readonly SignInReport[] = []): ReportSummary {
  const servers = new Set<string>();
  const tokens = new Set<string>();
  const findings = { high: 0, medium: 0, low: 0, info: 0 };
  for (const exchange of exchanges) {
    for (const server of exchange.resourceServers) {
      // The client (its ID tokens' filing) is no resource server.
      if (server.resolvedBy !== 'client') servers.add(serverKeys(server.id).at(-1) as string);
      for (const token of server.tokens) tokens.add(`${token.kind} ${token.fingerprint}`);
    }
    for (const finding of exchange.findings) findings[finding.severity] += 1;
  }
  for (const signIn of signIns) for (const finding of signIn.findings) findings[finding.severity] += 1;
  return { exchanges: exchanges.length, resourceServers: servers.size, tokens: tokens.size, findings };
}

/** Where each access token was first filed, for reading introspection answers. */
function issuedAccessTokens(exchanges: readonly ExchangeReport[]): IssuedAccessTokens {
  const filed: IssuedAccessTokens = new Map();
  for (const { server, token } of issuedTokens(exchanges)) {
    if (token.kind === 'access' && !filed.has(token.fingerprint))
      filed.set(token.fingerprint, { resourceServer: server.id, resolvedBy: server.resolvedBy, confidence: server.confidence });
  }
  return filed;
}

/** The origin of the client each exchange's sign-in redirects to (its authorization request's, else a token request's `redirect_uri`), by exchange id. */
function clientOrigins(chains: readonly SignInChain[]): (exchange: ExchangeReport) => string | null {
  const origins = new Map<string, string>();
  for (const chain of chains) {
    const redirect = chain.channel?.request?.redirectUri ?? chain.exchanges.find((step) => step.facts.redirectUri)?.facts.redirectUri;
    let origin: string | null = null;
    try {
      origin = redirect ? new URL(redirect).origin : null;
    } catch {
      origin = null;
    }
    if (origin && origin !== 'null') for (const step of chain.exchanges) origins.set(step.report.id, origin);
  }
  return (exchange) => origins.get(exchange.id) ?? null;
}

/**
 * One exchange's own analysis, before the rules across exchanges. A caller that keeps these (the worker's memo,
 * keyed by the stored exchange) passes its own; it must return a report whose `findings` array is fresh (the rules
 * across exchanges add to it).
 */
export type AnalyzeOne = (exchange: CapturedExchange, index: number) => ExchangeReport;

/** One exchange's token-request facts (sign-in/join.ts `tokenRequestFacts`), kept by a caller like `AnalyzeOne`. */
export type FactsOne = (exchange: CapturedExchange, index: number) => TokenRequestFacts;

/** The whole analysis: every exchange, the rules across exchanges, the summary; findings worst first within each exchange. */
export function buildReport(
  captured: readonly CapturedExchange[],
  options: AnalyzeOptions = {},
  analyzeOne?: AnalyzeOne,
  factsOne?: FactsOne,
): Report {
  // Each exchange joins its sign-in before it is analyzed: the authorization request says what was asked for.
  const steps = options.signInSteps ?? [];
  const joiner = new SignInJoiner(withDiscovery(readFrontChannel(steps), steps));
  const all = [...captured, ...joiner.frontChannelExchanges];
  const exchanges = all.map((exchange, index) => {
    const { chain, facts, requested } = joiner.join(exchange, factsOne && index < captured.length ? factsOne(exchange, index) : undefined);
    // A caller's memo holds each exchange analyzed on its own: valid only when no authorization request adds to it.
    const report =
      analyzeOne && requested === null && index < captured.length
        ? analyzeOne(exchange, index)
        : analyzeExchange(exchange, { ...options, requestedAtAuthorization: requested });
    joiner.record(exchange, report, chain, facts);
    return report;
  });
  // Introspection answers are read against the tokens issued in the same capture.
  const filed = issuedAccessTokens(exchanges);
  if (filed.size > 0) {
    all.forEach((exchange, index) => {
      if (exchanges[index]?.kind === 'introspection')
        exchanges[index] = analyzeExchange(exchange, { ...options, issuedAccessTokens: filed });
    });
  }
  checkSharedTokens(exchanges);
  checkRefreshReuse(exchanges);
  checkIdTokenUses(exchanges, options.bearerUses ?? [], clientOrigins(joiner.chains));
  checkBearerUses(exchanges, options.bearerUses ?? []);
  checkDpopUses(exchanges, options.bearerUses ?? []);
  for (const exchange of exchanges) exchange.findings.sort(bySeverity);
  const signIns = signInReports(joiner.chains, options.bearerUses ?? []);
  return reportOf(exchanges, signIns);
}

/**
 * The report around analyzed exchanges and sign-ins: the tool, its version and the summary counted from them, and
 * the notes when there are any. The one place a report is put together (`buildReport`, and the CLI joining what it
 * analyzed with the reports it imported).
 */
export function reportOf(exchanges: ExchangeReport[], signIns: SignInReport[], notes: readonly string[] = []): Report {
  return {
    tool: 'tokenscope',
    version: VERSION,
    exchanges,
    signIns,
    summary: summarize(exchanges, signIns),
    ...(notes.length > 0 ? { notes: [...notes] } : {}),
  };
}
