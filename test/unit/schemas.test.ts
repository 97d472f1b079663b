/**
 * The report schema a tool can check against (report.schema.json, shipped as
 * `tokenscope/report.schema.json`) and SARIF 2.1.0: every fixture's report, with and without
 * token values, validated by a real validator (Ajv); broken reports are refused.
 * The SARIF schemas are vendored from npm packages (test/fixtures/schemas/SOURCES.md).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import Ajv from 'ajv';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { analyzeHar, buildReport, readInput, type Report, toSarif } from '../../src/lib/index.js';
import { type Flow, jwkThumbprintOf, newKey, reports } from './dpop-fixtures.js';
import { flowHar } from './dpop-fixtures.js';
import { supabaseHar } from './supabase-fixtures.js';
import { accessFingerprint, MCP_URL, mcpExchange, mcpSteps } from './mcp-fixtures.js';

const root = join(import.meta.dirname, '../..');
const fixtures = join(root, 'test/fixtures');
const json = (path: string) => JSON.parse(readFileSync(path, 'utf8'));

const ajv2020 = new Ajv2020({ allErrors: true, strict: true });
addFormats(ajv2020);
const validateReport = ajv2020.compile(json(join(root, 'report.schema.json')));

// The SARIF SDK's schema is JSON Schema 2020-12; the datadog-ci copy of the OASIS text is draft-07.
const sdkAjv = new Ajv2020({ allErrors: true, strict: false });
addFormats(sdkAjv);
const validateSarifSdk = sdkAjv.compile(json(join(fixtures, 'schemas/sarif-2.1.0.sarif-sdk.json')));
const draft7 = new Ajv({ allErrors: true, strict: false });
addFormats(draft7);
const validateSarifOasis = draft7.compile(json(join(fixtures, 'schemas/sarif-schema-2.1.0.datadog-ci.json')));

// biome-ignore lint/suspicious/noExplicitAny: a report or SARIF log broken on purpose, member by member
type Loose = any;

const errors = (validate: { errors?: unknown }) => JSON.stringify(validate.errors, null, 1);

/** Every fixture as a report: each real token response, the real Chromium HAR, all responses in one report. */
function fixtureReports(showTokens: boolean): Array<[string, Report]> {
  const dir = join(fixtures, 'responses');
  const reports: Array<[string, Report]> = [];
  const all = [];
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.json'))) {
    const input = readInput(readFileSync(join(dir, file), 'utf8'), file, '2000-01-01T00:00:00Z');
    assert.ok(input.kind !== 'report' && input.kind !== 'har');
    all.push(...input.exchanges);
    reports.push([file, buildReport(input.exchanges, { showTokens })]);
  }
  reports.push(['all responses', buildReport(all, { showTokens })]);
  reports.push(['chromium-sign-in.har', analyzeHar(readFileSync(join(fixtures, 'har/chromium-sign-in.har'), 'utf8'), { showTokens })]);
  return reports;
}

test('every fixture report, with and without token values, is valid against report.schema.json', () => {
  const reports = [...fixtureReports(false), ...fixtureReports(true)];
  assert.ok(reports.length >= 40);
  const rules = new Set<string>();
  for (const [name, report] of reports) {
    assert.ok(validateReport(report), `${name}: ${errors(validateReport)}`);
    for (const exchange of report.exchanges) for (const finding of exchange.findings) rules.add(finding.rule);
  }
  // The fixtures reach the findings the schema describes: not a schema that only sees empty reports.
  assert.ok(rules.size >= 8, [...rules].join(' '));
});

test('DPoP reports (a nonce challenge, a proof, a bound token, dpop_jkt, each DPoP rule) are valid against report.schema.json', () => {
  const key = newKey();
  const other = newKey('ed25519');
  const flows: Flow[] = [
    { key },
    { key, scheme: 'Bearer', athOf: 'another', apiHtu: 'https://api.example.com/else', cnfKey: other, dpopJkt: jwkThumbprintOf(other) },
    { key, apiUrl: 'https://evil.example.net/collect' },
  ];
  const rules = new Set<string>();
  for (const flow of flows)
    for (const report of reports(flowHar(flow).har)) {
      assert.ok(validateReport(report), errors(validateReport));
      assert.equal(report.exchanges[0]?.challenge, 'use_dpop_nonce');
      assert.ok(report.exchanges[1]?.resourceServers[0]?.tokens[0]?.binding);
      for (const finding of [...report.exchanges.flatMap((e) => e.findings), ...report.signIns.flatMap((s) => s.findings)])
        rules.add(finding.rule);
    }
  for (const rule of [
    'dpop-proof-key-mismatch',
    'dpop-ath-mismatch',
    'dpop-proof-target-mismatch',
    'dpop-token-sent-as-bearer',
    'dpop-jkt-mismatch',
  ])
    assert.ok(rules.has(rule), rule);
  // A report whose binding says what no method says is refused.
  const [report] = reports(flowHar({ key }).har);
  const broken = JSON.parse(JSON.stringify(report)) as Loose;
  broken.exchanges[1].resourceServers[0].tokens[0].binding.method = 'magic';
  assert.equal(validateReport(broken), false);
});

