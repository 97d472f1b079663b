#!/usr/bin/env node
/**
 * `npm run bench`: the project's benchmarks. Each bench is a module in
 * scripts/bench/ exporting an async function that returns a result object;
 * this runner builds if needed, runs the selected benches, prints a table per
 * bench and writes bench-out/<name>-bench.json.
 *
 *   node scripts/bench.mjs [--only cli[,other]] [--runs 5] [--warmup 1] [--build] [--regen] [--strict] [--big-mb 1536]
 *
 * --build   rebuild dist/ first (otherwise only when dist/tokenscope.mjs is missing)
 * --regen   regenerate the benchmark inputs in bench-out/
 * --strict  exit 1 when a bench misses its target (a wrong exchange count always fails)
 * --big-mb  the size of har-stream's large generated HAR, in MiB (0 skips it; it takes ~2 minutes and 1.5 GB of /tmp)
 * --big-runs  how many times the CLI reads the large HAR (default 3)
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { benchCli, formatCli } from './bench/cli.mjs';
import { benchBundleSizes, formatBundleSizes } from './bench/bundle-sizes.mjs';
import { benchBurst, formatBurst } from './bench/burst.mjs';
import { benchCaptureLatency, formatCaptureLatency } from './bench/capture-latency.mjs';
import { ensureBuilt, machineInfo, OUT_DIR, writeJson } from './bench/lib.mjs';
import { benchHarStream, formatHarStream } from './bench/har-stream.mjs';
import { benchPageOverhead, formatPageOverhead } from './bench/page-overhead.mjs';
import { benchTokenCalls, formatTokenCalls } from './bench/token-calls.mjs';
import { benchJoin, benchScopes, formatScale } from './bench/scale.mjs';
// The popup bench reuses the browser-test harness (TypeScript): `npm run bench` runs this file with tsx.
import { benchPopupRender, formatPopupRender } from './bench/popup.ts';
import { benchPopupImport, formatPopupImport } from './bench/popup-import.ts';

/** The benches, in the order they run. Extension benches go here. */
const BENCHES = [
  { name: 'cli', run: benchCli, format: formatCli },
  { name: 'har-stream', run: benchHarStream, format: formatHarStream },
  { name: 'join-4000', run: benchJoin, format: formatScale },
  { name: 'scopes-40000', run: benchScopes, format: formatScale },
  { name: 'page-overhead', run: benchPageOverhead, format: formatPageOverhead },
  { name: 'token-calls', run: benchTokenCalls, format: formatTokenCalls },
  { name: 'capture-latency', run: benchCaptureLatency, format: formatCaptureLatency },
  { name: 'burst', run: benchBurst, format: formatBurst },
  { name: 'bundle-sizes', run: benchBundleSizes, format: formatBundleSizes },
  { name: 'popup-render', run: benchPopupRender, format: formatPopupRender },
  { name: 'popup-import', run: benchPopupImport, format: formatPopupImport },
];

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    runs: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '1' },
    build: { type: 'boolean', default: false },
    regen: { type: 'boolean', default: false },
    strict: { type: 'boolean', default: false },
    'big-mb': { type: 'string', default: '1536' },
    'big-runs': { type: 'string', default: '3' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  console.log(
    `usage: node scripts/bench.mjs [--only ${BENCHES.map((b) => b.name).join(',')}] [--runs N] [--warmup N] [--build] [--regen] [--strict] [--big-mb N] [--big-runs N]`,
  );
  process.exit(0);
}
const only = values.only ? values.only.split(',').map((s) => s.trim()) : null;
const unknown = (only ?? []).filter((name) => !BENCHES.some((b) => b.name === name));
if (unknown.length) {
  console.error(`bench: unknown bench ${unknown.join(', ')}; known: ${BENCHES.map((b) => b.name).join(', ')}`);
  process.exit(2);
}
const runs = Number(values.runs);
const warmup = Number(values.warmup);
if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(warmup) || warmup < 0) {
  console.error('bench: --runs must be a positive integer and --warmup a non-negative one');
  process.exit(2);
}

const machine = machineInfo();
console.log(
  `bench: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, ${machine.platform}, node ${machine.node}; peak RSS via ${machine.peakRssMethod}`,
);

let failed = false;
try {
  ensureBuilt({ force: values.build });
  for (const bench of BENCHES) {
    if (only && !only.includes(bench.name)) continue;
    const result = await bench.run({
      runs,
      warmup,
      regen: values.regen,
      bigMb: Number(values['big-mb']),
      bigRuns: Number(values['big-runs']),
    });
    const file = join(OUT_DIR, `${bench.name}-bench.json`);
    writeJson(file, { ...result, machine, date: new Date().toISOString() });
    console.log(`\n${bench.format(result)}\n  machine: ${machine.cpu}, ${machine.cores} cores, node ${machine.node}\n  results: ${file}\n`);
    if (values.strict && Object.values(result.pass).includes(false)) failed = true;
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
process.exit(failed ? 1 : 0);
