/**
 * The analysis: captured exchanges in, a report out. Pure and synchronous; the
 * CLI, the service worker and the views all call `buildReport`.
 */
import { issuedTokens } from '../issued-tokens.js';
import { checkBearerUses, checkSharedTokens } from '../rules/cross-exchange.js';
import { bySeverity } from '../severity.js';
import type { AnalyzeOptions, CapturedExchange, ExchangeReport, Report, ReportSummary } from '../types.js';
import { VERSION } from '../version.js';
import { analyzeExchange } from './exchange.js';
import type { IssuedAccessTokens } from './introspection.js';

/** Counts for the report's summary. */
export function summarize(exchanges: ExchangeReport[]): ReportSummary {
  const summary: ReportSummary = {
    exchanges: exchanges.length,
    resourceServers: 0,
    tokens: 0,
    findings: { high: 0, medium: 0, low: 0, info: 0 },
  };
  for (const exchange of exchanges) {
    summary.resourceServers += exchange.resourceServers.length;
    for (const server of exchange.resourceServers) summary.tokens += server.tokens.length;
    for (const finding of exchange.findings) summary.findings[finding.severity] += 1;
  }
  return summary;
}

/** Where each access token was first filed, for reading introspection answers. */
function issuedAccessTokens(exchanges: readonly ExchangeReport[]): IssuedAccessTokens {
  const filed: IssuedAccessTokens = new Map();
  for (const { server, token } of issuedTokens(exchanges)) {
    if (token.kind === 'access' && !filed.has(token.fingerprint))
      filed.set(token.fingerprint, { resourceServer: server.id, resolvedBy: server.resolvedBy });
  }
  return filed;
}

/**
 * One exchange's own analysis, before the rules across exchanges. A caller that keeps these (the worker's memo,
 * keyed by the stored exchange) passes its own; it must return a report whose `findings` array is fresh (the rules
 * across exchanges add to it).
 */
export type AnalyzeOne = (exchange: CapturedExchange, index: number) => ExchangeReport;

/** The whole analysis: every exchange, the rules across exchanges, the summary; findings worst first within each exchange. */
export function buildReport(captured: readonly CapturedExchange[], options: AnalyzeOptions = {}, analyzeOne?: AnalyzeOne): Report {
  const exchanges = captured.map((exchange, index) => (analyzeOne ? analyzeOne(exchange, index) : analyzeExchange(exchange, options)));
  // Introspection answers are read against the tokens issued in the same capture.
  const filed = issuedAccessTokens(exchanges);
  if (filed.size > 0) {
    captured.forEach((exchange, index) => {
      if (exchanges[index]?.kind === 'introspection') exchanges[index] = analyzeExchange(exchange, options, filed);
    });
  }
  checkSharedTokens(exchanges);
  checkBearerUses(exchanges, options.bearerUses ?? []);
  for (const exchange of exchanges) exchange.findings.sort(bySeverity);
  return { tool: 'tokenscope', version: VERSION, exchanges, summary: summarize(exchanges) };
}
