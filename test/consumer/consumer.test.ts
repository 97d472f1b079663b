/**
 * Tokenscope as a team would use it: `npm pack` of this repository installed into a new project
 * (made here, in a temp folder) with its own playwright.config (Debian's Chromium), running
 * tokenscope/playwright against the real oidc-provider app of the e2e tests, and the library from a
 * plain Node script whose types tsc checks.
 *
 * The install reaches no network but the npm registry: `--prefer-offline` takes every package from
 * npm's cache (filled by this repository's own `npm ci`), and asks the registry only for one missing.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { chromiumPath } from '../../scripts/lib/chromium.mjs';
import type { Report } from '../../src/core/types.js';
import { type OidcSetup, startOidc } from '../support/servers/oidc.js';

const root = join(import.meta.dirname, '../..');
const work = mkdtempSync(join(tmpdir(), 'tokenscope-consumer-'));
const project = join(work, 'project');

interface Run {
  status: number | null;
  output: string;
}

/** Runs a command without blocking this process (the OIDC servers answer from it meanwhile). */
function run(command: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, FORCE_COLOR: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, output }));
  });
}

const versionOf = (name: string) => JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')).version as string;

let tarball = '';
let installed: Run | undefined;

before(async () => {
  // `npm pack` runs `prepare` (the build), as publishing would.
  const pack = await run('npm', ['pack', '--pack-destination', work, '--silent'], root);
  assert.equal(pack.status, 0, pack.output);
  const [name] = readdirSync(work).filter((file) => file.endsWith('.tgz'));
  assert.ok(name, `npm pack wrote no tarball:\n${pack.output}`);
  tarball = join(work, name);

  cpSync(join(import.meta.dirname, 'project'), project, { recursive: true });
  const manifest = {
    name: 'tokenscope-consumer',
    private: true,
    type: 'module',
    devDependencies: {
      tokenscope: `file:${tarball}`,
      '@playwright/test': versionOf('@playwright/test'),
      typescript: versionOf('typescript'),
      '@types/node': versionOf('@types/node'),
    },
  };
  writeFileSync(join(project, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  installed = await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts'], project);
  assert.equal(installed.status, 0, installed.output);
});

after(() => {
  if (!process.env.TOKENSCOPE_KEEP_CONSUMER) rmSync(work, { recursive: true, force: true });
});

test('the installed package holds the library, the fixture, their types and the report schema', () => {
  const installedDir = join(project, 'node_modules/tokenscope');
  const manifest = JSON.parse(readFileSync(join(installedDir, 'package.json'), 'utf8'));
  assert.deepEqual(Object.keys(manifest.exports), ['.', './playwright', './report.schema.json', './package.json']);
  const files = [
    'dist/tokenscope.mjs',
    'dist/lib/index.mjs',
    'dist/playwright/index.mjs',
    'dist/types/lib/index.d.ts',
    'dist/types/playwright/index.d.ts',
    'report.schema.json',
  ];
  for (const file of files) assert.ok(existsSync(join(installedDir, file)), `${file} is in the package`);
  assert.equal(manifest.bin.tokenscope, 'dist/tokenscope.mjs');
});

test('the library from a plain Node script: tsc checks its types, and it finds what the CLI finds', async () => {
  const tsc = await run(process.execPath, [join(project, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], project);
  assert.equal(tsc.status, 0, `tsc in the consumer project:\n${tsc.output}`);

  const har = join(root, 'test/fixtures/har/chromium-sign-in.har');
  const script = await run(process.execPath, ['analyze.mjs', har], project);
  assert.equal(script.status, 0, script.output);
  const result = JSON.parse(script.output);
  const cli = await run(
    process.execPath,
    [join(project, 'node_modules/tokenscope/dist/tokenscope.mjs'), 'analyze', har, '--format', 'json'],
    project,
  );
  const cliReport = JSON.parse(cli.output);
  assert.deepEqual(result.summary, cliReport.summary);
  assert.ok(result.summary.findings.high >= 1, 'the sign-in HAR has a high finding');
  const cliFindings = (cliReport as Report).exchanges.flatMap((exchange) =>
    exchange.findings.map((finding) => `${finding.severity} ${finding.rule} ${finding.resourceServer ?? '-'}`),
  );
  assert.deepEqual(result.findings, cliFindings);
  assert.equal(result.sameFromReadInput, true);
  assert.ok(result.oneExchangeServers.length > 0, 'analyzeExchange filed the first exchange under its resource servers');
  assert.equal(result.oneExchangeServers, result.firstExchangeServers);
  assert.equal(result.schemaTitle, 'Tokenscope report');
  assert.equal(result.sarifVersion, '2.1.0');
});

interface Attachment {
  name: string;
  contentType: string;
  path?: string;
  body?: string;
}
interface SpecResult {
  status: string;
  errors: Array<{ message?: string }>;
  attachments: Attachment[];
}

/** Every test's last result in Playwright's JSON report, by title. */
function resultsByTitle(file: string): Map<string, SpecResult> {
  const byTitle = new Map<string, SpecResult>();
  const walk = (suite: { specs?: unknown[]; suites?: unknown[] }) => {
    for (const spec of (suite.specs ?? []) as Array<{ title: string; tests: Array<{ results: SpecResult[] }> }>) {
      const results = spec.tests[0]?.results ?? [];
      const last = results[results.length - 1];
      if (last) byTitle.set(spec.title, last);
    }
    for (const child of suite.suites ?? []) walk(child as typeof suite);
  };
  walk(JSON.parse(readFileSync(file, 'utf8')));
  return byTitle;
}

function attachedReport(result: SpecResult): unknown {
  const attachment = result.attachments.find((a) => a.name === 'tokenscope.json');
  assert.ok(attachment, `tokenscope.json attached (got ${result.attachments.map((a) => a.name).join(', ')})`);
  assert.ok(result.attachments.some((a) => a.name === 'tokenscope.md' && a.contentType === 'text/markdown'));
  const text = attachment.path ? readFileSync(attachment.path, 'utf8') : Buffer.from(attachment.body ?? '', 'base64').toString('utf8');
  return JSON.parse(text);
}

test('tokenscope/playwright on the real OIDC app: clean passes, an extra audience fails with the report attached, never only attaches', async () => {
  const servers: OidcSetup[] = [];
  try {
    servers.push(await startOidc(), await startOidc({ extraAudience: 'https://other.example.test' }));
    const [clean, extra] = servers as [OidcSetup, OidcSetup];
    const playwright = await run(process.execPath, [join(project, 'node_modules/@playwright/test/cli.js'), 'test'], project, {
      CHROMIUM_PATH: chromiumPath(),
      OIDC_CLEAN_URL: clean.appUrl,
      OIDC_EXTRA_AUDIENCE_URL: extra.appUrl,
    });
    if (process.env.TOKENSCOPE_SHOW_CONSUMER) console.log(playwright.output);
    assert.equal(playwright.status, 1, `one test fails on purpose:\n${playwright.output}`);
    const results = resultsByTitle(join(project, 'results.json'));
    const validate = addFormats(new Ajv2020({ strict: true })).compile(
      JSON.parse(readFileSync(join(project, 'node_modules/tokenscope/report.schema.json'), 'utf8')),
    );

    const passed = results.get('clean sign-in');
    assert.equal(passed?.status, 'passed', JSON.stringify(passed?.errors));
    assert.ok(validate(attachedReport(passed)), JSON.stringify(validate.errors));

    const failed = results.get('sign-in with an extra audience');
    assert.equal(failed?.status, 'failed');
    const message = failed.errors.map((error) => error.message ?? '').join('\n');
    assert.match(message, /Tokenscope: 1 finding at or over tokenscopeFailOn 'high':/);
    assert.match(
      message,
      /- high audience-beyond-server https:\/\/api\.example\.test: The access token for https:\/\/api\.example\.test is also accepted by https:\/\/other\.example\.test/,
    );
    const report = attachedReport(failed) as { summary: { findings: { high: number } } };
    assert.ok(validate(report), JSON.stringify(validate.errors));
    assert.equal(report.summary.findings.high, 1);

    const never = results.get('sign-in with an extra audience, tokenscopeFailOn never');
    assert.equal(never?.status, 'passed', JSON.stringify(never?.errors));
    const neverReport = attachedReport(never) as { exchanges: Array<{ source: string; findings: Array<{ rule: string }> }> };
    assert.deepEqual(
      neverReport.exchanges.map((exchange) => exchange.source),
      ['playwright'],
    );
    assert.ok(neverReport.exchanges[0]?.findings.some((finding) => finding.rule === 'audience-beyond-server'));
  } finally {
    await Promise.all(servers.map((server) => server.close()));
  }
});
