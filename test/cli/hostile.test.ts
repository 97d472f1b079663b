/**
 * Hostile files given to the built CLI (dist/tokenscope.mjs): crafted reports, tokens nested thousands deep and
 * server text meant to become links. Each is the attack as a file; the CLI must answer clearly, never crash, and
 * never pass markup, links or terminal escapes through. Run `npm run build` first.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { jwt, NOW_S } from '../unit/helpers.js';

const cli = join(import.meta.dirname, '../../dist/tokenscope.mjs');
const dir = mkdtempSync(join(tmpdir(), 'tokenscope-hostile-'));

function run(args: string[]) {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** A real report from the CLI itself, to tamper with. */
function exportedReport(): Record<string, unknown> {
  const response = file('clean.json', JSON.stringify({ access_token: jwt({ aud: 'https://api.example.test', exp: NOW_S + 600 }) }));
  return JSON.parse(run(['analyze', response, '--format', 'json']).stdout);
}

describe('a crafted report given back to the CLI', () => {
  test('a report with an empty exchange: exit 2, one line naming where it is wrong', () => {
    const path = file('empty-exchange.json', JSON.stringify({ ...exportedReport(), exchanges: [{}] }));
    const result = run(['analyze', path]);
    assert.equal(result.status, 2);
    assert.equal(result.stdout, '');
    assert.match(
      result.stderr,
      /^tokenscope: .*empty-exchange\.json is not a Tokenscope report: \/exchanges\/0 lacks its required "\w+"\n$/,
    );
  });

  test('an unknown rule id or severity: exit 2, not a stack trace', () => {
    const report = exportedReport() as { exchanges: { findings: unknown[] }[] };
    report.exchanges[0]?.findings.push({
      rule: 'rm-rf',
      severity: 'high',
      message: 'x',
      resourceServer: null,
      tokenKind: null,
      evidence: {},
    });
    const result = run(['analyze', file('unknown-rule.json', JSON.stringify(report))]);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /is not a Tokenscope report: \/exchanges\/0\/findings\/\d+/);
    assert.doesNotMatch(result.stderr, /\n\s+at /);
  });

  test('markup and escape sequences in free-text fields stay text in Markdown and the terminal', () => {
    const report = exportedReport() as { exchanges: Record<string, unknown>[] };
    const exchange = report.exchanges[0] as Record<string, unknown>;
    exchange.provider = '<img src=x onerror=alert(1)>](javascript:alert(1))\u001b]8;;https://evil.example\u0007x\u001b[2J';
    const path = file('markup.json', JSON.stringify(report));
    const markdown = run(['analyze', path, '--format', 'markdown']);
    assert.equal(markdown.status, 0, markdown.stderr);
    const outsideCode = markdown.stdout.replace(/(`+)(?:(?!\1)[\s\S])*?\1/g, '');
    assert.doesNotMatch(outsideCode, /<img|\]\(javascript:|https:\/\//);
    const table = run(['analyze', path]);
    assert.equal(table.status, 0, table.stderr);
    assert.doesNotMatch(table.stdout, /\u001b|\u0007/);
  });
});

describe('server text meant to become a link', () => {
  test("an error_description's address is inline code in Markdown, never a link", () => {
    const path = file(
      'phish.json',
      JSON.stringify({
        error: 'invalid_grant',
        error_description: 'Session expired, see https://evil.example/login or www.evil.example now.',
      }),
    );
    const markdown = run(['analyze', path, '--format', 'markdown']).stdout;
    assert.match(markdown, /`https:\/\/evil\.example\/login`/);
    assert.match(markdown, /`www\.evil\.example`/);
    const outsideCode = markdown.replace(/(`+)(?:(?!\1)[\s\S])*?\1/g, '');
    assert.doesNotMatch(outsideCode, /evil\.example/);
  });
});

describe('a token whose claims nest 5,000 deep', () => {
  const claims = `{"aud":"https://api.example.test","exp":${NOW_S + 600},"n":${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}}`;
  const token = `${jwt({}).split('.')[0]}.${Buffer.from(claims).toString('base64url')}.c2ln`;
  const path = file('deep.json', JSON.stringify({ access_token: token, token_type: 'Bearer' }));

  for (const format of ['table', 'json', 'markdown', 'sarif']) {
    test(`--format ${format}: exit 0, the token's audience read, its claims cut with a note`, () => {
      const result = run(['analyze', path, '--format', format]);
      assert.equal(result.status, 0, result.stderr);
      assert.match(result.stdout, /api\.example\.test/);
    });
  }

  test('its JSON report reads back in', () => {
    const exported = file('deep-report.json', run(['analyze', path, '--format', 'json']).stdout);
    assert.match(run(['analyze', exported, '--format', 'json']).stdout, /nested too deep: not kept/);
    assert.equal(run(['analyze', exported]).status, 0);
  });
});
