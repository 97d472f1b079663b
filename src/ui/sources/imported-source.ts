/**
 * A file the user imported, as a view source. Loaded on demand (a separate chunk): the popup
 * opens without the analysis code, which only an import needs.
 */
import { buildReport } from '../../core/analysis/index.js';
import { readInput } from '../../core/input.js';
import type { Report } from '../../core/types.js';
import type { CaptureInfo, ViewState } from '../../protocol/view-state.js';
import { plainSource } from './plain-source.js';
import type { ViewSource } from './view-source.js';

function withoutTokenValues(report: Report): Report {
  return {
    ...report,
    exchanges: report.exchanges.map((exchange) => ({
      ...exchange,
      resourceServers: exchange.resourceServers.map((server) => ({
        ...server,
        tokens: server.tokens.map(({ value: _value, ...token }) => token),
      })),
    })),
  };
}

/** The view of a report read from a file: no tab, no site, every exchange marked imported. */
function importedView(name: string, report: Report): ViewState {
  const captures: Record<string, CaptureInfo> = {};
  for (const exchange of report.exchanges)
    captures[exchange.id] = { tabId: -1, site: name, seenBy: [exchange.source], verification: 'imported' };
  return {
    tabId: null,
    tabUrl: null,
    site: null,
    isWatched: false,
    watchedSites: [],
    report,
    totalExchanges: report.exchanges.length,
    captures,
    dropped: 0,
    capacity: report.exchanges.length,
    notes: [],
    suggestedHosts: [],
    otherTabs: [],
  };
}

/**
 * A file the user imported (HAR, report, token response), analyzed by the same
 * core, in memory only: nothing of it is stored. Throws InputError for a file
 * that cannot be read.
 */
export function importedSource(name: string, text: string, now = new Date()): ViewSource {
  const input = readInput(text, name, now.toISOString());
  const full =
    input.kind === 'report'
      ? input.report
      : buildReport(input.exchanges, {
          showTokens: true,
          bearerUses: input.kind === 'har' ? input.bearerUses : [],
          signInSteps: input.kind === 'har' ? input.signInSteps : [],
        });
  return plainSource(importedView(name, withoutTokenValues(full)), { importedFrom: name, withValues: full });
}
