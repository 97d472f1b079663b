/**
 * What the TLS tests check in Tokenscope's report (the tab's view, `get-view`, as the popup reads it), shared by the Chromium
 * and Firefox tests: each check a sentence; a test waits until none fails (captures land a little after the page's
 * calls: flows/flow.ts `allPass`) and then fails with the sentences still failing.
 */
import type { ExchangeReport, Report, Severity } from '../../../src/core/types.js';
import { allFindings } from '../report-checks.js';

export { allFindings };

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
