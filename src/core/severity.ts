/** The order of severities, defined once for the rules, the views and the CLI. */
import type { Severity } from './types.js';

/** Worst first. */
export const SEVERITIES: readonly Severity[] = ['high', 'medium', 'low', 'info'];

/** Higher is worse. */
export function severityRank(severity: Severity): number {
  return 3 - SEVERITIES.indexOf(severity);
}

/** A sort comparator: worst first (stable, so equal severities keep their order). */
export function bySeverity(a: { severity: Severity }, b: { severity: Severity }): number {
  return severityRank(b.severity) - severityRank(a.severity);
}

/** The worst severity among the findings, or null when there are none. */
export function worstSeverity(findings: ReadonlyArray<{ severity: Severity }>): Severity | null {
  let worst: Severity | null = null;
  for (const finding of findings) if (worst === null || severityRank(finding.severity) > severityRank(worst)) worst = finding.severity;
  return worst;
}
