// @ts-check
// The library from a plain Node script (ESM): node analyze.mjs FILE.har prints what it found as JSON.
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { analyzeExchange, analyzeExchanges, analyzeHar, buildReport, readInput, toSarif, VERSION } from 'tokenscope';

const file = process.argv[2];
if (!file) throw new Error('usage: node analyze.mjs FILE.har');
const text = readFileSync(file, 'utf8');

/** @type {import('tokenscope').Report} */
const report = analyzeHar(text);

// readInput is what the CLI reads any FILE with; buildReport and analyzeExchanges take its exchanges.
const input = readInput(text, file, statSync(file).mtime.toISOString());
if (input.kind !== 'har') throw new Error(`expected a HAR, got ${input.kind}`);
const fromInput = buildReport(input.exchanges, { bearerUses: input.bearerUses, signInSteps: input.signInSteps });
const same =
  JSON.stringify(analyzeExchanges(input.exchanges, { bearerUses: input.bearerUses, signInSteps: input.signInSteps })) ===
  JSON.stringify(fromInput);

// One exchange on its own, options as an object: the same resource servers as in the whole report.
const [first] = input.exchanges;
if (!first) throw new Error('the HAR has no exchange');
/** @type {import('tokenscope').ExchangeReport} */
const one = analyzeExchange(first, { showTokens: false, at: new Date(first.startedAt) });
const serversOf = (/** @type {import('tokenscope').ExchangeReport | undefined} */ exchange) =>
  (exchange?.resourceServers ?? []).map((server) => server.id).join(' ');

/** @type {(finding: import('tokenscope').Finding) => string} */
const line = (finding) => `${finding.severity} ${finding.rule} ${finding.resourceServer ?? '-'}`;
const schema = createRequire(import.meta.url)('tokenscope/report.schema.json');
const sarif = /** @type {{ version: string }} */ (toSarif(report, () => file));

console.log(
  JSON.stringify({
    version: VERSION,
    summary: report.summary,
    findings: report.exchanges.flatMap((exchange) => exchange.findings.map(line)),
    sameFromReadInput: same && JSON.stringify(fromInput.summary) === JSON.stringify(report.summary),
    oneExchangeServers: serversOf(one),
    firstExchangeServers: serversOf(fromInput.exchanges[0]),
    schemaTitle: schema.title,
    sarifVersion: sarif.version,
  }),
);