test("a report with Bearer uses (each token's sentTo, the findings they raise) is valid against report.schema.json", () => {
  const input = readInput(readFileSync(join(fixtures, 'responses/globus-other-tokens.json'), 'utf8'), 'globus', '2000-01-01T00:00:00Z');
  assert.ok(input.kind !== 'report' && input.kind !== 'har');
  const report = buildReport(input.exchanges, {});
  const token = report.exchanges[0]?.resourceServers[0]?.tokens.find((t) => t.kind === 'access');
  assert.ok(token);
  const uses = ['https://transfer.api.globus.org/v0.10/endpoint_search?x=1', 'https://evil.example.org/collect'].map((url) => ({
    url,
    method: 'GET',
    fingerprint: token.fingerprint,
    at: '2000-01-01T00:01:00Z',
  }));
  const withUses = buildReport(input.exchanges, { bearerUses: uses });
  const sent = withUses.exchanges[0]?.resourceServers[0]?.tokens.find((t) => t.fingerprint === token.fingerprint)?.sentTo;
  assert.equal(sent?.length, 2);
  assert.ok(validateReport(withUses), errors(validateReport));
});

test('a report naming a server by the App ID URI asked for, its aud application id in aliases, is valid against report.schema.json', () => {
  const input = readInput(readFileSync(join(fixtures, 'responses/entra-v2-app-id-uri.json'), 'utf8'), 'entra', '2000-01-01T00:00:00Z');
  assert.ok(input.kind !== 'report' && input.kind !== 'har');
  const report = buildReport(input.exchanges, {});
  assert.deepEqual(report.exchanges[0]?.resourceServers[0]?.aliases, ['f2d9c6a8-1b3e-4c5d-9e7f-a0b1c2d3e4f5']);
  assert.ok(validateReport(report), errors(validateReport));
});

test('report.schema.json refuses a report a tool could not rely on', () => {
  const [, report] = fixtureReports(false).find(([name]) => name === 'chromium-sign-in.har') as [string, Report];
  const broken: Array<[string, (copy: Loose) => void]> = [
    ['no summary', (copy) => delete copy.summary],
    ['a severity outside the four', (copy) => (copy.exchanges[0].findings[0].severity = 'critical')],
    ['an unknown rule id', (copy) => (copy.exchanges[0].findings[0].rule = 'made-up')],
    ['a field the schema does not describe', (copy) => (copy.exchanges[0].extra = true)],
    ['a fingerprint that is not sha256:hex', (copy) => (copy.exchanges[0].resourceServers[0].tokens[0].fingerprint = 'eyJhbGciOi')],
    ['a status that is not a number', (copy) => (copy.exchanges[0].status = '200')],
  ];
  assert.ok(validateReport(report));
  for (const [what, change] of broken) {
    const copy = structuredClone(report) as Loose;
    change(copy);
    assert.equal(validateReport(copy), false, `${what} was accepted`);
  }
});

test('the SARIF of every fixture report is valid SARIF 2.1.0 (the SARIF SDK schema and the OASIS draft-07 text)', () => {
  let results = 0;
  for (const [name, report] of fixtureReports(false)) {
    const sarif = toSarif(report, () => `test/fixtures/${name}`) as { runs: Array<{ results: unknown[] }> };
    results += sarif.runs[0]?.results.length ?? 0;
    assert.ok(validateSarifSdk(sarif), `${name} (SARIF SDK schema): ${errors(validateSarifSdk)}`);
    assert.ok(validateSarifOasis(sarif), `${name} (OASIS draft-07 text): ${errors(validateSarifOasis)}`);
  }
  assert.ok(results >= 20, `only ${results} SARIF results`);
});

