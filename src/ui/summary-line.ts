/** The one-line summary above the exchanges, in the words the CLI and Markdown report use too. */
import { countLabel, findingCounts } from '../core/format/summary.js';
import type { ReportSummary } from '../core/types.js';

/** `3 exchanges · 2 resource servers · 1 high, 0 medium, 0 low`. */
export function summaryLine(summary: ReportSummary): string {
  const findings = findingCounts(summary.findings, ['high', 'medium', 'low']).map((count) => count.label);
  return [countLabel(summary.exchanges, 'exchange'), countLabel(summary.resourceServers, 'resource server'), findings.join(', ')].join(
    ' · ',
  );
}
