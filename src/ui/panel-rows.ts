/**
 * The DevTools panel's list, as the Network panel lays one out: one row per sign-in and per token
 * exchange of the tab, oldest first (new ones arrive at the bottom, nothing above them moves), each
 * with a key that stays the same as data arrives and the tab navigates, and the filter over them.
 * Pure functions: no DOM, no Preact.
 */
import { mappableSignIns } from '../core/analysis/token-map.js';
import { SEVERITIES } from '../core/severity.js';
import type { SignInReport } from '../core/sign-in/types.js';
import type { ExchangeReport, Finding, Report, Severity } from '../core/types.js';

export interface PanelRow {
  /** Stable across reloads of the view: `exchange:<id>` or `sign-in:<how it started>`. */
  key: string;
  kind: 'sign-in' | 'exchange';
  /** ISO-8601 time it started. */
  at: string;
  /** The authorization or token endpoint, without query. */
  endpoint: string;
  /** The grant (`authorization_code`, `refresh_token`...), or for a sign-in its response type. */
  grant: string;
  /** Resource servers it gave tokens for (or asked for). */
  servers: string[];
  /** Findings by severity, info included. */
  counts: Record<Severity, number>;
  signIn: SignInReport | null;
  exchange: ExchangeReport | null;
  /** What the filter matches. */
  hosts: string[];
  scopes: string[];
  rules: string[];
}

