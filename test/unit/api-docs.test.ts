/**
 * The library's reference page (docs/API.md) is made from the TSDoc of what `tokenscope` exports
 * (scripts/api-docs.ts): it is never stale, every export has a summary and a link an editor can follow, and
 * `analyzeExchange` takes its options as an object.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { API_PAGE, libraryExports, renderApiReference } from '../../scripts/api-docs.js';
import { analyzeExchange, analyzeExchanges } from '../../src/lib/index.js';
import { exchange, jwt, NOW_S } from './helpers.js';

const exported = libraryExports();

test('docs/API.md is what `npm run docs:api` makes of the current TSDoc', () => {
  assert.equal(readFileSync(API_PAGE, 'utf8'), renderApiReference(exported), 'docs/API.md is stale: run `npm run docs:api`');
});

test('the page names every export of the library, each under its kind', () => {
  const names = exported.map((item) => item.name);
  for (const name of [
    'analyzeHar',
    'analyzeExchanges',
    'analyzeExchange',
    'buildReport',
    'readInput',
    'Report',
    'Finding',
    'InputError',
    'RULES',
  ])
    assert.ok(names.includes(name), `${name} is documented`);
  const page = renderApiReference(exported);
  assert.match(page, /## Functions[\s\S]*### `analyzeHar`[\s\S]*## Classes[\s\S]*### `InputError`[\s\S]*## Types[\s\S]*### `Report`/);
});

test('every export has a summary and at least one @see link; RFC links name the section on rfc-editor.org', () => {
  const missing: string[] = [];
  for (const item of exported) {
    if (item.summary.length < 20) missing.push(`${item.name}: no summary`);
    if (item.see.length === 0) missing.push(`${item.name}: no @see`);
    for (const see of item.see) {
      const link = /^\[[^\]]+\]\((https:\/\/[^)\s]+)\)$/.exec(see);
      if (!link) missing.push(`${item.name}: @see ${see} is not a Markdown link`);
      else if (
        /rfc/i.test(link[1] as string) &&
        !/^https:\/\/www\.rfc-editor\.org\/rfc\/rfc\d+(#section-\d+(\.\d+)*)?$/.test(link[1] as string)
      )
        missing.push(`${item.name}: ${link[1]} is not an rfc-editor.org link`);
    }
  }
  assert.deepEqual(missing, []);
});

test('analyzeExchange takes its options as an object: `at` moves the time exp is checked at', () => {
  const token = jwt({ iss: 'https://as.example.test', aud: 'https://api.example.test', exp: NOW_S + 60, iat: NOW_S });
  const captured = exchange({ access_token: token, token_type: 'Bearer', expires_in: 60 });
  const rules = (options?: Parameters<typeof analyzeExchange>[1]) => analyzeExchange(captured, options).findings.map((f) => f.rule);
  assert.ok(!rules().includes('expired'), 'valid at its capture time');
  assert.ok(rules({ at: new Date((NOW_S + 3600) * 1000) }).includes('expired'), 'expired an hour later');
  assert.equal(analyzeExchange(captured, { showTokens: true }).resourceServers[0]?.tokens[0]?.value, token, 'showTokens keeps the value');
  assert.equal(analyzeExchange(captured).resourceServers[0]?.tokens[0]?.value, undefined, 'fingerprints only by default');
  // The same exchange's report as the whole report's when nothing across exchanges applies.
  assert.deepEqual(analyzeExchange(captured), analyzeExchanges([captured]).exchanges[0]);
});
