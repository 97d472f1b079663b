/** A view source over one ViewState held in memory: an imported file, or a test's data. */
import type { Report } from '../../core/types.js';
import type { ViewState } from '../../protocol/view-state.js';
import type { ViewSource } from './view-source.js';

export interface PlainSourceOptions {
  /** The imported file's name, for a view of a file. */
  importedFrom?: string;
  /** The report with token values (for reveal, copy and export); `view.report` when omitted. */
  withValues?: Report;
}

/** Nothing changes a plain source: it never calls back, and clear, watch and unwatch do nothing. */
export function plainSource(view: ViewState, { importedFrom, withValues = view.report }: PlainSourceOptions = {}): ViewSource {
  return {
    ...(importedFrom === undefined ? {} : { importedFrom }),
    load: (limit) =>
      Promise.resolve(limit ? { ...view, report: { ...view.report, exchanges: view.report.exchanges.slice(0, limit) } } : view),
    subscribe: () => () => {},
    clear: () => Promise.resolve(),
    watch: () => Promise.resolve(false),
    unwatch: () => Promise.resolve(false),
    revealToken: (exchangeId, fingerprint) =>
      Promise.resolve(
        withValues.exchanges
          .find((exchange) => exchange.id === exchangeId)
          ?.resourceServers.flatMap((server) => server.tokens)
          .find((token) => token.fingerprint === fingerprint)?.value ?? null,
      ),
    exportReport: (showTokens) => Promise.resolve(showTokens ? withValues : view.report),
  };
}
