/**
 * har-stream: the HAR figures side by side in one run (issue 14).
 *
 * 1. A 70 MB HAR where nearly every API call carries its own Bearer token (gen-har --bearer
 *    distinct): `tokenscope analyze --format json` against a process that only JSON.parses the
 *    same file, and the streaming reader alone (bundled, reading and matching Bearer uses by
 *    value), each a whole process, interleaved, medians. Targets (issue 26): time <= 0.5x, peak RSS <= 0.5x.
 * 2. A generated HAR of about 1.5 GB (the same mix, scaled up; written to the temp folder and
 *    deleted after): `tokenscope analyze --format json` completes with exactly its exchanges,
 *    in <= 8 s (median) and peak RSS <= 300 MB on two cores (issue 26), and its time per MB is at
 *    most 1.2x the 70 MB HAR's.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join, relative } from 'node:path';
import { build } from 'esbuild';
import { ROOT } from '../lib/project.mjs';
import { stats } from '../lib/stats.mjs';
import { checkReport } from './cli.mjs';
import { DEFAULTS, generateHar } from './gen-har.mjs';
import { CLI, OUT_DIR, runNode, verdict, writeJson } from './lib.mjs';

export const TARGETS = { time: 0.5, memory: 0.5, bigMs: 8000, bigRssMiB: 300, perMbRatio: 1.2 };
/** Bump when gen-har.mjs changes what it writes, so a stale HAR is regenerated. */
const GENERATOR_VERSION = 2;
const BASELINE = "JSON.parse(require('node:fs').readFileSync(process.argv[1], 'utf8'))";
const MIB = 1024 * 1024;

/** The reader alone: chunks from fs, exchanges found, Bearer uses matched by value. */
const READER_MAIN = `
import { createReadStream } from 'node:fs';
import { createHarStreamReader, matchBearerUses } from './src/core/har-stream/index.ts';
const reader = createHarStreamReader();
for await (const chunk of createReadStream(process.argv[2], { highWaterMark: 64 * 1024 })) reader.push(chunk);
const result = reader.end();
const uses = matchBearerUses(result);
process.stdout.write(JSON.stringify({ exchanges: result.exchanges.length, entries: result.entries, bearerUses: result.bearerRefs.length, distinctBearerTokens: result.bearerTokens.size, matchedUses: uses.length, error: result.error }));
`;

