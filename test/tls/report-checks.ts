/**
 * What the TLS sign-in tests read from a tab's report, the same in Chromium and Firefox: every finding (of the
 * exchanges and of the sign-ins), the ones a test does not expect, and short lines to show when an assertion fails.
 */
import type { Finding, Report, Severity } from '../../src/core/types.js';
import type { ViewState } from '../../src/protocol/view-state.js';

const RANK: Record<Severity, number> = { info: 0, low: 1, medium: 2, high: 3 };

/** Every finding of the report: each exchange's, then each sign-in's, once each. */
export function allFindings(report: Report): Finding[] {
  const seen = new Set<string>();
  const list: Finding[] = [];
  for (const finding of [...report.exchanges.flatMap((e) => e.findings), ...report.signIns.flatMap((s) => s.findings)]) {
    const key = `${finding.rule} ${finding.severity} ${finding.resourceServer} ${finding.message}`;
    if (!seen.has(key)) list.push(finding);
    seen.add(key);
  }
  return list;
}

/** A finding a test expects: its rule and severity, and a test on the rest. */
export interface ExpectedFinding {
  rule: string;
  severity: Severity;
  /** What makes it the finding meant (the server it is on, its evidence). */
  where?: (finding: Finding) => boolean;
}

const matches = (finding: Finding, expected: ExpectedFinding): boolean =>
  finding.rule === expected.rule && finding.severity === expected.severity && (expected.where?.(finding) ?? true);

/** Findings at or over `floor` that none of `allowed` describes: the false alarms of a correct sign-in. */
export function unexpectedFindings(report: Report, allowed: readonly ExpectedFinding[], floor: Severity = 'low'): string[] {
  return allFindings(report)
    .filter((f) => RANK[f.severity] >= RANK[floor] && !allowed.some((a) => matches(f, a)))
    .map(line);
}

/** Expected findings the report does not have. */
export function missingFindings(report: Report, expected: readonly ExpectedFinding[]): string[] {
  const findings = allFindings(report);
  return expected.filter((e) => !findings.some((f) => matches(f, e))).map((e) => `${e.rule} (${e.severity})`);
}

/** One line for a finding: severity, rule, server, message. */
export function line(finding: Finding): string {
  return `${finding.severity} ${finding.rule} [${finding.resourceServer ?? '-'}] ${finding.message}`;
}

/** The report in a few lines: each exchange (URL, grant, servers) and each sign-in, to show beside a failure. */
export function outline(report: Report): string {
  const exchanges = report.exchanges.map(
    (e) =>
      `exchange ${e.method} ${e.url.split('?')[0]} grant=${e.request.grantType} servers=${e.resourceServers.map((s) => `${s.id}(${s.confidence})`).join(',')}`,
  );
  const signIns = report.signIns.map(
    (s) => `sign-in ${s.authorization?.endpoint ?? '(no authorization seen)'} joinedBy=${s.joinedBy} exchanges=${s.exchanges.length}`,
  );
  return [...exchanges, ...signIns, ...allFindings(report).map(line)].join('\n');
}

/** The access tokens of the report, each with the server it is filed under. */
export function accessTokens(report: Report): Array<{ server: string; fingerprint: string; sentTo: string[] }> {
  return report.exchanges.flatMap((e) =>
    e.resourceServers.flatMap((server) =>
      server.tokens
        .filter((t) => t.kind === 'access')
        .map((t) => ({ server: server.id, fingerprint: t.fingerprint, sentTo: (t.sentTo ?? []).map((s) => s.url) })),
    ),
  );
}

/** The outline, each exchange with how it was captured (which sources saw it, how sure), and the tab's notes. */
export function outlineWithCapture(view: ViewState): string {
  const how = view.report.exchanges.map((e) => {
    const capture = view.captures[e.id];
    return `captured ${e.url.split('?')[0]} grant=${e.request.grantType}: ${capture?.seenBy.join('+') ?? '?'} (${capture?.verification ?? '?'})`;
  });
  return [outline(view.report), ...how, ...view.notes.map((n) => `note: ${n.message}`)].join('\n');
}

/**
 * The tab's report once `ready(report)` holds, asked again every 100 ms up to `timeoutMs` (captures land a little after
 * the page's call resolves); on a time-out the error shows what the report had.
 */
export async function reportWhen(
  app: { view(): Promise<ViewState> },
  what: string | ((report: Report) => string),
  ready: (report: Report) => boolean,
  timeoutMs = 15_000,
): Promise<Report> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { report } = await app.view();
    if (ready(report)) return report;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === 'string' ? what : what(report)}\n${outline(report)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