function withoutQuery(url: string): string {
  const cut = url.search(/[?#]/);
  return cut < 0 ? url : url.slice(0, cut);
}

function hostOf(value: string): string | null {
  try {
    return new URL(value).hostname.toLowerCase();
  } catch {
    return null;
  }
}

function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { high: 0, medium: 0, low: 0, info: 0 };
  for (const finding of findings) counts[finding.severity] += 1;
  return counts;
}

function hostsOf(endpoint: string, servers: readonly string[]): string[] {
  return [...new Set([endpoint, ...servers].flatMap((value) => [value, hostOf(value)]).filter((v): v is string => !!v))];
}

/** `signInFindings`: the findings of the sign-in this exchange is all of (it has no row of its own), counted with the exchange's. */
function exchangeRow(exchange: ExchangeReport, signInFindings: readonly Finding[] = []): PanelRow {
  const findings = [...exchange.findings, ...signInFindings];
  // The client's block (its ID tokens) is no resource server.
  const servers = exchange.resourceServers.filter((server) => server.resolvedBy !== 'client').map((server) => server.id);
  const endpoint = withoutQuery(exchange.url);
  return {
    key: `exchange:${exchange.id}`,
    kind: 'exchange',
    at: exchange.startedAt,
    endpoint,
    grant: exchange.request.grantType ?? (exchange.kind === 'introspection' ? 'introspection' : 'grant unknown'),
    servers,
    counts: countBySeverity(findings),
    signIn: null,
    exchange,
    hosts: hostsOf(endpoint, servers),
    scopes: [...new Set([...exchange.request.scopes, ...exchange.resourceServers.flatMap((server) => server.scopes)])],
    rules: [...new Set(findings.map((finding) => finding.rule))],
  };
}

/**
 * A sign-in's key from how it started, never from what came later (a refresh joining it, the
 * response arriving after the request), so a selected sign-in stays selected as it grows.
 */
export function signInKey(signIn: SignInReport): string {
  const request = signIn.authorization;
  if (request) return `sign-in:a:${request.at}:${request.redacted.state ?? request.redacted.code_challenge ?? request.endpoint}`;
  const response = signIn.response;
  if (response) return `sign-in:r:${response.at}:${response.redacted.code ?? response.redacted.state ?? response.redirectUri}`;
  return `sign-in:x:${signIn.exchanges[0] ?? signIn.id}`;
}

/** What an authorization request asked for, in a word: its response type, else (Supabase) the provider it goes through. */
function requestKind(request: NonNullable<SignInReport['authorization']>): string {
  if (request.responseType) return request.responseType;
  return request.upstreamProvider ? `through ${request.upstreamProvider}` : 'response type unknown';
}

function signInRow(signIn: SignInReport, byId: ReadonlyMap<string, ExchangeReport>): PanelRow {
  const own = signIn.exchanges.map((id) => byId.get(id)).filter((e): e is ExchangeReport => e !== undefined);
  const first = own[0];
  const request = signIn.authorization;
  const endpoint = request?.endpoint ?? signIn.response?.redirectUri ?? (first ? withoutQuery(first.url) : '');
  const servers = signIn.resourceServers.length
    ? signIn.resourceServers.map((server) => server.id)
    : [
        ...new Set(
          own.flatMap((exchange) => exchange.resourceServers.filter((server) => server.resolvedBy !== 'client').map((server) => server.id)),
        ),
      ];
  const findings = [...signIn.findings, ...own.flatMap((exchange) => exchange.findings)];
  const scopes = [
    ...signIn.requestedScopes.map((entry) => entry.scope),
    ...signIn.resourceServers.flatMap((server) => server.granted),
    ...own.flatMap((exchange) => exchange.resourceServers.flatMap((server) => server.scopes)),
  ];
  return {
    key: signInKey(signIn),
    kind: 'sign-in',
    at: request?.at ?? signIn.response?.at ?? first?.startedAt ?? '',
    endpoint,
    grant: request ? `sign-in (${requestKind(request)})` : `sign-in (${first?.request.grantType ?? 'token'})`,
    servers,
    counts: countBySeverity(findings),
    signIn,
    exchange: null,
    hosts: hostsOf(endpoint, [...servers, ...own.map((exchange) => withoutQuery(exchange.url))]),
    scopes: [...new Set(scopes)],
    rules: [...new Set(findings.map((finding) => finding.rule))],
  };
}

function timeOf(row: PanelRow): number {
  const ms = Date.parse(row.at);
  return Number.isNaN(ms) ? Number.POSITIVE_INFINITY : ms;
}

/**
 * The rows of a report, oldest first: each sign-in worth a map that is more than one exchange seen
 * alone (a front channel, or a code exchange with its refreshes), just before its first exchange,
 * and every exchange.
 */
export function panelRows(report: Report): PanelRow[] {
  const byId = new Map(report.exchanges.map((exchange) => [exchange.id, exchange]));
  const hasRow = (signIn: SignInReport) => signIn.authorization !== null || signIn.response !== null || signIn.exchanges.length > 1;
  const signIns = mappableSignIns(report).filter(hasRow);
  // A sign-in of one exchange seen alone has no row: its findings (a scope asked for a server that got no token) count on the exchange's.
  const solo = new Map<string, Finding[]>();
  for (const signIn of report.signIns ?? []) if (!hasRow(signIn) && signIn.exchanges[0]) solo.set(signIn.exchanges[0], signIn.findings);
  const rows = [
    ...signIns.map((signIn) => signInRow(signIn, byId)),
    ...report.exchanges.map((exchange) => exchangeRow(exchange, solo.get(exchange.id))),
  ];
  const order = (row: PanelRow) => (row.kind === 'sign-in' ? 0 : 1);
  return rows
    .map((row, index) => ({ row, index }))
    .sort((a, b) => timeOf(a.row) - timeOf(b.row) || order(a.row) - order(b.row) || a.index - b.index)
    .map(({ row }) => row);
}

const FIELDS = ['host', 'scope', 'rule', 'severity', 'sev'] as const;

function matchesTerm(row: PanelRow, term: string): boolean {
  const colon = term.indexOf(':');
  const field = colon > 0 ? term.slice(0, colon) : '';
  const known = (FIELDS as readonly string[]).includes(field);
  const value = known ? term.slice(colon + 1) : term;
  if (value === '') return true;
  const has = (values: readonly string[]) => values.some((candidate) => candidate.toLowerCase().includes(value));
  const severity = (SEVERITIES as readonly string[]).includes(value) && row.counts[value as Severity] > 0;
  if (field === 'host') return has(row.hosts);
  if (field === 'scope') return has(row.scopes);
  if (field === 'rule') return has(row.rules);
  if (field === 'severity' || field === 'sev') return severity;
  return severity || has(row.hosts) || has(row.scopes) || has(row.rules);
}

/**
 * The rows the filter keeps. Every word must match (case-insensitive): a part of a host, a scope or
 * a rule id, or a severity that the row has a finding of; `host:`, `scope:`, `rule:`, `severity:`
 * (or `sev:`) narrow a word to one of them. An empty filter keeps every row.
 */
export function filterRows(rows: readonly PanelRow[], query: string): PanelRow[] {
  const terms = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (terms.length === 0) return [...rows];
  return rows.filter((row) => terms.every((term) => matchesTerm(row, term)));
}
