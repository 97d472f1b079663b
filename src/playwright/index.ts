/**
 * `import { test, expect } from 'tokenscope/playwright'`: Playwright's `test` with an automatic
 * `tokenscope` fixture. Every token exchange and authorization step of the test's browser context
 * is recorded through Playwright's network events; after the test body, a finding at or over
 * `tokenscopeFailOn` (default 'high') fails the test, and a test that saw an exchange gets the
 * report attached (tokenscope.json, tokenscope.md).
 */
import { expect, test as base, type TestInfo } from '@playwright/test';
import { toMarkdown } from '../core/format/markdown.js';
import { type FailOn, findingsAtOrOver } from '../core/severity.js';
import type { CapturedExchange, Report } from '../core/types.js';
import { failureMessage } from './failure.js';
import { type AuthorizationStep, NetworkRecorder } from './recorder.js';

export type { FailOn } from '../core/severity.js';
export type { CapturedExchange, ExchangeReport, Finding, Report } from '../core/types.js';
export type { AuthorizationStep } from './recorder.js';

/** What a test gets as `tokenscope`. */
export interface Tokenscope {
  /** The report so far (the CLI's `--format json`), once token requests in flight have answered. */
  report(): Promise<Report>;
  /** The token exchanges so far, as the core reads them (`source: 'playwright'`). */
  exchanges(): Promise<CapturedExchange[]>;
  /** Authorization requests and the redirects answering them, so far. */
  authorizations(): Promise<AuthorizationStep[]>;
}

export interface TokenscopeOptions {
  /** A finding at or over this severity fails the test after its body; 'never' only attaches the report. Default 'high'. */
  tokenscopeFailOn: FailOn;
}

export interface TokenscopeFixtures {
  tokenscope: Tokenscope;
}

const FAIL_ON_VALUES: readonly FailOn[] = ['high', 'medium', 'low', 'never'];

async function attachReport(testInfo: TestInfo, report: Report): Promise<void> {
  await testInfo.attach('tokenscope.json', { body: `${JSON.stringify(report, null, 2)}\n`, contentType: 'application/json' });
  await testInfo.attach('tokenscope.md', { body: toMarkdown(report), contentType: 'text/markdown' });
}

export const test = base.extend<TokenscopeOptions & TokenscopeFixtures>({
  tokenscopeFailOn: ['high', { option: true }],
  tokenscope: [
    async ({ context, tokenscopeFailOn }, use, testInfo) => {
      if (!FAIL_ON_VALUES.includes(tokenscopeFailOn))
        throw new Error(`tokenscopeFailOn must be one of ${FAIL_ON_VALUES.join(', ')} (got ${JSON.stringify(tokenscopeFailOn)})`);
      const recorder = new NetworkRecorder(context);
      await use({
        report: () => recorder.report(),
        exchanges: async () => {
          await recorder.settle();
          return recorder.captured().exchanges;
        },
        authorizations: async () => {
          await recorder.settle();
          return recorder.authorizations();
        },
      });
      const report = await recorder.report();
      recorder.stop();
      if (report.exchanges.length > 0) await attachReport(testInfo, report);
      const failing = findingsAtOrOver([...report.exchanges, ...(report.signIns ?? [])], tokenscopeFailOn);
      if (failing.length > 0) throw new Error(failureMessage(failing, tokenscopeFailOn));
    },
    { auto: true },
  ],
});

export { expect };
