/**
 * The analysis of each tab's stored exchanges, kept until the store changes.
 * The badge computes a tab's report right after each capture; the popup opened
 * later reads that one instead of analyzing 200 exchanges again. Derived state
 * only: a restarted worker starts empty and recomputes on demand.
 */
import type { Report } from '../core/types.js';

export class ReportCache {
  private version = 0;
  private readonly reports = new Map<number | null, { version: number; report: Report }>();

  /** Something stored changed (an exchange, a Bearer use, a clear): every report is stale. */
  invalidate(): void {
    this.version += 1;
    this.reports.clear();
  }

  /** The tab's report, computed by `compute` unless a report of the current version is kept. Do not mutate it. */
  async get(tabId: number | null, compute: () => Promise<Report>): Promise<Report> {
    const kept = this.reports.get(tabId);
    if (kept && kept.version === this.version) return kept.report;
    const version = this.version;
    const report = await compute();
    // A change while computing makes this report stale already: keep it only if nothing changed.
    if (version === this.version) this.reports.set(tabId, { version, report });
    return report;
  }
}
