#!/usr/bin/env node
/**
 * The streaming HAR reader against a process that only JSON.parses the same HAR, each a
 * whole process, interleaved, medians. The reader is bundled with esbuild first (so tsx's
 * start-up is not counted), and reads the file with fs.createReadStream in 64 KiB chunks,
 * finds the exchanges and matches Bearer uses by value.
 *
 *   node scripts/bench/har-stream.mjs [--runs 5] [--warmup 1] [--regen]
 *
 * Targets (issue 14): time <= 1.0x, peak RSS <= 0.6x the JSON.parse process.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { DEFAULTS, generateHar } from './gen-har.mjs';
import { OUT_DIR, ROOT, runNode, stats } from './lib.mjs';

const TARGET = { time: 1.0, memory: 0.6 };
const BASELINE = "JSON.parse(require('node:fs').readFileSync(process.argv[1], 'utf8'))";

const READER_MAIN = `
import { createReadStream } from 'node:fs';
import { createHarStreamReader, matchBearerUses } from './src/core/har-stream/index.ts';
const reader = createHarStreamReader();
for await (const chunk of createReadStream(process.argv[2], { highWaterMark: 64 * 1024 })) reader.push(chunk);
const result = reader.end();
const uses = matchBearerUses(result);
process.stdout.write(JSON.stringify({ exchanges: result.exchanges.length, entries: result.entries, bearerUses: result.bearerRefs.length, distinctBearerTokens: result.bearerTokens.size, matchedUses: uses.length, error: result.error }));
`;

async function bundle() {
  const out = join(OUT_DIR, 'har-stream-bench.mjs');
  await build({
    stdin: { contents: READER_MAIN, resolveDir: ROOT, loader: 'ts', sourcefile: 'har-stream-bench.ts' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: out,
    logLevel: 'warning',
  });
  return out;
}

function ensureHar(regen, log) {
  const har = join(OUT_DIR, 'bench.har');
  if (regen || !existsSync(har)) {
    log(`bench: generating ${har}`);
    generateHar({ out: har, ...DEFAULTS });
  }
  return har;
}

async function main() {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '5' },
      warmup: { type: 'string', default: '1' },
      regen: { type: 'boolean', default: false },
    },
  });
  const runs = Number(values.runs);
  const log = console.log;
  const har = ensureHar(values.regen, log);
  const bundled = await bundle();
  const outFile = join(OUT_DIR, 'har-stream-out.json');
  const commands = {
    stream: { args: [bundled, har], stdoutFile: outFile },
    baseline: { args: ['-e', BASELINE, har], stdoutFile: null },
  };
  const samples = { stream: [], baseline: [] };
  let counts = null;
  const runOne = async (name) => {
    const result = await runNode(commands[name].args, { stdoutFile: commands[name].stdoutFile });
    if (result.code !== 0) throw new Error(`bench: ${name} exited ${result.code}\n${result.stderr}`);
    if (name === 'stream') counts = JSON.parse(readFileSync(outFile, 'utf8'));
    return result;
  };
  for (let i = 0; i < Number(values.warmup); i++) {
    await runOne('stream');
    await runOne('baseline');
  }
  for (let round = 0; round < runs; round++) {
    const order = round % 2 === 0 ? ['stream', 'baseline'] : ['baseline', 'stream'];
    for (const name of order) {
      const { ms, rssKiB } = await runOne(name);
      samples[name].push({ ms, rssKiB });
    }
    const last = (name) => `${Math.round(samples[name].at(-1).ms)} ms ${Math.round(samples[name].at(-1).rssKiB / 1024)} MiB`;
    log(`bench: round ${round + 1}/${runs}: stream ${last('stream')}, JSON.parse ${last('baseline')}`);
  }
  const summarize = (list) => ({ ms: stats(list.map((s) => s.ms)), rssKiB: stats(list.map((s) => s.rssKiB)) });
  const stream = summarize(samples.stream);
  const baseline = summarize(samples.baseline);
  const ratios = { time: stream.ms.median / baseline.ms.median, memory: stream.rssKiB.median / baseline.rssKiB.median };
  log(`input: ${har} (${(statSync(har).size / 1024 ** 2).toFixed(1)} MiB); reader found ${JSON.stringify(counts)}`);
  log(
    `medians of ${runs}: stream ${Math.round(stream.ms.median)} ms, ${Math.round(stream.rssKiB.median / 1024)} MiB; JSON.parse ${Math.round(baseline.ms.median)} ms, ${Math.round(baseline.rssKiB.median / 1024)} MiB`,
  );
  log(
    `ratios: time ${ratios.time.toFixed(2)}x (target <= ${TARGET.time}), peak RSS ${ratios.memory.toFixed(2)}x (target <= ${TARGET.memory}); load average after: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  if (counts?.exchanges !== DEFAULTS.exchanges)
    throw new Error(`bench: FAIL: the reader found ${counts?.exchanges} exchanges, expected ${DEFAULTS.exchanges}`);
}

await main();
