/**
 * A file the user imported, as a view source. Loaded on demand (a separate chunk): the popup
 * opens without the analysis code, which only an import needs.
 */
import { buildReport } from '../core/analysis/index.js';
import { readInput } from '../core/input.js';
import type { CaptureInfo, ViewState } from '../protocol/view-state.js';
import type { Report } from '../core/types.js';
import type { ViewSource } from './source.js';

function withoutTokenValues(report: Report): Report {
  return {
    ...report,
    exchanges: report.exchanges.map((exchange) => ({
      ...exchange,
      resourceServers: exchange.resourceServers.map((server) => ({ ...server, tokens: server.tokens.map(({ value: _value, ...token }) => token) })),
    })),
  };
}

/**
 * A file the user imported (HAR, report, token response), analyzed by the same
 * core, in memory only: nothing of it is stored. Throws InputError for a file
 * that cannot be read.
 */
export function importedSource(name: string, text: string, now = new Date()): ViewSource {
  const input = readInput(text, name, now.toISOString());
  const full = input.kind === 'report' ? input.report : buildReport(input.exchanges, { showTokens: true, bearerUses: input.kind === 'har' ? input.bearerUses : [] });
  const shown = withoutTokenValues(full);
  const captures: Record<string, CaptureInfo> = {};
  for (const exchange of shown.exchanges) captures[exchange.id] = { tabId: -1, site: name, seenBy: [exchange.source], verification: 'imported' };
  const view: ViewState = {
    tabId: null,
    tabUrl: null,
    site: null,
    isWatched: false,
    watchedSites: [],
    report: shown,
    totalExchanges: shown.exchanges.length,
    captures,
    dropped: 0,
    capacity: shown.exchanges.length,
    notes: [],
    suggestedHosts: [],
    otherTabs: [],
  };
  return {
    importedFrom: name,
    load: (limit) => Promise.resolve(limit ? { ...view, report: { ...view.report, exchanges: view.report.exchanges.slice(0, limit) } } : view),
    subscribe: () => () => {},
    clear: () => Promise.resolve(),
    watch: () => Promise.resolve(false),
    unwatch: () => Promise.resolve(false),
    revealToken: (exchangeId, fingerprint) =>
      Promise.resolve(
        full.exchanges
          .find((e) => e.id === exchangeId)
          ?.resourceServers.flatMap((s) => s.tokens)
          .find((t) => t.fingerprint === fingerprint)?.value ?? null,
      ),
    exportReport: (showTokens) => Promise.resolve(showTokens ? full : shown),
  };
}
