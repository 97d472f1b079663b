/**
 * One sign-in as a timeline: the authorization request, the consent result, the code exchange, each
 * refresh, and where its tokens were later sent as Bearer tokens, in the order they happened, each
 * with its time since the start and what went wrong at that step (an error answer, a refusal, a
 * finding) in place. Worked out here from the report, so the views only draw it.
 *
 * Where a token was sent comes from its report's `sentTo` (each address once, first time: AnalyzeOptions.bearerUses);
 * a send that went beyond the token's server carries its `token-sent-beyond-audience` finding in place.
 */
import { detailSummary, readAuthorizationDetails } from '../authorization-details.js';
import { authorizationDetailsWords } from '../format/authorization-details.js';
import { consentResult } from '../format/sign-ins.js';
import { discoveryEvents, METADATA_RULES } from './discovery-timeline.js';
import { bySeverity } from '../severity.js';
import { isCodeGrant } from '../sign-in/join.js';
import type { SignInReport } from '../sign-in/types.js';
import type { ExchangeReport, Finding, ResourceServerReport, RuleId } from '../types.js';
import type { TimelineEvent, TimelineEventKind, TimelineFinding } from './timeline-types.js';

export type { TimelineEvent, TimelineEventKind, TimelineFinding } from './timeline-types.js';

/** Flow rules (src/core/rules/flow.ts) by the step they are about. */
const REQUEST_RULES: ReadonlySet<RuleId> = new Set([
  'pkce-missing',
  'pkce-plain',
  'csrf-unprotected',
  'nonce-missing',
  'mcp-resource-missing',
  'resource-differs-from-metadata',
]);
const RESPONSE_RULES: ReadonlySet<RuleId> = new Set(['authorization-error', 'token-in-front-channel', 'issuer-mismatch']);

function stepFindings(findings: readonly Finding[], keep: (finding: Finding) => boolean): TimelineFinding[] {
  return findings
    .filter(keep)
    .sort(bySeverity)
    .map(({ rule, severity, message }) => ({ rule, severity, message }));
}

