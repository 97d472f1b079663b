/**
 * The report as a terminal table. Every value from a token or a server goes
 * through `plain()`: a claim holding escape sequences cannot drive the terminal.
 */
import { bindingText } from '../core/dpop.js';
import { authorizationDetailsWords } from '../core/format/authorization-details.js';
import { signInsText } from '../core/format/sign-ins.js';
import { findingCounts, reportCounts } from '../core/format/summary.js';
import { aliasWords, loweredWords, resolutionWords } from '../core/format/verdict.js';
import { plain, shortFingerprint } from '../core/format/text.js';
import type { ExchangeReport, Report, ResourceServerReport, Severity, TokenReport } from '../core/types.js';

export interface Paint {
  bold(text: string): string;
  dim(text: string): string;
  severity(severity: Severity, text: string): string;
}

const ESC = '\u001b[';
export const colour: Paint = {
  bold: (text) => `${ESC}1m${text}${ESC}22m`,
  dim: (text) => `${ESC}2m${text}${ESC}22m`,
  severity: (severity, text) => {
    const code = { high: '31;1', medium: '33', low: '36', info: '2' }[severity];
    return `${ESC}${code}m${text}${ESC}0m`;
  },
};
export const noColour: Paint = { bold: (t) => t, dim: (t) => t, severity: (_, t) => t };

function tokenLine(token: TokenReport, paint: Paint): string {
  const parts = [
    plain(token.kind, 20).padEnd(7),
    plain(token.format, 20).padEnd(6),
    token.heldBy
      ? 'held by the service worker'
      : token.value !== undefined
        ? plain(token.value, 4000)
        : shortFingerprint(token.fingerprint),
  ];
  if (token.claims && 'aud' in token.claims) parts.push(`aud=${plain(token.claims.aud, 160)}`);
  if (token.expiresAt) parts.push(`expires ${plain(token.expiresAt, 40)}`);
  if (token.binding) parts.push(plain(bindingText(token.binding), 300));
  if (token.note) parts.push(paint.dim(`(${plain(token.note, 160)})`));
  return parts.join('  ');
}

/** RFC 9396 authorization details under the scopes: what was granted, and the rights dropped or added. */
function detailLines(server: ResourceServerReport, paint: Paint): string[] {
  if (!server.authorizationDetails) return [];
  const words = authorizationDetailsWords(server.authorizationDetails);
  const lines = [`      details  ${paint.dim(plain(`granted ${words.from}`, 200))}`];
  for (const line of words.granted) lines.push(`         ${plain(line, 300)}`);
  for (const line of words.dropped) lines.push(`         - ${plain(line, 300)}`);
  for (const line of words.added) lines.push(`         + ${plain(line, 300)}`);
  return lines;
}

function exchangeBlock(exchange: ExchangeReport, index: number, paint: Paint): string[] {
  const lines: string[] = [];
  const head = [
    `${index + 1}.`,
    plain(exchange.method, 10),
    plain(exchange.url, 160),
    String(exchange.status ?? '—'),
    plain(exchange.request.grantType ?? 'grant unknown', 80),
    `[${plain(exchange.source, 40)}]`,
    plain(exchange.startedAt, 40),
  ];
  lines.push(paint.bold(head.join('  ')));
  if (exchange.provider)
    lines.push(
      `   provider ${plain(exchange.provider, 80)}${exchange.request.clientId ? `, client ${plain(exchange.request.clientId, 80)}` : ''}`,
    );
  if (exchange.request.scopes.length) lines.push(`   requested  ${plain(exchange.request.scopes.join(' '), 300)}`);
  if (exchange.request.resources.length) lines.push(`   resources  ${plain(exchange.request.resources.join(' '), 300)}`);
  for (const note of exchange.notes) lines.push(paint.dim(`   note: ${plain(note, 300)}`));
  for (const server of exchange.resourceServers) {
    const alias = aliasWords(server);
    lines.push(
      `   ${paint.bold(plain(server.id, 160))}${alias ? ` (${plain(alias, 200)})` : ''}  ${paint.dim(plain(resolutionWords(server), 200))}`,
    );
    if (server.resolvedBy !== 'client') lines.push(`      scopes   ${server.scopes.length ? plain(server.scopes.join(' '), 300) : '—'}`);
    lines.push(...detailLines(server, paint));
    for (const token of server.tokens) lines.push(`      ${tokenLine(token, paint)}`);
  }
  if (exchange.findings.length === 0) {
    lines.push(paint.dim('   no findings'));
  } else {
    for (const finding of exchange.findings) {
      const label = paint.severity(finding.severity, plain(finding.severity, 10).toUpperCase().padEnd(6));
      lines.push(`   ${label}  ${plain(finding.rule, 60)}  ${plain(finding.message, 400)}`);
      if (finding.explanation) lines.push(paint.dim(`           why: ${plain(finding.explanation, 400)}`));
      const lowered = loweredWords(finding);
      if (lowered) lines.push(paint.dim(`           ${plain(lowered, 400)}`));
    }
  }
  return lines;
}

/** The report as a terminal table: a block per exchange, then the summary line. */
export function toTable(report: Report, paint: Paint): string {
  const { summary } = report;
  const lines: string[] = [];
  if (report.exchanges.length === 0) lines.push('No token exchanges found.');
  report.exchanges.forEach((exchange, index) => {
    lines.push(...exchangeBlock(exchange, index, paint), '');
  });
  for (const note of report.notes ?? []) lines.push(paint.dim(`note: ${plain(note, 500)}`));
  for (const line of signInsText(report))
    lines.push(
      line.severity
        ? `   ${paint.severity(line.severity, line.severity.toUpperCase().padEnd(6))}  ${plain(line.text, 400)}`
        : plain(line.text, 600),
    );
  const counts = findingCounts(summary.findings).map(({ severity, label }) => paint.severity(severity, label));
  lines.push(`${reportCounts(summary, '(s)')}; findings: ${counts.join(', ')}`);
  return `${lines.join('\n')}\n`;
}
