/** The built CLI (dist/tokenscope.mjs) run as a process: output and exit codes. Run `npm run build` first. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { entry, har, jwt, NOW_S } from '../unit/helpers.js';

const root = join(import.meta.dirname, '../..');
const cli = join(root, 'dist/tokenscope.mjs');
const dir = mkdtempSync(join(tmpdir(), 'tokenscope-cli-'));

function run(args: string[], options: { input?: string; env?: Record<string, string> } = {}) {
  const result = spawnSync(process.execPath, [cli, ...args], {
    cwd: dir,
    input: options.input,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', ...options.env },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const API = 'https://api.example.test';
const tokenPost = {
  mimeType: 'application/x-www-form-urlencoded',
  text: `grant_type=authorization_code&code=abc&client_id=app&resource=${encodeURIComponent(API)}`,
};
const wideToken = jwt({
  iss: 'https://as.example.test/',
  aud: [API, 'https://billing.example.test'],
  exp: NOW_S + 3600,
  iat: NOW_S,
  sub: 'u1',
  client_id: 'app',
});
const narrowToken = jwt({ iss: 'https://as.example.test/', aud: API, exp: NOW_S + 3600, iat: NOW_S, sub: 'u1', client_id: 'app' });
function writeHar(name: string, token: string): string {
  const file = join(dir, name);
  const body = JSON.stringify({ access_token: token, token_type: 'Bearer', expires_in: 3600, refresh_token: 'rt-opaque-value-123' });
  writeFileSync(
    file,
    JSON.stringify(
      har(entry({ method: 'POST', url: 'https://as.example.test/oauth2/token', postData: tokenPost, content: { text: body } })),
    ),
  );
  return file;
}

before(() => {
  assert.ok(existsSync(cli), 'dist/tokenscope.mjs exists: run npm run build first');
  writeHar('wide.har', wideToken);
  writeHar('narrow.har', narrowToken);
});

describe('tokenscope analyze', () => {
  test('exit 1 and the finding in the table when an audience goes beyond its server', () => {
    const result = run(['analyze', 'wide.har']);
    assert.equal(result.status, 1, result.stderr);
    assert.match(
      result.stdout,
      /HIGH\s+audience-beyond-server\s+The access token for https:\/\/api\.example\.test is also accepted by https:\/\/billing\.example\.test/,
    );
    assert.match(result.stdout, /https:\/\/api\.example\.test\s+resolved by request/);
    assert.doesNotMatch(result.stdout, /\u001b\[/, 'no colour when stdout is not a terminal');
    assert.ok(!result.stdout.includes(wideToken) && !result.stdout.includes('rt-opaque-value-123'), 'fingerprints only');
  });
  test('exit 0 on a clean capture; --fail-on never and --fail-on low move the threshold', () => {
    assert.equal(run(['analyze', 'narrow.har']).status, 0);
    assert.equal(run(['analyze', 'wide.har', '--fail-on', 'never']).status, 0);
    const opaque = join(dir, 'opaque.json');
    writeFileSync(opaque, JSON.stringify({ access_token: 'opaque-1', token_type: 'Bearer', scope: 'read' }));
    assert.equal(run(['analyze', opaque, '--fail-on', 'low']).status, 0, 'info findings never fail a build');
    const cut = join(dir, 'cut.json');
    writeFileSync(cut, '{"access_token": "x", "sc');
    assert.equal(run(['analyze', cut, '--fail-on', 'low']).status, 1, 'unparseable-response is low');
    assert.equal(run(['analyze', cut]).status, 0);
  });
  test('--format json is the report format', () => {
    const result = run(['analyze', 'wide.har', '--format', 'json']);
    const report = JSON.parse(result.stdout);
    assert.equal(report.tool, 'tokenscope');
    assert.deepEqual(Object.keys(report.summary), ['exchanges', 'resourceServers', 'tokens', 'findings']);
    const [exchange] = report.exchanges;
    for (const key of ['url', 'method', 'status', 'startedAt', 'source', 'request', 'resourceServers', 'findings'])
      assert.ok(key in exchange, key);
    assert.deepEqual(Object.keys(exchange.request).slice(0, 4), ['grantType', 'scopes', 'resources', 'clientId']);
    const [server] = exchange.resourceServers;
    assert.equal(server.id, API);
    assert.equal(server.resolvedBy, 'request');
    for (const token of server.tokens) {
      assert.match(token.fingerprint, /^sha256:[0-9a-f]{64}$/);
      assert.ok(['access', 'refresh', 'id'].includes(token.kind) && ['jwt', 'opaque'].includes(token.format));
      assert.equal(token.value, undefined);
    }
    assert.equal(report.summary.findings.high, 1);
    assert.deepEqual(Object.keys(exchange.findings[0]).slice(0, 6), [
      'rule',
      'severity',
      'resourceServer',
      'tokenKind',
      'message',
      'evidence',
    ]);
  });
  test('--show-tokens prints token values', () => {
    const result = run(['analyze', 'wide.har', '--format', 'json', '--show-tokens']);
    assert.equal(JSON.parse(result.stdout).exchanges[0].resourceServers[0].tokens[0].value, wideToken);
  });
  test('--format sarif is SARIF 2.1.0 with rules and results pointing at the file', () => {
    const sarif = JSON.parse(run(['analyze', 'wide.har', '--format', 'sarif']).stdout);
    assert.equal(sarif.version, '2.1.0');
    const [runResult] = sarif.runs;
    assert.equal(runResult.tool.driver.name, 'tokenscope');
    const result = runResult.results.find((r: { ruleId: string }) => r.ruleId === 'audience-beyond-server');
    assert.equal(result.level, 'error');
    assert.equal(result.locations[0].physicalLocation.artifactLocation.uri, 'wide.har');
    assert.equal(runResult.tool.driver.rules[result.ruleIndex].id, 'audience-beyond-server');
    assert.equal(runResult.tool.driver.rules[result.ruleIndex].properties['security-severity'], '8.0');
  });
  test('--format markdown renders values as text', () => {
    const hostile = join(dir, 'hostile.json');
    writeFileSync(
      hostile,
      JSON.stringify({ access_token: jwt({ aud: ['<img src=x onerror=alert(1)>', 'b|c'], exp: NOW_S + 60 }), token_type: 'Bearer' }),
    );
    const markdown = run(['analyze', hostile, '--format', 'markdown', '--at', new Date(NOW_S * 1000).toISOString()]).stdout;
    assert.match(markdown, /^# Tokenscope report/);
    // Values sit in code spans (rendered as literal text) or are entity-escaped; no raw markup outside code spans.
    const outsideCode = markdown.replace(/(`+)(?:(?!\1)[\s\S])*?\1/g, '');
    assert.doesNotMatch(outsideCode.replace(/<br>/g, ''), /</);
    assert.match(markdown, /&lt;img src=x onerror=alert\(1\)&gt;/, 'the finding message escapes the audience');
    assert.match(markdown, /b\\\|c/, 'a pipe cannot break the table');
  });
  test('an exported report reads back in, and several files combine', () => {
    const exported = join(dir, 'report.json');
    writeFileSync(exported, run(['analyze', 'wide.har', '--format', 'json']).stdout);
    const again = run(['analyze', exported, 'narrow.har', '--format', 'json']);
    assert.equal(again.status, 1);
    assert.equal(JSON.parse(again.stdout).summary.exchanges, 2);
  });
  test('stdin, form-encoded raw responses, and --output', () => {
    const out = join(dir, 'out.json');
    const result = run(['analyze', '-', '--format', 'json', '--output', out], {
      input: 'access_token=gho_16C7e42F292c6912E7710c838347Ae178B4a&scope=repo%2Cgist&token_type=bearer',
    });
    assert.equal(result.status, 0);
    assert.equal(result.stdout, '');
    const report = JSON.parse(readFileSync(out, 'utf8'));
    assert.deepEqual(report.exchanges[0].resourceServers[0].scopes, ['repo', 'gist']);
  });
  test('terminal escapes in claims are not passed to the terminal', () => {
    const file = join(dir, 'escape.json');
    writeFileSync(
      file,
      JSON.stringify({ access_token: jwt({ aud: ['\u001b]0;pwned\u0007', '\u001b[2J'], exp: NOW_S + 60 }), token_type: 'Bearer' }),
    );
    const result = run(['analyze', file]);
    assert.doesNotMatch(result.stdout, /\u001b|\u0007/);
  });
});

describe('usage errors and unreadable input: exit 2, one line', () => {
  const cases: Array<[string, string[], RegExp]> = [
    ['no file', ['analyze'], /no FILE given/],
    ['missing file', ['analyze', 'nope.har'], /cannot read nope\.har: no such file/],
    ['bad format', ['analyze', 'wide.har', '--format', 'xml'], /--format must be one of table, json, markdown, sarif/],
    ['bad threshold', ['analyze', 'wide.har', '--fail-on', 'critical'], /--fail-on must be one of high, medium, low, never/],
    ['unknown option', ['analyze', 'wide.har', '--colour'], /Unknown option '--colour'/],
    ['unknown command', ['scan', 'wide.har'], /unknown command "scan"/],
    ['bad --at', ['analyze', 'wide.har', '--at', 'yesterday'], /--at must be an ISO-8601 time/],
    ['a directory', ['analyze', '.'], /\. is a directory/],
  ];
  for (const [name, args, message] of cases) {
    test(name, () => {
      const result = run(args);
      assert.equal(result.status, 2);
      assert.match(result.stderr, message);
      assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
      assert.match(result.stderr, /^tokenscope: /);
    });
  }
  test('a HAR cut off before its entries: not valid JSON, exit 2', () => {
    writeFileSync(join(dir, 'cut-early.har'), '{"log": {"version": "1.2", "creator": {"name": "x"');
    const result = run(['analyze', 'cut-early.har']);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /cut-early\.har is not valid JSON .* is the HAR file complete\?/);
  });
  test('--help and --version exit 0', () => {
    assert.match(run(['--help']).stdout, /Usage: tokenscope analyze FILE/);
    assert.equal(run(['--version']).stdout.trim(), JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version);
    assert.match(run(['rules']).stdout, /audience-beyond-server\s+high/);
  });
});
