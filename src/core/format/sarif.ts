/**
 * The report as SARIF 2.1.0, so code-scanning tools list the findings.
 * One result per finding; the location is the input file (a HAR has no lines
 * worth pointing at), the exchange's URL goes in a logical location.
 */
import { RULES, ruleDocPath } from '../rules/catalogue.js';
import { sha256Hex } from '../sha256.js';
import type { Report, RuleId, Severity } from '../types.js';
import { plain } from './text.js';
import { loweredWords } from './verdict.js';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { high: 'error', medium: 'warning', low: 'note', info: 'note' };
/** GitHub code scanning reads `security-severity` (0-10) to rank security results. */
const SECURITY_SEVERITY: Record<Severity, string> = { high: '8.0', medium: '5.5', low: '3.0', info: '0.0' };

function ruleName(id: RuleId): string {
  return id.replace(/(^|-)([a-z])/g, (_, __, char: string) => char.toUpperCase());
}

/**
 * A file path as the URI reference SARIF requires (s3.10: artifactLocation.uri): each segment
 * percent-encoded, so "my capture.har" is `my%20capture.har` and a `#` or `?` stays part of the name.
 */
export function artifactUri(path: string): string {
  return path
    .replace(/\\/g, '/')
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');
}

/** A sign-in's findings as results: the file of its first exchange (or the first file), its authorization endpoint as the logical location. */
function signInResults(report: Report, used: RuleId[], artifactFor: (exchangeIndex: number) => string): object[] {
  const results: object[] = [];
  for (const signIn of report.signIns ?? []) {
    const index = Math.max(
      0,
      report.exchanges.findIndex((exchange) => exchange.id === signIn.exchanges[0]),
    );
    const where = signIn.authorization?.endpoint ?? signIn.response?.redirectUri ?? 'sign-in';
    for (const finding of signIn.findings) {
      results.push({
        ruleId: finding.rule,
        ruleIndex: used.indexOf(finding.rule),
        level: LEVEL[finding.severity],
        message: { text: plain(finding.explanation ? `${finding.message} ${finding.explanation}` : finding.message, 2000) },
        locations: [
          {
            physicalLocation: { artifactLocation: { uri: artifactUri(artifactFor(index)) }, region: { startLine: 1 } },
            logicalLocations: [{ name: plain(where, 500), kind: 'resource' }],
          },
        ],
        partialFingerprints: {
          'tokenscopeFinding/v1': sha256Hex(`${finding.rule}|${where}|${signIn.id}|${JSON.stringify(finding.evidence)}`).slice(0, 32),
        },
        properties: {
          severity: finding.severity,
          'security-severity': SECURITY_SEVERITY[finding.severity],
          resourceServer: finding.resourceServer,
          tokenKind: finding.tokenKind,
          signIn: { id: signIn.id, at: signIn.authorization?.at ?? signIn.response?.at ?? null },
          evidence: finding.evidence,
        },
      });
    }
  }
  return results;
}

/**
 * The report as a SARIF 2.1.0 log, one result a finding, for code-scanning tools. `artifactFor(i)` names the file
 * exchange i came from (a path relative to where the CLI ran).
 * @see [SARIF 2.1.0](https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html)
 */
export function toSarif(report: Report, artifactFor: (exchangeIndex: number) => string): object {
  const signIns = report.signIns ?? [];
  const used = [...new Set([...report.exchanges, ...signIns].flatMap((holder) => holder.findings.map((finding) => finding.rule)))].sort();
  const rules = used.map((id) => {
    const rule = RULES[id];
    return {
      id,
      name: ruleName(id),
      shortDescription: { text: rule.title },
      fullDescription: { text: `${rule.title}. Standard: ${rule.standard}.` },
      help: {
        text: `${rule.title}. Standard: ${rule.standard}. See ${ruleDocPath(id)}.`,
        markdown: `**${rule.title}** (${rule.standard}). See [${ruleDocPath(id)}](${ruleDocPath(id)}).`,
      },
      defaultConfiguration: { level: LEVEL[rule.severity] },
      properties: { tags: ['security', 'oauth', 'token-isolation'], 'security-severity': SECURITY_SEVERITY[rule.severity] },
    };
  });
  const results: object[] = report.exchanges.flatMap((exchange, index) =>
    exchange.findings.map((finding) => ({
      ruleId: finding.rule,
      ruleIndex: used.indexOf(finding.rule),
      level: LEVEL[finding.severity],
      message: { text: plain([finding.message, finding.explanation, loweredWords(finding)].filter(Boolean).join(' '), 2000) },
      locations: [
        {
          physicalLocation: { artifactLocation: { uri: artifactUri(artifactFor(index)) }, region: { startLine: 1 } },
          logicalLocations: [{ name: plain(exchange.url, 500), kind: 'resource' }],
        },
      ],
      partialFingerprints: {
        'tokenscopeFinding/v1': sha256Hex(
          `${finding.rule}|${finding.resourceServer ?? ''}|${finding.tokenKind ?? ''}|${exchange.url}|${JSON.stringify(finding.evidence)}`,
        ).slice(0, 32),
      },
      properties: {
        severity: finding.severity,
        'security-severity': SECURITY_SEVERITY[finding.severity],
        resourceServer: finding.resourceServer,
        tokenKind: finding.tokenKind,
        exchange: { url: exchange.url, method: exchange.method, status: exchange.status, startedAt: exchange.startedAt },
        evidence: finding.evidence,
      },
    })),
  );
  results.push(...signInResults(report, used, artifactFor));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'tokenscope', version: report.version, rules } },
        // SARIF 2.1.0 s3.20: what the tool could not do goes in the invocation's notifications.
        ...(report.notes?.length
          ? {
              invocations: [
                {
                  executionSuccessful: true,
                  toolExecutionNotifications: report.notes.map((note) => ({ level: 'warning', message: { text: note } })),
                },
              ],
            }
          : {}),
        results,
      },
    ],
  };
}
