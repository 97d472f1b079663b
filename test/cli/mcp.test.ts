/**
 * The built CLI on HARs of a real MCP sign-in (test/fixtures/har/record-mcp.ts: the MCP SDK's client `auth()`, an MCP
 * server made with the SDK, oidc-provider): the discovery steps in the JSON report, the MCP server named by its
 * metadata, and the client that sends no resource failing the build at medium. Run `npm run build` first.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Report } from '../../src/core/types.js';

const root = join(import.meta.dirname, '../..');
const cli = join(root, 'dist/tokenscope.mjs');
const fixture = (name: string) => join(root, 'test/fixtures/har', name);

function run(args: string[]) {
  const result = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('a clean MCP sign-in: 401, metadata, registration as steps, the server named by its metadata, nothing at or over low', () => {
  const { status, stdout } = run(['analyze', fixture('mcp-sign-in.har'), '--format', 'json', '--fail-on', 'low']);
  assert.equal(status, 0, stdout);
  const report = JSON.parse(stdout) as Report;
  assert.equal(report.signIns.length, 1);
  const discovery = report.signIns[0]?.discovery;
  assert.deepEqual(
    discovery?.steps.map((step) => step.kind),
    ['challenge', 'resource-metadata', 'server-metadata', 'registration'],
  );
  assert.equal(discovery?.mcp, true);
  assert.equal(discovery?.client?.clientName, 'Tokenscope MCP test client');
  const server = report.exchanges.flatMap((exchange) => exchange.resourceServers).find((s) => s.id === discovery?.resource);
  assert.equal(server?.confidence, 'metadata');
  const table = run(['analyze', fixture('mcp-sign-in.har'), '--fail-on', 'never']).stdout;
  assert.match(table, /discovery: 401, resource-metadata, server-metadata, registration; MCP server http:\/\/127\.0\.0\.1:\d+\/mcp/);
});

test('an MCP client that sends no resource: mcp-resource-missing fails the build at --fail-on medium, not at high', () => {
  const failing = run(['analyze', fixture('mcp-no-resource.har'), '--format', 'json', '--fail-on', 'medium']);
  assert.equal(failing.status, 1);
  const report = JSON.parse(failing.stdout) as Report;
  const findings = report.signIns.flatMap((signIn) => signIn.findings);
  assert.deepEqual(
    findings.map((finding) => [finding.rule, finding.severity]),
    [['mcp-resource-missing', 'medium']],
  );
  assert.deepEqual(findings[0]?.evidence.missingAt, ['authorize', 'token']);
  assert.equal(run(['analyze', fixture('mcp-no-resource.har'), '--fail-on', 'high']).status, 0);
});
