/**
 * The built CLI (dist/tokenscope.mjs) on test/fixtures/har/chromium-rar-sign-in.har, a real Chromium session against a
 * real oidc-provider (recorded by test/fixtures/har/record-rar.ts): a sign-in asking for RFC 9396 authorization details,
 * granted without the `write` action; the ID token sent as a Bearer token to an API on another origin; one refresh
 * token redeemed twice, the second refused. Run `npm run build` first.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';

const root = join(import.meta.dirname, '../..');
const cli = join(root, 'dist/tokenscope.mjs');
const fixture = join(root, 'test/fixtures/har/chromium-rar-sign-in.har');

function run(args: string[]) {
  const result = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

before(() => assert.ok(existsSync(cli), 'dist/tokenscope.mjs exists: run npm run build first'));

test('the table shows the details granted and the dropped right in words, and the three findings', () => {
  const result = run(['analyze', fixture]);
  assert.equal(result.status, 0, result.stderr);
  assert.match(
    result.stdout,
    /details {2}granted as the token response lists them\n {9}payment_initiation \[initiate, status\] at https:\/\/api\.example\.test\n {9}- payment_initiation: action "write" requested, not granted/,
  );
  assert.match(
    result.stdout,
    /INFO {4}authorization-details-dropped {2}https:\/\/api\.example\.test was granted fewer rights than requested/,
  );
  assert.match(
    result.stdout,
    /MEDIUM {2}id-token-as-access-token {2}The ID token issued to tokenscope-spa was sent as a Bearer token to GET http:\/\/localhost:\d+\/api\/data/,
  );
  assert.match(result.stdout, /MEDIUM {2}refresh-token-reused {2}.*refused it \(invalid_grant\): it detected the reuse/);
});

test('--fail-on medium fails the build on the ID token and the reused refresh token; JSON carries the details', () => {
  assert.equal(run(['analyze', fixture, '--fail-on', 'medium']).status, 1);
  const json = run(['analyze', fixture, '--format', 'json']);
  const report = JSON.parse(json.stdout);
  const [server] = report.exchanges[0].resourceServers;
  assert.deepEqual(server.authorizationDetails, {
    requested: [{ type: 'payment_initiation', actions: ['initiate', 'status', 'write'], locations: ['https://api.example.test'] }],
    granted: [{ type: 'payment_initiation', actions: ['initiate', 'status'], locations: ['https://api.example.test'] }],
    grantedFrom: 'response',
  });
  const rules = report.exchanges.flatMap((exchange: { findings: { rule: string }[] }) => exchange.findings.map((f) => f.rule)).sort();
  assert.deepEqual(rules, ['authorization-details-dropped', 'error-response', 'id-token-as-access-token', 'refresh-token-reused']);
  assert.ok(!/eyJ[\w-]+\.eyJ/.test(json.stdout), 'no JWT value in the report');
});

test('Markdown lists the details under the resource servers, as inline code', () => {
  const result = run(['analyze', fixture, '--format', 'markdown']);
  assert.match(
    result.stdout,
    /Authorization details \(RFC 9396\) of `https:\/\/api\.example\.test`, granted as the token response lists them:\n\n- `payment_initiation \[initiate, status\] at https:\/\/api\.example\.test`\n- `payment_initiation: action "write" requested, not granted`/,
  );
});
