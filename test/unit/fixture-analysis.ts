/** A token-response fixture (test/fixtures/responses) through the whole analysis, as the CLI reads it. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildReport } from '../../src/core/analysis/index.js';
import { readInput } from '../../src/core/input.js';
import { fingerprint } from '../../src/core/sha256.js';
import type { BearerUse, ExchangeReport, Report } from '../../src/core/types.js';

const dir = join(import.meta.dirname, '../fixtures/responses');

/** The fixture's report, with tokens it issued later sent as Bearer to `sentTo` URLs (`field` a path in the response body). */
export function analyzeFixtureReport(name: string, sentTo: Array<[field: string, url: string]> = []): Report {
  const text = readFileSync(join(dir, `${name}.json`), 'utf8');
  const input = readInput(text, name, '2000-01-01T00:00:00Z');
  assert.equal(input.kind, 'exchange');
  const exchanges = input.kind === 'exchange' ? input.exchanges : [];
  const body = sentTo.length > 0 ? JSON.parse(JSON.parse(text).response.body) : {};
  const bearerUses: BearerUse[] = sentTo.map(([field, url]) => ({
    url,
    method: 'GET',
    fingerprint: fingerprint(field.split('.').reduce((value, key) => value[key], body)),
    at: exchanges[0]?.startedAt ?? '',
  }));
  return buildReport(exchanges, { bearerUses });
}

/** The fixture's one exchange, analyzed as `analyzeFixtureReport` does. */
export function analyzeFixture(name: string, sentTo: Array<[field: string, url: string]> = []): ExchangeReport {
  return analyzeFixtureReport(name, sentTo).exchanges[0] as ExchangeReport;
}
