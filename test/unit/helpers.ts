/** Building blocks for tests: JWTs with chosen claims and exchanges around them. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildReport } from '../../src/core/analysis/index.js';
import type { AnalyzeOptions, CapturedExchange, Finding, RuleId } from '../../src/core/types.js';

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A JWS-shaped token with the given header and claims; the signature is not a real one (Tokenscope never verifies). */
export function jwt(claims: Record<string, unknown>, header: Record<string, unknown> = { alg: 'RS256', typ: 'at+jwt', kid: 'k1' }): string {
  return `${b64url(header)}.${b64url(claims)}.c2lnbmF0dXJl`;
}

export const CAPTURED_AT = '2026-01-10T10:00:00.000Z';
export const NOW_S = Date.parse(CAPTURED_AT) / 1000;

export function exchange(
  response: unknown,
  request: Record<string, string | string[]> = {},
  fields: Partial<CapturedExchange> = {},
): CapturedExchange {
  const form = new URLSearchParams();
  for (const [key, value] of Object.entries(request)) for (const v of [value].flat()) form.append(key, v);
  return {
    url: 'https://as.example.test/oauth2/token',
    method: 'POST',
    status: 200,
    startedAt: CAPTURED_AT,
    source: 'har',
    request: { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() },
    response: { contentType: 'application/json', body: typeof response === 'string' ? response : JSON.stringify(response) },
    ...fields,
  };
}

export interface EntryOptions {
  method?: string;
  url: string;
  requestHeaders?: Array<{ name: string; value: string }>;
  postData?: Record<string, unknown>;
  status?: number;
  content?: Record<string, unknown>;
}

/** An entry shaped as Chromium's "Save all as HAR (with content)" writes it. */
export function entry(options: EntryOptions) {
  return {
    _initiator: { type: 'script' },
    _priority: 'High',
    _resourceType: 'fetch',
    cache: {},
    connection: '443',
    request: {
      method: options.method ?? 'GET',
      url: options.url,
      httpVersion: 'http/2.0',
      headers: options.requestHeaders ?? [],
      queryString: [],
      cookies: [],
      headersSize: -1,
      bodySize: 0,
      ...(options.postData ? { postData: options.postData } : {}),
    },
    response: {
      status: options.status ?? 200,
      statusText: '',
      httpVersion: 'http/2.0',
      headers: [{ name: 'content-type', value: 'application/json' }],
      cookies: [],
      content: { size: 100, mimeType: 'application/json', ...options.content },
      redirectURL: '',
      headersSize: -1,
      bodySize: -1,
      _transferSize: 300,
    },
    serverIPAddress: '10.0.0.1',
    startedDateTime: '2026-01-10T10:00:00.000Z',
    time: 120,
    timings: { blocked: 1, dns: -1, ssl: -1, connect: -1, send: 0, wait: 100, receive: 1 },
  };
}

export const har = (...entries: unknown[]) => ({
  log: { version: '1.2', creator: { name: 'WebInspector', version: '537.36' }, pages: [], entries },
});

/** The resource server most rule cases ask for, and claims that pass every validity rule at CAPTURED_AT. */
export const API = 'https://api.example.test';
export const VALID_CLAIMS = { iss: 'https://as.example.test/', iat: NOW_S - 10, exp: NOW_S + 3600, sub: 'user-1', client_id: 'app' };

/** Every finding of the report built from these exchanges (and of its sign-ins). */
export function findingsOf(exchanges: CapturedExchange[], options: AnalyzeOptions = {}): Finding[] {
  const report = buildReport(exchanges, options);
  return [...report.exchanges.flatMap((e) => e.findings), ...report.signIns.flatMap((s) => s.findings)];
}

/** One row of a rule family's table: the exchanges, the rule, how many findings of it, and what else must hold. */
export interface RuleCase {
  name: string;
  rule: RuleId;
  exchanges: CapturedExchange[];
  options?: AnalyzeOptions;
  count: number;
  /** Further checks on the findings of `rule` (already filtered, in report order). */
  check?: (found: Finding[]) => void;
}

/** A `describe` with one test per row: build the report, keep the row's rule, count it, run the row's checks. */
export function ruleTable(title: string, cases: readonly RuleCase[]): void {
  describe(title, () => {
    for (const row of cases) {
      test(`${row.rule}: ${row.name}`, () => {
        const found = findingsOf(row.exchanges, row.options).filter((f) => f.rule === row.rule);
        assert.equal(found.length, row.count, JSON.stringify(found.map((f) => f.message)));
        row.check?.(found);
      });
    }
  });
}
