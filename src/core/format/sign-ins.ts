/**
 * Sign-ins in words, for the table, Markdown and the views: what was asked, the consent result,
 * requested vs granted per resource server. Sign-ins with a front channel are told apart; a sign-in
 * of exchanges alone only when it has findings of its own (a scope asked for in the token request
 * for a server that got no token): the exchanges are already shown, its findings are not.
 */
import type { SignInReport } from '../sign-in/types.js';
import type { Report } from '../types.js';
import { mdCode, mdText } from './text.js';

/** The sign-ins worth a section of their own: an authorization request or response was seen, or it has findings of its own. */
export function frontChannelSignIns(report: Report): SignInReport[] {
  return (report.signIns ?? []).filter((signIn) => signIn.authorization !== null || signIn.response !== null || signIn.findings.length > 0);
}

/** Where a sign-in started, in words: its authorization endpoint, the redirect URI it came back to, else its first exchange. */
function signInPlace(signIn: SignInReport, report: Report, md: boolean): string {
  const code = (text: string) => (md ? mdCode(text, 300) : text);
  const request = signIn.authorization;
  if (request) return `${code(request.endpoint)} (${request.via})`;
  if (signIn.response) return code(signIn.response.redirectUri);
  const index = report.exchanges.findIndex((exchange) => exchange.id === signIn.exchanges[0]);
  const first = report.exchanges[index];
  const url = first ? code(first.url.split(/[?#]/)[0] as string) : '';
  return `token request ${url}${index >= 0 ? ` (exchange ${index + 1}; no authorization request seen)` : ''}`;
}

const hasFrontChannel = (signIn: SignInReport) => signIn.authorization !== null || signIn.response !== null;

/** The consent result in a few words: code, tokens in the URL, the error, or nothing seen. */
export function consentResult(signIn: SignInReport): string {
  const response = signIn.response;
  if (!response) return 'no answer seen on the redirect URI';
  if (response.outcome === 'error')
    return `refused: ${response.error}${response.errorDescription ? ` (${response.errorDescription})` : ''}`;
  const how = response.mode === 'fragment' ? 'in the URL fragment' : response.mode === 'form_post' ? 'by form post' : 'in the query';
  return response.outcome === 'tokens' ? `tokens ${how}` : `code ${how}`;
}

/** How the exchanges joined, in words. */
export function joinedByText(signIn: SignInReport): string {
  if (signIn.joinedBy === 'pkce') return 'code exchange joined by PKCE';
  if (signIn.joinedBy === 'code') return 'code exchange joined by the code';
  if (signIn.joinedBy === 'state') return 'code exchange joined by client, redirect URI and state';
  return signIn.exchanges.length > 0 ? 'tokens from the authorization response' : 'no token exchange seen';
}

/** One line per resource server: requested, granted, dropped. */
export function serverLines(signIn: SignInReport): string[] {
  return signIn.resourceServers.map((server) => {
    const parts = [`requested ${server.requested.join(' ') || '-'}`, `granted ${server.granted.join(' ') || '-'}`];
    if (server.dropped.length) parts.push(`DROPPED ${server.dropped.join(' ')}`);
    if (server.added.length) parts.push(`added ${server.added.join(' ')}`);
    if (!server.hasToken) parts.push('NO TOKEN');
    return `${server.id}: ${parts.join('; ')}`;
  });
}

/** The sign-ins as Markdown (nothing when none had a front channel). */
/** The discovery that led to the sign-in, in one line: the steps seen and the server its metadata names. */
function discoveryLine(signIn: SignInReport): string | null {
  const discovery = signIn.discovery;
  if (!discovery) return null;
  const steps = discovery.steps.map((step) => (step.kind === 'challenge' ? '401' : step.kind)).join(', ');
  const server = discovery.resource
    ? `; ${discovery.mcp ? 'MCP server' : 'protected resource'} ${discovery.resource} (its own metadata)`
    : '';
  const client = discovery.client?.clientName ? `; registered client "${discovery.client.clientName}"` : '';
  return `discovery: ${steps}${server}${client}`;
}

export function signInsMarkdown(report: Report): string[] {
  const signIns = frontChannelSignIns(report);
  if (signIns.length === 0) return [];
  const lines = ['## Sign-ins', ''];
  signIns.forEach((signIn, index) => {
    const request = signIn.authorization;
    lines.push(`### Sign-in ${index + 1}: ${signInPlace(signIn, report, true)}`, '');
    if (hasFrontChannel(signIn)) {
      const facts = [`consent result: ${mdText(consentResult(signIn))}`, mdText(joinedByText(signIn))];
      if (request?.clientId) facts.push(`client ${mdCode(request.clientId)}`);
      if (request?.prompt) facts.push(`prompt ${mdCode(request.prompt)}`);
      lines.push(facts.join(' · '), '');
    }
    const discovered = discoveryLine(signIn);
    if (discovered) lines.push(mdText(discovered), '');
    if (signIn.resourceServers.length) {
      lines.push('| Resource server | Requested | Granted | Dropped | Token |', '|---|---|---|---|---|');
      for (const server of signIn.resourceServers) {
        const codes = (scopes: string[]) => scopes.map((scope) => mdCode(scope)).join(' ') || '–';
        lines.push(
          `| ${mdCode(server.id)} | ${codes(server.requested)} | ${codes(server.granted)} | ${server.dropped.length ? `**${codes(server.dropped)}**` : '–'} | ${server.hasToken ? 'yes' : '**none**'} |`,
        );
      }
      lines.push('');
    }
    for (const note of signIn.notes) lines.push(`> ${mdText(note)}`, '');
    for (const finding of signIn.findings)
      lines.push(`- ${finding.severity} [${finding.rule}](docs/RULES.md#${finding.rule}): ${mdText(finding.message)}`);
    if (signIn.findings.length) lines.push('');
  });
  return lines;
}

/** The sign-ins as plain lines for the terminal table (nothing when none had a front channel). */
export function signInsText(report: Report): { text: string; severity?: SignInReport['findings'][number]['severity'] }[] {
  const lines: { text: string; severity?: SignInReport['findings'][number]['severity'] }[] = [];
  frontChannelSignIns(report).forEach((signIn, index) => {
    lines.push({ text: `Sign-in ${index + 1}  ${signInPlace(signIn, report, false)}` });
    if (hasFrontChannel(signIn)) lines.push({ text: `   consent result: ${consentResult(signIn)}; ${joinedByText(signIn)}` });
    const discovered = discoveryLine(signIn);
    if (discovered) lines.push({ text: `   ${discovered}` });
    for (const line of serverLines(signIn)) lines.push({ text: `   ${line}` });
    for (const note of signIn.notes) lines.push({ text: `   note: ${note}` });
    for (const finding of signIn.findings) lines.push({ text: `${finding.rule}  ${finding.message}`, severity: finding.severity });
  });
  return lines;
}
