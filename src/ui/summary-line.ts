/** The one-line summary above the exchanges (to give way to the core's summary sentence when it exists). */
import type { ReportSummary } from '../core/types.js';
import { plural } from './format.js';

/** `3 exchanges · 2 resource servers · 1 high, 0 medium, 0 low`. */
export function summaryLine(summary: ReportSummary): string {
  return `${plural(summary.exchanges, 'exchange')} · ${plural(summary.resourceServers, 'resource server')} · ${summary.findings.high} high, ${summary.findings.medium} medium, ${summary.findings.low} low`;
}