test('the SARIF schemas refuse what SARIF 2.1.0 does not allow', () => {
  const [, report] = fixtureReports(false).find(([name]) => name === 'chromium-sign-in.har') as [string, Report];
  const sarif = toSarif(report, () => 'sign-in.har') as Loose;
  const broken: Array<[string, (copy: Loose) => void]> = [
    ['a level outside none/note/warning/error', (copy) => (copy.runs[0].results[0].level = 'high')],
    ['version 2.0.0', (copy) => (copy.version = '2.0.0')],
    ['a result without a message', (copy) => delete copy.runs[0].results[0].message],
    ['a run without a tool', (copy) => delete copy.runs[0].tool],
  ];
  for (const [what, change] of broken) {
    const copy = structuredClone(sarif);
    change(copy);
    assert.equal(validateSarifSdk(copy), false, `SARIF SDK schema accepted ${what}`);
    assert.equal(validateSarifOasis(copy), false, `OASIS draft-07 text accepted ${what}`);
  }
});

test('report.schema.json names every rule of the catalogue, and only those', async () => {
  const { RULES } = await import('../../src/core/rules/catalogue.js');
  const schema = json(join(root, 'report.schema.json'));
  assert.deepEqual([...schema.$defs.ruleId.enum].sort(), Object.keys(RULES).sort());
});

test("a Supabase sign-in (its upstream round trip, the upstream provider's token and its finding) is valid against report.schema.json", () => {
  const report = analyzeHar(JSON.stringify(supabaseHar()));
  assert.ok(report.signIns[0]?.upstream, 'the report has the upstream round trip');
  assert.ok(report.exchanges[0]?.findings.some((finding) => finding.rule === 'upstream-token-in-browser'));
  assert.ok(validateReport(report), errors(validateReport));
});

test('MCP sign-in reports (discovery steps, the registered client, confidence metadata, each discovery and MCP rule) are valid against report.schema.json', () => {
  const rules = new Set<string>();
  const reports = [
    analyzeHar(readFileSync(join(fixtures, 'har/mcp-sign-in.har'), 'utf8')),
    analyzeHar(readFileSync(join(fixtures, 'har/mcp-no-resource.har'), 'utf8')),
    ...[
      { aud: [MCP_URL, 'https://api.example.com'], authorizationServers: ['https://other-as.example.com'] },
      { metadataResource: 'https://mcp.example.com/else', resource: 'https://mcp.example.com/else' },
      { resource: 'https://api.example.com/' },
    ].map((flow) =>
      buildReport([mcpExchange(flow)], {
        signInSteps: mcpSteps(flow),
        bearerUses: [
          { url: 'https://api.example.com/x', method: 'GET', fingerprint: accessFingerprint(flow), at: '2026-01-10T10:00:09.000Z' },
        ],
      }),
    ),
    // Faults no exchange rule reports, so the MCP rules speak alone (docs/RULES.md, "One fault, one finding").
    ...[{ metadataResource: 'https://mcp.example.com/else', resource: null }].map((flow) =>
      buildReport([mcpExchange(flow)], {
        signInSteps: mcpSteps(flow),
        bearerUses: [
          { url: 'https://mcp.example.com:8443/x', method: 'GET', fingerprint: accessFingerprint(flow), at: '2026-01-10T10:00:09.000Z' },
        ],
      }),
    ),
  ];
  for (const report of reports) {
    assert.ok(report.signIns[0]?.discovery, 'the discovery is in the report');
    assert.ok(validateReport(report), errors(validateReport));
    for (const finding of report.signIns.flatMap((s) => s.findings)) rules.add(finding.rule);
  }
  assert.equal(reports[0]?.exchanges[0]?.resourceServers[0]?.confidence, 'metadata');
  for (const rule of [
    'mcp-resource-missing',
    'mcp-audience-not-server',
    'mcp-token-passthrough',
    'metadata-issuer-not-listed',
    'resource-differs-from-metadata',
    'metadata-resource-mismatch',
  ])
    assert.ok(rules.has(rule), rule);
  const broken = JSON.parse(JSON.stringify(reports[0])) as Loose;
  broken.signIns[0].discovery.steps[0].kind = 'guess';
  assert.equal(validateReport(broken), false);
});

test('a RAR sign-in (authorization details requested and granted, the ID token sent as Bearer, a refresh token reused) is valid against report.schema.json', () => {
  const report = analyzeHar(readFileSync(join(fixtures, 'har/chromium-rar-sign-in.har'), 'utf8'));
  assert.ok(report.exchanges[0]?.resourceServers[0]?.authorizationDetails, 'the report has authorization details');
  assert.ok(validateReport(report), errors(validateReport));
  const broken = structuredClone(report) as Loose;
  broken.exchanges[0].resourceServers[0].authorizationDetails.grantedFrom = 'somewhere';
  assert.equal(validateReport(broken), false);
});
