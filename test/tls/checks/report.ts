/**
 * What the TLS tests check in Tokenscope's report (the one the views build, `export-report`), shared by the Chromium
 * and Firefox tests: each check a sentence; a test waits until none fails (captures land a little after the page's
 * calls) and then fails with the sentences still failing.
 */
import type { ExchangeReport, Finding, Report, Severity } from '../../../src/core/types.js';

export interface Check {
  /** What a user would see, in words. */
  name: string;
  pass: (report: Report) => boolean;
}

/** The names of the checks `report` fails. */
export function failing(checks: readonly Check[], report: Report): string[] {
  return checks.filter((check) => !safe(check, report)).map((check) => check.name);
}

function safe(check: Check, report: Report): boolean {
  try {
    return check.pass(report);
  } catch {
    return false;
  }
}

/** Every finding of the report: on exchanges and on sign-ins (each once by rule, server and message). */
export function allFindings(report: Report): Finding[] {
  const seen = new Set<string>();
  return [...report.exchanges.flatMap((e) => e.findings), ...report.signIns.flatMap((s) => s.findings)].filter((f) => {
    const key = `${f.rule}|${f.resourceServer}|${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const AT_OR_OVER_LOW: ReadonlySet<Severity> = new Set(['low', 'medium', 'high']);

/** Findings at or over low, as `severity rule: message` lines (for a failure message). */
export function findingsAtOrOverLow(report: Report): string[] {
  return allFindings(report)
    .filter((f) => AT_OR_OVER_LOW.has(f.severity))
    .map((f) => `${f.severity} ${f.rule}: ${f.message}`);
}

export const tokenExchanges = (report: Report, grant: string, url?: string): ExchangeReport[] =>
  report.exchanges.filter((e) => e.request.grantType === grant && (url === undefined || e.url.split('?')[0] === url));

/** Where a resource server's tokens were sent (each address once), over the whole report. */
export function sentTo(report: Report, server: string): string[] {
  return report.exchanges
    .flatMap((e) => e.resourceServers)
    .filter((rs) => rs.id === server)
    .flatMap((rs) => rs.tokens)
    .flatMap((t) => t.sentTo ?? [])
    .map((s) => s.url);
}

/** The check that no finding at or over low is in the report. */
export const noFindingAtOrOverLow: Check = {
  name: 'no finding at or over low',
  pass: (report) => findingsAtOrOverLow(report).length === 0,
};

/**
 * Wait (bounded) until `report` passes every check. The names still failing then (empty when all pass), and the
 * findings at or over low of the last report read (for the failure message).
 */
export async function failingAfterWait(
  checks: readonly Check[],
  report: () => Promise<Report>,
  timeoutMs = 10_000,
): Promise<{ failed: string[]; findings: string }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const last = await report();
    const failed = failing(checks, last);
    if (failed.length === 0 || Date.now() > deadline)
      return { failed, findings: `findings at or over low: ${JSON.stringify(findingsAtOrOverLow(last), null, 1)}` };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
