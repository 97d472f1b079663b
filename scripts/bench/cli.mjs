/**
 * The CLI benchmark: `tokenscope analyze --format json` on a large HAR against a
 * process that only `JSON.parse`s the same file, interleaved, each a whole process.
 *
 * Target: the analysis takes at most 1.5 x the JSON.parse process's wall time and
 * at most 1.5 x its peak RSS, and picks out exactly the HAR's token exchanges.
 */
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { join, relative } from 'node:path';
import { DEFAULTS, generateHar } from './gen-har.mjs';
import { ROOT } from '../lib/project.mjs';
import { stats } from '../lib/stats.mjs';
import { CLI, OUT_DIR, runNode, verdict, writeJson } from './lib.mjs';
import { tableRow } from './table.mjs';

export const TARGET_RATIO = 1.5;
/** Bump when gen-har.mjs changes what it writes, so a stale bench.har is regenerated. */
const GENERATOR_VERSION = 1;

const BASELINE = "JSON.parse(require('node:fs').readFileSync(process.argv[1], 'utf8'))";

/** The HAR to measure, generated once into bench-out/ (with a sidecar describing it). */
function ensureHar({ regen, log }) {
  const har = join(OUT_DIR, 'bench.har');
  const metaFile = `${har}.meta.json`;
  const wanted = {
    generatorVersion: GENERATOR_VERSION,
    entries: DEFAULTS.entries,
    exchanges: DEFAULTS.exchanges,
    mb: DEFAULTS.mb,
    seed: DEFAULTS.seed,
  };
  let meta = null;
  try {
    meta = JSON.parse(readFileSync(metaFile, 'utf8'));
  } catch {
    // Missing or unreadable: generate.
  }
  const fresh = meta && existsSync(har) && Object.entries(wanted).every(([k, v]) => meta[k] === v);
  if (regen || !fresh) {
    log(`bench: generating ${relative(ROOT, har)} (${wanted.entries} entries, ${wanted.exchanges} exchanges, ~${wanted.mb} MiB)`);
    const summary = generateHar({ out: har, ...wanted });
    meta = { ...wanted, bytes: summary.bytes, counts: summary.counts, exchangesWritten: summary.exchanges };
    writeJson(metaFile, meta);
  }
  if (meta.bytes < 50 * 1024 * 1024 || meta.entries < 10_000 || meta.exchangesWritten !== 500) {
    throw new Error(
      `bench: ${relative(ROOT, har)} does not meet the benchmark's input spec (>= 50 MiB, >= 10,000 entries, 500 exchanges): ${JSON.stringify(meta)}`,
    );
  }
  return { har, meta };
}

/** The CLI's JSON report must list exactly the HAR's token exchanges. */
export function checkReport(file, expected) {
  let report;
  try {
    report = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`bench: the CLI's output is not JSON (${error.message})`);
  }
  const count = Array.isArray(report?.exchanges) ? report.exchanges.length : -1;
  if (count !== expected) {
    const urls = Array.isArray(report?.exchanges)
      ? report.exchanges
          .filter((x) => !/\/(?:v2\/oauth2|oauth)\/token$/.test(x.url))
          .slice(0, 5)
          .map((x) => `${x.method} ${x.url}`)
      : [];
    throw new Error(
      `bench: FAIL: the CLI picked out ${count} exchanges, expected exactly ${expected}${urls.length ? `; e.g. non-exchanges picked: ${urls.join(', ')}` : ''}`,
    );
  }
  return { exchanges: count, summary: report.summary };
}

/**
 * Run the benchmark. Options: runs (rounds, default 7), warmup (untimed rounds, default 1),
 * regen (regenerate the HAR), log. Returns a result object (also what cli-bench.json holds).
 */
