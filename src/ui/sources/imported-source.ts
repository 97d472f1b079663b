/**
 * A file the user imported, as a view source. Loaded on demand (a separate chunk); the file was
 * read and analyzed by the import worker, off the view's main thread.
 */
import type { Report } from '../../core/types.js';
import type { CaptureInfo, ViewState } from '../../protocol/view-state.js';
import type { ImportedReport } from '../import/analyze-import.js';
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
function importedView(name: string, report: Report, notes: readonly string[], at: string): ViewState {
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
    notes: notes.map((message) => ({ tabId: -1, at, message })),
    suggestedHosts: [],
    otherTabs: [],
  };
}

/**
 * A file the user imported (HAR, report, token response), analyzed by the same core, held in
 * memory only: nothing of it is stored. The view shows it without token values; reveal and
 * export read them from `imported.report`.
 */
export function importedSource(name: string, imported: ImportedReport, now = new Date()): ViewSource {
  const full = imported.report;
  return plainSource(importedView(name, withoutTokenValues(full), imported.notes, now.toISOString()), {
    importedFrom: name,
    withValues: full,
  });
}
