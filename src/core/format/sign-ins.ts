/**
 * Sign-ins in words, for the table, Markdown and the views: what was asked, the consent result,
 * requested vs granted per resource server. Only sign-ins with a front channel are told apart; a
 * sign-in of one exchange is that exchange, already shown.
 */
import type { SignInReport } from '../sign-in/types.js';
import type { Report } from '../types.js';
import { mdCode, mdText } from './text.js';

/** The sign-ins worth a section of their own: an authorization request or response was seen. */
export function frontChannelSignIns(report: Report): SignInReport[] {
  return (report.signIns ?? []).filter((signIn) => signIn.authorization !== null || signIn.response !== null);
}

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
export function signInsMarkdown(report: Report): string[] {
  const signIns = frontChannelSignIns(report);
  if (signIns.length === 0) return [];
  const lines = ['## Sign-ins', ''];
  signIns.forEach((signIn, index) => {
    const request = signIn.authorization;
    const title = request ? `${mdCode(request.endpoint, 300)} (${request.via})` : mdCode(signIn.response?.redirectUri ?? '', 300);
    lines.push(`### Sign-in ${index + 1}: ${title}`, '');
    const facts = [`consent result: ${mdText(consentResult(signIn))}`, mdText(joinedByText(signIn))];
    if (request?.clientId) facts.push(`client ${mdCode(request.clientId)}`);
    if (request?.prompt) facts.push(`prompt ${mdCode(request.prompt)}`);
    lines.push(facts.join(' · '), '');
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
    const request = signIn.authorization;
    lines.push({
      text: `Sign-in ${index + 1}  ${request ? `${request.endpoint} (${request.via})` : (signIn.response?.redirectUri ?? '')}`,
    });
    lines.push({ text: `   consent result: ${consentResult(signIn)}; ${joinedByText(signIn)}` });
    for (const line of serverLines(signIn)) lines.push({ text: `   ${line}` });
    for (const note of signIn.notes) lines.push({ text: `   note: ${note}` });
    for (const finding of signIn.findings) lines.push({ text: `${finding.rule}  ${finding.message}`, severity: finding.severity });
  });
  return lines;
}
