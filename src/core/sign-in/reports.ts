/** Joined sign-ins as the report shows them: the front channel, the exchanges, the scope mapping, the flow findings. */
import { checkDiscovery } from '../rules/discovery.js';
import { checkFlow } from '../rules/flow.js';
import { checkMcp } from '../rules/mcp.js';
import { bySeverity } from '../severity.js';
import { sha256Hex } from '../sha256.js';
import type { BearerUse, ExchangeReport } from '../types.js';
import { isCodeGrant, type SignInChain } from './join.js';
import { mapScopes } from './mapping.js';
import type { SignInReport } from './types.js';

function signInId(chain: SignInChain, exchangeIds: string[]): string {
  const { request, response } = chain.channel ?? {};
  return sha256Hex(JSON.stringify([request?.at, request?.redacted, response?.at, response?.redacted, exchangeIds])).slice(0, 20);
}

function firstTime(chain: SignInChain): number {
  const ms = Date.parse(chain.channel?.request?.at ?? chain.channel?.response?.at ?? chain.exchanges[0]?.captured.startedAt ?? '');
  return Number.isNaN(ms) ? 0 : ms;
}

/** One sign-in's report. */
function signInReport(chain: SignInChain, bearerUses: readonly BearerUse[]): SignInReport {
  const request = chain.channel?.request ?? null;
  const response = chain.channel?.response ? { ...chain.channel.response } : null;
  const reports: ExchangeReport[] = chain.exchanges.map((exchange) => exchange.report);
  const tokensExchange = chain.exchanges.find((exchange) => exchange.captured === chain.channel?.tokens);
  if (response && tokensExchange) response.tokensExchange = tokensExchange.report.id;
  const requested = request?.scopes.length ? request.scopes : (reports[0]?.request.scopes ?? []);
  const { requestedScopes, resourceServers } = mapScopes(requested, reports, request);
  // A use_dpop_nonce challenge (RFC 9449 s8) is not the code exchange: its retry is.
  const code = chain.joinedBy
    ? chain.exchanges.find((exchange) => isCodeGrant(exchange.facts.grantType) && exchange.report.challenge === undefined)
    : undefined;
  const notes: string[] = [...(request?.notes ?? [])];
  if (request && !response && request.responseMode === 'form_post')
    notes.push(
      'The answer comes back as a form_post: a POST to the redirect URI, which no script of the page can read. Its code and state are not visible in the extension; a HAR saved with "Preserve log" has them.',
    );
  else if (request && !response && chain.exchanges.length === 0)
    notes.push('No answer on the redirect URI was seen: the sign-in was not finished, or it returned where nothing was watching.');
  if (response?.outcome === 'code' && !chain.joinedBy)
    notes.push('The code exchange was not seen: a confidential client redeems its code on its server (back channel: not observable here).');
  if (response?.mode === 'form_post')
    notes.push(
      'The response was posted to the redirect URI (form_post): its code and state are visible here only when the POST was captured.',
    );
  // RFC 9449 s8: a nonce challenge said in words, with whether its retry was seen.
  const challenged = chain.exchanges.findIndex((exchange) => exchange.report.challenge === 'use_dpop_nonce');
  if (challenged >= 0)
    notes.push(
      challenged < chain.exchanges.length - 1
        ? 'The server asked for a DPoP nonce (use_dpop_nonce, RFC 9449 s8); the client retried with it.'
        : 'The server asked for a DPoP nonce (use_dpop_nonce, RFC 9449 s8); no retry was seen.',
    );
  const upstream = chain.channel?.upstream;
  if (upstream)
    notes.push(
      `The round trip to ${upstream.authorization.endpoint} was seen: there the project is the client (${upstream.authorization.clientId ?? 'no client id'}) and redeems the code on its server, so no exchange of it appears here.`,
    );
  const ids = reports.map((report) => report.id);
  const findings = [] as SignInReport['findings'];
  checkFlow({
    request,
    response,
    codeExchange: code ? { report: code.report, facts: code.facts } : null,
    issuedTokens: reports.some((report) => report.resourceServers.some((server) => server.tokens.length > 0)),
    resourceServers,
    findings,
  });
  const discovery = chain.channel?.discovery;
  if (discovery) {
    const context = { request, discovery, exchanges: reports, findings, bearerUses };
    checkDiscovery(context);
    checkMcp(context);
    if (discovery.client?.clientName)
      notes.push(
        `The client registered itself (RFC 7591) as ${JSON.stringify(discovery.client.clientName)}, client id ${discovery.client.clientId ?? 'not given'}.`,
      );
  }
  findings.sort(bySeverity);
  return {
    id: signInId(chain, ids),
    authorization: request,
    response,
    joinedBy: chain.joinedBy,
    exchanges: ids,
    requestedScopes,
    resourceServers,
    findings,
    notes,
    ...(upstream ? { upstream } : {}),
    ...(discovery ? { discovery } : {}),
  };
}

/** Every sign-in, in the order it started. */
export function signInReports(chains: readonly SignInChain[], bearerUses: readonly BearerUse[] = []): SignInReport[] {
  return [...chains]
    .filter((chain) => chain.channel !== null || chain.exchanges.length > 0)
    .sort((a, b) => firstTime(a) - firstTime(b))
    .map((chain) => signInReport(chain, bearerUses));
}
