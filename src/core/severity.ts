/** The order of severities, defined once for the rules, the views and the CLI. */
import type { Severity } from './types.js';

/**
 * The severities, worst first.
 * @see [RFC 9700 s2.3: access token privilege restriction](https://www.rfc-editor.org/rfc/rfc9700#section-2.3)
 */
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

/**
 * A `--fail-on` / `tokenscopeFailOn` threshold: a finding at or over it fails the run; `never` fails nothing.
 * @see [RFC 9700 s2.3: access token privilege restriction](https://www.rfc-editor.org/rfc/rfc9700#section-2.3)
 */
export type FailOn = 'high' | 'medium' | 'low' | 'never';
/**
 * The `--fail-on` thresholds, worst first, then `never`.
 * @see [RFC 9700 s2.3: access token privilege restriction](https://www.rfc-editor.org/rfc/rfc9700#section-2.3)
 */
export const FAIL_ON: readonly FailOn[] = ['high', 'medium', 'low', 'never'];

/**
 * Every finding at or over the threshold, with the exchange it came from, in report order (none for `never`).
 * @see [RFC 9700 s2.3: access token privilege restriction](https://www.rfc-editor.org/rfc/rfc9700#section-2.3)
 */
export function findingsAtOrOver<E extends { findings: ReadonlyArray<{ severity: Severity }> }>(
  exchanges: readonly E[],
  failOn: FailOn,
): Array<{ exchange: E; finding: E['findings'][number] }> {
  if (failOn === 'never') return [];
  const rank = severityRank(failOn);
  return exchanges.flatMap((exchange) =>
    exchange.findings.filter((finding) => severityRank(finding.severity) >= rank).map((finding) => ({ exchange, finding })),
  );
}