/** An endpoint without its query or fragment (they may hold codes and state). */
function withoutQuery(url: string): string {
  const cut = url.search(/[?#]/);
  return cut < 0 ? url : url.slice(0, cut);
}

function requestEvent(signIn: SignInReport): TimelineEvent | null {
  const request = signIn.authorization;
  if (!request) return null;
  const via = request.via === 'par' ? ' (pushed, RFC 9126)' : request.via === 'request-object' ? ' (request object)' : '';
  const details: string[] = [];
  if (request.scopes.length) details.push(`scopes ${request.scopes.join(' ')}`);
  if (request.resources.length) details.push(`resource ${request.resources.join(' ')}`);
  if (request.audiences.length) details.push(`audience ${request.audiences.join(' ')}`);
  if (request.upstreamProvider) details.push(`through the upstream provider ${request.upstreamProvider}`);
  const rights = readAuthorizationDetails(request.authorizationDetails)?.details ?? [];
  if (rights.length) details.push(`authorization details ${capList(rights.map(detailSummary)).join('; ')}`);
  const facts = [
    request.clientId ? `client ${request.clientId}` : null,
    request.responseType ? `response type ${request.responseType}` : null,
    request.codeChallengeMethod ? `PKCE ${request.codeChallengeMethod}` : 'no PKCE',
    request.frame && request.frame !== 'top' ? `in a ${request.frame}` : null,
  ].filter((fact): fact is string => fact !== null);
  details.push(facts.join(' · '));
  return {
    kind: 'authorization-request',
    at: request.at,
    offsetMs: null,
    summary: `Authorization request to ${request.endpoint}${via}`,
    details,
    error: null,
    findings: stepFindings(signIn.findings, (finding) => REQUEST_RULES.has(finding.rule)),
    exchangeId: null,
  };
}

function responseEvent(signIn: SignInReport): TimelineEvent | null {
  const response = signIn.response;
  if (!response) return null;
  const refused = response.outcome === 'error';
  const details = [`back at ${response.redirectUri}`];
  if (response.iss) details.push(`iss ${response.iss}`);
  return {
    kind: 'authorization-response',
    at: response.at,
    offsetMs: null,
    summary: refused ? 'Consent refused' : `Consent result: ${consentResult(signIn)}`,
    details,
    error: refused ? consentResult(signIn) : null,
    findings: stepFindings(signIn.findings, (finding) => RESPONSE_RULES.has(finding.rule) && finding.severity !== 'info'),
    exchangeId: response.tokensExchange,
  };
}

/** A broker's round trip to the upstream provider (Supabase through GitHub): its request and the answer on the broker's callback. */
function upstreamEvents(signIn: SignInReport): TimelineEvent[] {
  const upstream = signIn.upstream;
  if (!upstream) return [];
  const { authorization, response } = upstream;
  const step = (kind: TimelineEventKind, at: string, summary: string, details: string[], error: string | null): TimelineEvent => ({
    kind,
    at,
    offsetMs: null,
    summary,
    details,
    error,
    findings: [],
    exchangeId: null,
  });
  const events = [
    step(
      'authorization-request',
      authorization.at,
      `Upstream authorization request to ${authorization.endpoint}`,
      [
        `the project signs in there as client ${authorization.clientId ?? '(none named)'}${authorization.scopes.length ? `, scopes ${authorization.scopes.join(' ')}` : ''}`,
      ],
      null,
    ),
  ];
  if (response) {
    const refused = response.outcome === 'error';
    const result = refused
      ? `refused: ${response.error ?? 'error'}`
      : 'a code, redeemed by the project on its server (not observable here)';
    events.push(
      step(
        'authorization-response',
        response.at,
        `Upstream answer: ${result}`,
        [`back at ${response.redirectUri}`],
        refused ? result : null,
      ),
    );
  }
  return events;
}

/** At most this many authorization details said in one timeline line. */
const MAX_TIMELINE_DETAILS = 5;

function capList(lines: string[]): string[] {
  return lines.length > MAX_TIMELINE_DETAILS
    ? [...lines.slice(0, MAX_TIMELINE_DETAILS), `and ${lines.length - MAX_TIMELINE_DETAILS} more`]
    : lines;
}

/** A server's authorization details (RFC 9396) in the timeline: granted, and the rights dropped or added. */
function detailLines(server: ResourceServerReport): string[] {
  if (!server.authorizationDetails) return [];
  const words = authorizationDetailsWords(server.authorizationDetails);
  const lines = words.granted.length ? [`authorization details for ${server.id}: ${capList(words.granted).join('; ')}`] : [];
  for (const line of capList(words.dropped)) lines.push(`not granted: ${line}`);
  for (const line of capList(words.added)) lines.push(`not requested: ${line}`);
  return lines;
}

/** What an exchange issued, one line per token: `access token (jwt) for transfer.api.globus.org`; then its authorization details. */
function issuedLines(exchange: ExchangeReport): string[] {
  return exchange.resourceServers.flatMap((server) => [
    ...server.tokens.map(
      (token) => `${token.kind} token (${token.format}) for ${server.id}${server.scopes.length ? `: ${server.scopes.join(' ')}` : ''}`,
    ),
    ...detailLines(server),
  ]);
}

/** The error an exchange answered with, in words, or null. */
function exchangeError(exchange: ExchangeReport): string | null {
  const refused = exchange.findings.find((finding) => finding.rule === 'error-response' || finding.rule === 'unparseable-response');
  if (refused) return refused.message;
  if (exchange.status !== null && exchange.status >= 400) return `answered HTTP ${exchange.status}`;
  return null;
}

function exchangeEvent(exchange: ExchangeReport, signIn: SignInReport, isFirst: boolean, retried: boolean): TimelineEvent {
  const grant = exchange.request.grantType;
  const kind: TimelineEventKind = isCodeGrant(grant) ? 'code-exchange' : grant === 'refresh_token' ? 'refresh' : 'token-request';
  const name = kind === 'code-exchange' ? 'Code exchange' : kind === 'refresh' ? 'Refresh' : `Token request (${grant ?? 'grant unknown'})`;
  const issued = issuedLines(exchange);
  const flow = isFirst
    ? stepFindings(
        signIn.findings,
        (f) => !REQUEST_RULES.has(f.rule) && !RESPONSE_RULES.has(f.rule) && !METADATA_RULES.has(f.rule) && f.severity !== 'info',
      )
    : [];
  const own = stepFindings(exchange.findings, (f) => f.severity !== 'info' && f.rule !== 'token-sent-beyond-audience');
  return {
    kind,
    at: exchange.startedAt,
    offsetMs: null,
    summary: `${name} at ${withoutQuery(exchange.url)} → ${exchange.status ?? 'no status'}`,
    details: exchange.challenge
      ? [retried ? 'the server asked for a DPoP nonce; retried' : 'the server asked for a DPoP nonce; no retry was seen']
      : issued.length
        ? issued
        : ['no token issued'],
    error: exchange.challenge ? null : exchangeError(exchange),
    findings: [...flow, ...own].sort(bySeverity),
    exchangeId: exchange.id,
  };
}

/** Where the sign-in's tokens went after they were issued: one step per address each was sent to (its `sentTo`). */
function sentEvents(exchange: ExchangeReport): TimelineEvent[] {
  const beyond = exchange.findings.filter((finding) => finding.rule === 'token-sent-beyond-audience');
  return exchange.resourceServers.flatMap((server) =>
    server.tokens.flatMap((token) =>
      (token.sentTo ?? []).map((sent) => {
        const sentTo = `${sent.method} ${sent.url}`;
        const findings = beyond.filter(
          (finding) =>
            finding.evidence.fingerprint === token.fingerprint &&
            (finding.evidence.sentTo === sentTo || String(finding.evidence.sentTo).startsWith(`${sentTo}#`)),
        );
        return {
          kind: 'token-sent' as const,
          at: sent.at,
          offsetMs: null,
          summary: `${token.kind} token for ${server.id} sent as ${sent.scheme === 'dpop' ? 'DPoP' : 'Bearer'}: ${sentTo}`,
          details:
            sent.nonceChallenge === undefined
              ? []
              : [
                  sent.nonceChallenge === 'retried'
                    ? 'the resource server asked for a DPoP nonce (RFC 9449 s9); retried with it'
                    : 'the resource server asked for a DPoP nonce (RFC 9449 s9); no retry was seen',
                ],
          error: null,
          findings: findings.sort(bySeverity).map(({ rule, severity, message }) => ({ rule, severity, message })),
          exchangeId: exchange.id,
        };
      }),
    ),
  );
}

function timeOf(event: TimelineEvent): number {
  return event.at === null ? Number.NaN : Date.parse(event.at);
}

/**
 * The sign-in's steps in time order (steps without a readable time keep their place after the one
 * before them), each with its offset from the first timed step. `exchanges` may be the whole
 * report's: only the sign-in's own are read.
 */
export function signInTimeline(signIn: SignInReport, exchanges: readonly ExchangeReport[]): TimelineEvent[] {
  const own = signIn.exchanges
    .map((id) => exchanges.find((exchange) => exchange.id === id))
    .filter((exchange): exchange is ExchangeReport => exchange !== undefined);
  const events = [
    ...discoveryEvents(signIn),
    requestEvent(signIn),
    ...upstreamEvents(signIn),
    responseEvent(signIn),
    ...own.map((exchange, index) =>
      exchangeEvent(exchange, signIn, exchange === own.find((e) => !e.challenge), own[index + 1] !== undefined),
    ),
    ...own.flatMap(sentEvents),
  ].filter((event): event is TimelineEvent => event !== null);
  // Sort by time; an untimed step borrows the time of the step before it, so it stays where it was put.
  let last = Number.NEGATIVE_INFINITY;
  const keyed = events.map((event, index) => {
    const ms = timeOf(event);
    if (!Number.isNaN(ms)) last = ms;
    return { event, ms: Number.isNaN(ms) ? last : ms, index };
  });
  keyed.sort((a, b) => a.ms - b.ms || a.index - b.index);
  const start = Math.min(...keyed.map(({ event }) => timeOf(event)).filter((ms) => !Number.isNaN(ms)));
  return keyed.map(({ event }) => {
    const ms = timeOf(event);
    return { ...event, offsetMs: Number.isNaN(ms) || !Number.isFinite(start) ? null : ms - start };
  });
}

/** A step's time since the start: `+0.4 s`, `+12 s`, `+2 min 5 s`, `+1 h 3 min`; `time unknown` when there is none. */
export function formatOffset(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return 'time unknown';
  const sign = ms < 0 ? '−' : '+';
  const abs = Math.abs(ms);
  if (abs < 10_000) return `${sign}${(abs / 1000).toFixed(1)} s`;
  const s = Math.round(abs / 1000);
  if (s < 60) return `${sign}${s} s`;
  if (s < 3600) return `${sign}${Math.floor(s / 60)} min ${s % 60} s`;
  if (s < 86_400) return `${sign}${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  return `${sign}${Math.floor(s / 86_400)} d ${Math.floor((s % 86_400) / 3600)} h`;
}
