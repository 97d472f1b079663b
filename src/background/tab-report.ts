/** A tab's stored exchanges as a report: the analysis the badge, the views and the export share. */
import { buildReport } from '../core/analysis/index.js';
import type { Report } from '../core/types.js';
import type { WorkerDeps } from './deps.js';

/**
 * The tab's report, newest exchange first. From the cache (report-cache.ts) unless token values are
 * asked for: a report with values is built for one reply and never kept.
 */
export async function tabReport(deps: WorkerDeps, tabId: number | null, showTokens = false): Promise<Report> {
  const compute = async () => {
    const [{ exchanges }, bearerUses] = await Promise.all([deps.store.read(), deps.bearer?.uses() ?? []]);
    const report = buildReport(
      exchanges.filter((e) => e.capture.tabId === tabId).map((e) => e.exchange),
      { showTokens, bearerUses },
    );
    report.exchanges.reverse();
    return report;
  };
  return showTokens || !deps.cache ? compute() : deps.cache.get(tabId, compute);
}
