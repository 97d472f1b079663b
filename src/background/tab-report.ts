/** A tab's stored exchanges as a report: the analysis the badge, the views and the export share. */
import { buildReport } from '../core/analysis/index.js';
import type { Report } from '../core/types.js';
import type { WorkerDeps } from './deps.js';

/**
 * The tab's report, newest exchange first: the tab's exchanges from the store's per-tab index, each one's own
 * analysis from the memo (analysis-memo.ts), then the rules across the tab's exchanges. From the cache
 * (report-cache.ts) unless token values are asked for: a report with values is built for one reply and never kept.
 */
export async function tabReport(deps: WorkerDeps, tabId: number | null, showTokens = false): Promise<Report> {
  const compute = async () => {
    const [mine, bearerUses, signInSteps] = await Promise.all([deps.store.tab(tabId), deps.bearer.uses(), deps.signIns.tab(tabId)]);
    const analyze = showTokens ? undefined : deps.memo.analyzerFor(mine);
    const facts = deps.memo.factsFor(mine);
    const report = buildReport(
      mine.map((e) => e.exchange),
      { showTokens, bearerUses, signInSteps },
      analyze,
      facts,
    );
    report.exchanges.reverse();
    return report;
  };
  return showTokens ? compute() : deps.cache.get(tabId, compute);
}