export async function benchCli({ runs = 7, warmup = 1, regen = false, log = console.log } = {}) {
  const { har, meta } = ensureHar({ regen, log });
  const outFile = join(OUT_DIR, 'cli-out.json');
  const commands = {
    cli: {
      label: 'tokenscope analyze --format json',
      args: [CLI, 'analyze', har, '--format', 'json', '--fail-on', 'never'],
      stdoutFile: outFile,
    },
    baseline: { label: 'node -e JSON.parse(readFileSync)', args: ['-e', BASELINE, har], stdoutFile: null },
  };
  const samples = { cli: [], baseline: [] };
  let report = null;
  const runOne = async (name) => {
    const { args, stdoutFile } = commands[name];
    const result = await runNode(args, { stdoutFile });
    if (result.code !== 0)
      throw new Error(
        `bench: ${commands[name].label} exited ${result.code}${result.signal ? ` (${result.signal})` : ''}\n${result.stderr}`,
      );
    if (name === 'cli') report = checkReport(outFile, meta.exchangesWritten);
    return result;
  };

  for (let i = 0; i < warmup; i++) {
    await runOne('cli');
    await runOne('baseline');
  }
  for (let round = 0; round < runs; round++) {
    // Interleaved, and alternating which goes first, so drift and order effects hit both alike.
    const order = round % 2 === 0 ? ['cli', 'baseline'] : ['baseline', 'cli'];
    for (const name of order) {
      const { ms, rssKiB } = await runOne(name);
      samples[name].push({ round, ms: +ms.toFixed(1), rssKiB });
    }
    log(
      `bench: round ${round + 1}/${runs}: cli ${Math.round(samples.cli.at(-1).ms)} ms ${Math.round(samples.cli.at(-1).rssKiB / 1024)} MiB, ` +
        `JSON.parse ${Math.round(samples.baseline.at(-1).ms)} ms ${Math.round(samples.baseline.at(-1).rssKiB / 1024)} MiB`,
    );
  }

  const summarize = (list) => ({ ms: stats(list.map((s) => s.ms)), rssKiB: stats(list.map((s) => s.rssKiB)) });
  const cli = summarize(samples.cli);
  const baseline = summarize(samples.baseline);
  const timeRatio = cli.ms.median / baseline.ms.median;
  const memoryRatio = cli.rssKiB.median / baseline.rssKiB.median;
  return {
    name: 'cli',
    title: 'tokenscope analyze --format json vs JSON.parse of the same HAR',
    input: {
      file: relative(ROOT, har),
      bytes: meta.bytes,
      mib: +(meta.bytes / 1024 ** 2).toFixed(1),
      entries: meta.entries,
      exchanges: meta.exchangesWritten,
      seed: meta.seed,
      counts: meta.counts,
    },
    runs,
    warmup,
    commands: {
      cli: `node ${commands.cli.args.map((a) => relative(ROOT, a) || a).join(' ')} > ${relative(ROOT, outFile)}`,
      baseline: `node -e "${BASELINE}" ${relative(ROOT, har)}`,
    },
    report,
    cli,
    baseline,
    samples,
    ratios: { time: +timeRatio.toFixed(3), memory: +memoryRatio.toFixed(3) },
    /** Best run against best run: less sensitive to other load on the machine than medians (the target uses medians). */
    ratiosOfMin: { time: +(cli.ms.min / baseline.ms.min).toFixed(3), memory: +(cli.rssKiB.min / baseline.rssKiB.min).toFixed(3) },
    loadAverageAfter: os.loadavg().map((l) => +l.toFixed(2)),
    target: { time: TARGET_RATIO, memory: TARGET_RATIO },
    pass: { time: timeRatio <= TARGET_RATIO, memory: memoryRatio <= TARGET_RATIO, exchanges: report?.exchanges === meta.exchangesWritten },
  };
}

/** The result as a table for the terminal. */

export function formatCli(result) {
  const row = tableRow(36, 14);
  const ms = (s) => `${Math.round(s.median)} ms`;
  const mibs = (s) => `${(s.median / 1024).toFixed(0)} MiB`;
  const range = (s, f) => `${f(s.min)}-${f(s.max)}`;
  /** One process's row: its median time and peak RSS, each with its range over the rounds. */
  const measuredRow = (label, measured) =>
    row([
      label,
      ms(measured.ms),
      range(measured.ms, Math.round),
      mibs(measured.rssKiB),
      range(measured.rssKiB, (v) => Math.round(v / 1024)),
    ]);
  return [
    `${result.title}`,
    `  input: ${result.input.file}, ${result.input.mib} MiB, ${result.input.entries} entries, ${result.input.exchanges} token exchanges`,
    `  ${result.runs} interleaved rounds (+${result.warmup} warm-up), medians; range in brackets`,
    row(['', 'time', '(min-max ms)', 'peak RSS', '(min-max MiB)']),
    measuredRow('tokenscope analyze --format json', result.cli),
    measuredRow('node -e JSON.parse(readFileSync(...))', result.baseline),
    row([
      'ratio (target <= 1.5)',
      `${result.ratios.time.toFixed(2)}x`,
      verdict(result.pass.time),
      `${result.ratios.memory.toFixed(2)}x`,
      verdict(result.pass.memory),
    ]),
    `  best run vs best run: time ${result.ratiosOfMin.time.toFixed(2)}x, memory ${result.ratiosOfMin.memory.toFixed(2)}x; load average after: ${result.loadAverageAfter.join(' ')}`,
    `  exchanges picked out: ${result.report?.exchanges} (expected ${result.input.exchanges}) ${verdict(result.pass.exchanges)}`,
  ].join('\n');
}
