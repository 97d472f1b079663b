/**
 * `import { analyzeHar, analyzeExchanges, buildReport, readInput } from 'tokenscope'`: the core's
 * analysis as a library, the same functions the CLI and the extension run. Pure (no Node API, no
 * DOM): it runs in Node, in a browser, in a test runner.
 */
import { analyzeExchange as analyzeOneExchange, buildReport as buildReportOf } from '../core/analysis/index.js';
import { isHar, readHar } from '../core/har.js';
import { InputError } from '../core/input.js';
import { signInStepsFromHar } from '../core/sign-in/har.js';
import type { AnalyzeOptions, CapturedExchange, ExchangeReport, Report } from '../core/types.js';

export { summarize } from '../core/analysis/index.js';
export { toMarkdown } from '../core/format/markdown.js';
export { toSarif } from '../core/format/sarif.js';
export { exchangesFromHar, HarError, isHar, readHar } from '../core/har.js';
export { type Input, InputError, isReport, readInput } from '../core/input.js';
export { RULES, type RuleInfo } from '../core/rules/catalogue.js';
export { FAIL_ON, type FailOn, findingsAtOrOver, SEVERITIES } from '../core/severity.js';
export type {
  AnalyzeOptions,
  BearerUse,
  CapturedExchange,
  CaptureSource,
  ExchangeReport,
  Finding,
  Report,
  ReportSummary,
  ResolvedBy,
  ResourceServerReport,
  RuleId,
  Severity,
  TokenFormat,
  TokenKind,
  TokenReport,
} from '../core/types.js';
export { VERSION } from '../core/version.js';

/**
 * The report for a HAR (its text, or the parsed JSON): every token exchange in it, the sign-ins they belong to, and
 * every captured token later sent as `Authorization: Bearer` to a host beyond its server.
 * Throws InputError for text that is not JSON or JSON that is not a HAR.
 *
 * @example
 * ```js
 * const report = analyzeHar(readFileSync('sign-in.har', 'utf8'));
 * ```
 * @see [HAR 1.2: the HTTP Archive format](https://w3c.github.io/web-performance/specs/HAR/Overview.html)
 * @see [RFC 9700 s2.3: access token privilege restriction](https://www.rfc-editor.org/rfc/rfc9700#section-2.3)
 * @see [RFC 6750 s2.1: the Authorization request header field](https://www.rfc-editor.org/rfc/rfc6750#section-2.1)
 */
export function analyzeHar(har: unknown, options: AnalyzeOptions = {}): Report {
  let parsed = har;
  if (typeof har === 'string') {
    try {
      parsed = JSON.parse(har.replace(/^\uFEFF/, ''));
    } catch (error) {
      throw new InputError(`the HAR is not valid JSON (${(error as Error).message})`);
    }
  }
  if (!isHar(parsed)) throw new InputError('not a HAR: no log.entries array');
  const { exchanges, bearerUses } = readHar(parsed);
  // The sign-ins' front channel too, as the CLI reads it from the same HAR.
  return buildReportOf(exchanges, {
    signInSteps: signInStepsFromHar((parsed as { log: { entries: unknown[] } }).log.entries),
    ...options,
    bearerUses: [...bearerUses, ...(options.bearerUses ?? [])],
  });
}

/**
 * The report for exchanges you captured yourself (a proxy, a test's network log): the rules on each exchange, then
 * the rules across them (a token shared by two servers, a token sent beyond its audience, introspection answers
 * read against the tokens issued), and the sign-ins the exchanges belong to.
 *
 * @example
 * ```js
 * const report = buildReport([{ url: 'https://idp.example/token', method: 'POST', status: 200,
 *   startedAt: new Date().toISOString(), source: 'import',
 *   request: { body: 'grant_type=authorization_code&code=...' }, response: { body: tokenResponseText } }]);
 * ```
 * @see [RFC 6749 s5.1: a successful token response](https://www.rfc-editor.org/rfc/rfc6749#section-5.1)
 * @see [RFC 8707 s2: the resource parameter](https://www.rfc-editor.org/rfc/rfc8707#section-2)
 * @see [RFC 9700 s2.3: access token privilege restriction](https://www.rfc-editor.org/rfc/rfc9700#section-2.3)
 */
export function buildReport(exchanges: readonly CapturedExchange[], options: AnalyzeOptions = {}): Report {
  return buildReportOf(exchanges, options);
}

/**
 * `buildReport` under the name the library documents beside `analyzeHar`.
 *
 * @see [RFC 6749 s5.1: a successful token response](https://www.rfc-editor.org/rfc/rfc6749#section-5.1)
 * @see [RFC 9700 s2.3: access token privilege restriction](https://www.rfc-editor.org/rfc/rfc9700#section-2.3)
 */
export function analyzeExchanges(exchanges: readonly CapturedExchange[], options: AnalyzeOptions = {}): Report {
  return buildReportOf(exchanges, options);
}

/**
 * `analyzeExchange`'s options: whether token values are kept, and the time validity is checked at.
 *
 * @see [RFC 7519 s4.1.4: the exp claim](https://www.rfc-editor.org/rfc/rfc7519#section-4.1.4)
 * @see [RFC 7519 s4.1.5: the nbf claim](https://www.rfc-editor.org/rfc/rfc7519#section-4.1.5)
 */
export type ExchangeOptions = Pick<AnalyzeOptions, 'showTokens' | 'at'>;

/**
 * One exchange analyzed on its own: its token response read, its tokens filed under the resource servers they were
 * issued for, and the rules on that exchange alone. Prefer `buildReport`, which also runs the rules across
 * exchanges (a token shared by two servers, a token sent beyond its audience, introspection).
 *
 * Its second parameter is an options object; the two internal parameters it had before the first release are gone.
 *
 * @example
 * ```js
 * const exchangeReport = analyzeExchange(exchange, { at: new Date('2025-01-01T00:00:00Z') });
 * ```
 * @see [RFC 6749 s5.1: a successful token response](https://www.rfc-editor.org/rfc/rfc6749#section-5.1)
 * @see [RFC 9068 s4: validating a JWT access token](https://www.rfc-editor.org/rfc/rfc9068#section-4)
 * @see [RFC 8707 s2: the resource parameter](https://www.rfc-editor.org/rfc/rfc8707#section-2)
 */
export function analyzeExchange(exchange: CapturedExchange, options: ExchangeOptions = {}): ExchangeReport {
  return analyzeOneExchange(exchange, { showTokens: options.showTokens, at: options.at });
}