async function bundleReader() {
  const out = join(OUT_DIR, 'har-stream-reader.mjs');
  await build({
    stdin: { contents: READER_MAIN, resolveDir: ROOT, loader: 'ts', sourcefile: 'har-stream-reader.ts' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: out,
    logLevel: 'warning',
  });
  return out;
}

/** The 70 MB HAR with distinct Bearer tokens, generated once into bench-out/ (with a sidecar describing it). */
function ensureHar(regen, log) {
  const har = join(OUT_DIR, 'bench-distinct.har');
  const metaFile = `${har}.meta.json`;
  const wanted = { generatorVersion: GENERATOR_VERSION, ...DEFAULTS, bearer: 'distinct' };
  let meta = null;
  try {
    meta = JSON.parse(readFileSync(metaFile, 'utf8'));
  } catch {
    // Missing: generate.
  }
  if (regen || !existsSync(har) || !meta || Object.entries(wanted).some(([k, v]) => meta[k] !== v)) {
    log(
      `bench: generating ${relative(ROOT, har)} (${wanted.entries} entries, ${wanted.exchanges} exchanges, ~${wanted.mb} MiB, distinct Bearer tokens)`,
    );
    const summary = generateHar({ out: har, ...wanted });
    meta = { ...wanted, bytes: summary.bytes, counts: summary.counts, exchangesWritten: summary.exchanges };
    writeJson(metaFile, meta);
  }
  return { har, meta };
}

const summarize = (list) => ({
  ms: stats(list.map((s) => s.ms)),
  cpuMs: stats(list.map((s) => s.cpuMs)),
  rssKiB: stats(list.map((s) => s.rssKiB)),
});

/** The 70 MB rounds: CLI, reader alone and JSON.parse, interleaved (rotating who goes first). */
async function smallRounds({ har, meta, runs, warmup, log }) {
  const reader = await bundleReader();
  const cliOut = join(OUT_DIR, 'har-stream-cli-out.json');
  const readerOut = join(OUT_DIR, 'har-stream-reader-out.json');
  const commands = {
    cli: { args: [CLI, 'analyze', har, '--format', 'json', '--fail-on', 'never'], stdoutFile: cliOut },
    reader: { args: [reader, har], stdoutFile: readerOut },
    baseline: { args: ['-e', BASELINE, har], stdoutFile: null },
  };
  const names = Object.keys(commands);
  const samples = { cli: [], reader: [], baseline: [] };
  let report = null;
  let found = null;
  const runOne = async (name) => {
    const result = await runNode(commands[name].args, { stdoutFile: commands[name].stdoutFile });
    if (result.code !== 0) throw new Error(`bench: ${name} exited ${result.code}\n${result.stderr}`);
    if (name === 'cli') report = checkReport(cliOut, meta.exchangesWritten);
    if (name === 'reader') found = JSON.parse(readFileSync(readerOut, 'utf8'));
    return result;
  };
  for (let i = 0; i < warmup; i++) for (const name of names) await runOne(name);
  for (let round = 0; round < runs; round++) {
    const order = names.map((_, k) => names[(k + round) % names.length]);
    for (const name of order) {
      const { ms, cpuMs, rssKiB } = await runOne(name);
      samples[name].push({ round, ms: +ms.toFixed(1), cpuMs, rssKiB });
    }
    const last = (name) => `${Math.round(samples[name].at(-1).ms)} ms ${Math.round(samples[name].at(-1).rssKiB / 1024)} MiB`;
    log(`bench: round ${round + 1}/${runs}: cli ${last('cli')}, reader ${last('reader')}, JSON.parse ${last('baseline')}`);
  }
  if (found?.exchanges !== meta.exchangesWritten)
    throw new Error(`bench: FAIL: the reader found ${found?.exchanges} exchanges, expected ${meta.exchangesWritten}`);
  return { samples, report, found, cli: summarize(samples.cli), reader: summarize(samples.reader), baseline: summarize(samples.baseline) };
}

/** The ~1.5 GB HAR: generated into the temp folder, analyzed `runs` times, deleted. */
async function bigRuns({ bigMb, runs, log }) {
  const scale = bigMb / DEFAULTS.mb;
  const spec = {
    entries: Math.round(DEFAULTS.entries * scale),
    exchanges: Math.round(DEFAULTS.exchanges * scale),
    mb: bigMb,
    seed: DEFAULTS.seed,
    bearer: 'distinct',
  };
  const har = join(os.tmpdir(), `tokenscope-bench-${process.pid}.har`);
  const out = join(os.tmpdir(), `tokenscope-bench-${process.pid}.json`);
  try {
    log(`bench: generating ${har} (${spec.entries} entries, ${spec.exchanges} exchanges, ~${bigMb} MiB)`);
    const started = performance.now();
    const summary = generateHar({ out: har, ...spec });
    log(`bench: generated ${(summary.bytes / MIB).toFixed(0)} MiB in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    const samples = [];
    let report = null;
    for (let run = 0; run < runs; run++) {
      const result = await runNode([CLI, 'analyze', har, '--format', 'json', '--fail-on', 'never'], { stdoutFile: out });
      if (result.code !== 0) throw new Error(`bench: the CLI exited ${result.code} on the large HAR\n${result.stderr}`);
      report = checkReport(out, summary.exchanges);
      samples.push({ ms: +result.ms.toFixed(1), cpuMs: result.cpuMs, rssKiB: result.rssKiB });
      log(`bench: large HAR run ${run + 1}/${runs}: ${Math.round(result.ms)} ms, ${Math.round(result.rssKiB / 1024)} MiB`);
    }
    return {
      input: { bytes: summary.bytes, mib: +(summary.bytes / MIB).toFixed(1), ...spec, exchangesWritten: summary.exchanges },
      samples,
      report,
      ...summarize(samples),
    };
  } finally {
    rmSync(har, { force: true });
    rmSync(out, { force: true });
  }
}

/**
 * Options: runs (70 MB rounds, default 7), warmup (default 1), regen, bigMb (default 1536; 0 skips
 * the large HAR), bigRuns (default 2), log. Returns the result (also har-stream-bench.json).
 */
export async function benchHarStream({ runs = 7, warmup = 1, regen = false, bigMb = 1536, bigRuns: bigCount = 2, log = console.log } = {}) {
  const { har, meta } = ensureHar(regen, log);
  const small = await smallRounds({ har, meta, runs, warmup, log });
  const big = bigMb > 0 ? await bigRuns({ bigMb, runs: bigCount, log }) : null;
  const ratios = {
    time: +(small.cli.ms.median / small.baseline.ms.median).toFixed(3),
    memory: +(small.cli.rssKiB.median / small.baseline.rssKiB.median).toFixed(3),
    readerTime: +(small.reader.ms.median / small.baseline.ms.median).toFixed(3),
    /** CPU time (user + system), less disturbed than wall time when the machine is shared. */
    cpu: +(small.cli.cpuMs.median / small.baseline.cpuMs.median).toFixed(3),
    readerCpu: +(small.reader.cpuMs.median / small.baseline.cpuMs.median).toFixed(3),
    readerMemory: +(small.reader.rssKiB.median / small.baseline.rssKiB.median).toFixed(3),
  };
  const perMb = {
    small: small.cli.ms.median / (meta.bytes / MIB),
    big: big ? big.ms.median / (big.input.bytes / MIB) : null,
  };
  const cpuPerMbRatio = big
    ? +(big.cpuMs.median / (big.input.bytes / MIB) / (small.cli.cpuMs.median / (meta.bytes / MIB))).toFixed(3)
    : null;
  const perMbRatio = big ? +(perMb.big / perMb.small).toFixed(3) : null;
  const bigRssMiB = big ? +(big.rssKiB.max / 1024).toFixed(1) : null;
  return {
    name: 'har-stream',
    title: 'HARs of any size: tokenscope analyze --format json against JSON.parse, and a ~1.5 GB HAR',
    input: {
      file: relative(ROOT, har),
      bytes: meta.bytes,
      mib: +(meta.bytes / MIB).toFixed(1),
      entries: meta.entries,
      exchanges: meta.exchangesWritten,
      counts: meta.counts,
      bearer: meta.bearer,
    },
    runs,
    warmup,
    found: small.found,
    report: small.report,
    cli: small.cli,
    reader: small.reader,
    baseline: small.baseline,
    samples: small.samples,
    ratios,
    big,
    perMbMs: { small: +perMb.small.toFixed(3), big: perMb.big === null ? null : +perMb.big.toFixed(3) },
    perMbRatio,
    cpuPerMbRatio,
    bigRssMiB,
    loadAverageAfter: os.loadavg().map((l) => +l.toFixed(2)),
    target: TARGETS,
    pass: {
      time: ratios.time <= TARGETS.time,
      memory: ratios.memory <= TARGETS.memory,
      exchanges: small.report?.exchanges === meta.exchangesWritten,
      ...(big
        ? {
            bigExchanges: big.report?.exchanges === big.input.exchangesWritten,
            bigRss: bigRssMiB <= TARGETS.bigRssMiB,
            bigTime: big.ms.median <= TARGETS.bigMs,
            perMb: perMbRatio <= TARGETS.perMbRatio,
          }
        : {}),
    },
  };
}

/** The result as a table for the terminal. */
export function formatHarStream(result) {
  const ms = (s) => `${Math.round(s.ms.median)} ms (${Math.round(s.ms.min)}-${Math.round(s.ms.max)}), CPU ${Math.round(s.cpuMs.median)} ms`;
  const mib = (s) => `${Math.round(s.rssKiB.median / 1024)} MiB`;
  const lines = [
    result.title,
    `  input: ${result.input.file}, ${result.input.mib} MiB, ${result.input.entries} entries, ${result.input.exchanges} token exchanges, ${result.found.bearerUses} Bearer uses of ${result.found.distinctBearerTokens} distinct tokens`,
    `  ${result.runs} interleaved rounds (+${result.warmup} warm-up), medians (min-max)`,
    `  tokenscope analyze --format json   ${ms(result.cli)}   ${mib(result.cli)}`,
    `  streaming reader alone             ${ms(result.reader)}   ${mib(result.reader)}`,
    `  node -e JSON.parse(readFileSync)   ${ms(result.baseline)}   ${mib(result.baseline)}`,
    `  time vs JSON.parse: ${result.ratios.time.toFixed(2)}x (target <= ${result.target.time}) ${verdict(result.pass.time)}; reader alone ${result.ratios.readerTime.toFixed(2)}x`,
    `  CPU time vs JSON.parse: ${result.ratios.cpu.toFixed(2)}x; reader alone ${result.ratios.readerCpu.toFixed(2)}x`,
    `  peak RSS vs JSON.parse: ${result.ratios.memory.toFixed(2)}x (target <= ${result.target.memory}) ${verdict(result.pass.memory)}; reader alone ${result.ratios.readerMemory.toFixed(2)}x`,
  ];
  if (result.big) {
    const big = result.big;
    lines.push(
      `  large HAR: ${big.input.mib} MiB, ${big.input.entries} entries, ${big.input.exchanges} exchanges; ${big.samples.length} run(s): ${ms(big)} (target <= ${result.target.bigMs} ms) ${verdict(result.pass.bigTime)}, peak RSS ${result.bigRssMiB} MiB (target <= ${result.target.bigRssMiB}) ${verdict(result.pass.bigRss)}`,
      `  exchanges found in the large HAR: ${big.report?.exchanges} of ${big.input.exchangesWritten} ${verdict(result.pass.bigExchanges)}`,
      `  time per MiB: ${result.perMbMs.big} ms (large) vs ${result.perMbMs.small} ms (70 MB): ${result.perMbRatio}x (target <= ${result.target.perMbRatio}) ${verdict(result.pass.perMb)}; CPU time per MiB ${result.cpuPerMbRatio}x`,
    );
  }
  lines.push(`  load average after: ${result.loadAverageAfter.join(' ')}`);
  return lines.join('\n');
}
