/**
 * `import { analyzeHar, analyzeExchanges, buildReport, readInput } from 'tokenscope'`: the core's
 * analysis as a library, the same functions the CLI and the extension run. Pure (no Node API, no
 * DOM): it runs in Node, in a browser, in a test runner.
 */
import { buildReport } from '../core/analysis/index.js';
import { isHar, readHar } from '../core/har.js';
import { InputError } from '../core/input.js';
import { signInStepsFromHar } from '../core/sign-in/har.js';
import type { AnalyzeOptions, CapturedExchange, Report } from '../core/types.js';

export { analyzeExchange, buildReport, summarize } from '../core/analysis/index.js';
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
 * The report for a HAR (its text, or the parsed JSON): every token exchange in it, and every
 * captured token later sent as `Authorization: Bearer` to a host beyond its server.
 * Throws InputError for text that is not JSON or JSON that is not a HAR.
 *
 *   const report = analyzeHar(readFileSync('sign-in.har', 'utf8'));
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
  return buildReport(exchanges, {
    signInSteps: signInStepsFromHar((parsed as { log: { entries: unknown[] } }).log.entries),
    ...options,
    bearerUses: [...bearerUses, ...(options.bearerUses ?? [])],
  });
}

/**
 * The report for exchanges you captured yourself (a proxy, a test's network log): `buildReport`
 * under the name the library documents.
 *
 *   const report = analyzeExchanges([{ url, method: 'POST', status: 200, startedAt, source: 'import',
 *     request: { body: 'grant_type=authorization_code&code=...' }, response: { body: tokenResponseText } }]);
 */
export function analyzeExchanges(exchanges: readonly CapturedExchange[], options: AnalyzeOptions = {}): Report {
  return buildReport(exchanges, options);
}
