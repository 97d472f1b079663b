/** The words of a report's summary line, written once for the CLI table, the Markdown report and the views. */
import { SEVERITIES } from '../severity.js';
import type { ReportSummary, Severity } from '../types.js';

/**
 * A count and its noun: "1 exchange", "2 exchanges"; with `'(s)'`, "2 exchange(s)" whatever the
 * count, as the CLI table and the Markdown report write it.
 */
export function countLabel(count: number, noun: string, plural: 'word' | '(s)' = 'word'): string {
  if (plural === '(s)') return `${count} ${noun}(s)`;
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** What a report holds: "2 exchange(s), 3 resource server(s), 4 token(s)" (or "2 exchanges, ..." with `'word'`). */
export function reportCounts(summary: ReportSummary, plural: 'word' | '(s)' = 'word'): string {
  return [
    countLabel(summary.exchanges, 'exchange', plural),
    countLabel(summary.resourceServers, 'resource server', plural),
    countLabel(summary.tokens, 'token', plural),
  ].join(', ');
}

export interface FindingCount {
  severity: Severity;
  count: number;
  /** "2 high", "0 info". */
  label: string;
}

/** The number of findings of each severity asked for, worst first (all four unless told). */
export function findingCounts(findings: Readonly<Record<Severity, number>>, severities: readonly Severity[] = SEVERITIES): FindingCount[] {
  return SEVERITIES.filter((severity) => severities.includes(severity)).map((severity) => ({
    severity,
    count: findings[severity],
    label: `${findings[severity]} ${severity}`,
  }));
}
