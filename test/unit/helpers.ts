/**
 * The rule tables' runner and the report's findings; the building blocks (JWTs, exchanges, HAR entries) are in
 * test/support/builders.ts, which the scripts import too, and are re-exported here.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildReport } from '../../src/core/analysis/index.js';
import type { AnalyzeOptions, CapturedExchange, Finding, RuleId } from '../../src/core/types.js';

export { API, CAPTURED_AT, type EntryOptions, entry, exchange, har, jwt, NOW_S, VALID_CLAIMS } from '../support/builders.js';

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
