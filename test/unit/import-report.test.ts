/** A report file imported into the popup or panel is checked against report.schema.json before any view renders it. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildReport } from '../../src/core/analysis/index.js';
import { InputError } from '../../src/core/input.js';
import type { Report } from '../../src/core/types.js';
import { analyzeImport } from '../../src/ui/import/analyze-import.js';
import { exchange, jwt, NOW_S } from './helpers.js';

const good = buildReport([exchange({ access_token: jwt({ aud: 'https://api.example.test', exp: NOW_S + 60 }) })]);

test('a Tokenscope report imports as it is', () => {
  assert.equal(analyzeImport({ kind: 'report', report: good }).report, good);
});

test('a crafted report is refused with the path at fault, before a view reads it', () => {
  const crafted = { ...good, exchanges: [{ ...good.exchanges[0], resourceServers: 'none' }] } as unknown as Report;
  assert.throws(
    () => analyzeImport({ kind: 'report', report: crafted }),
    (error: unknown) => error instanceof InputError && /\/exchanges\/0\/resourceServers should be array/.test(error.message),
  );
});
