#!/usr/bin/env node
/**
 * Where reading one HAR on every core starts to pay (src/cli/entry-pool.ts PARALLEL_MIN_BYTES):
 * generated HARs of several sizes (gen-har.mjs, the 70 MB mix scaled down), each read by the CLI's
 * readSource in one thread and with the entry workers, each run a fresh process (worker start-up
 * counted), interleaved, medians of wall and CPU time. Reading only: the analysis after it is the
 * same either way.
 *
 *   node --import tsx scripts/bench/har-threshold.mjs [--sizes 4,8,16,32] [--runs 5]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { ROOT } from '../lib/project.mjs';
import { DEFAULTS, generateHar } from './gen-har.mjs';
import { CLI } from './lib.mjs';

const readerScript = (root) => `
import { performance } from 'node:perf_hooks';
import { DeferredEntries } from '${root}/src/core/har-stream/index.ts';
import { ENTRY_BATCHES, EntryPool, entryWorkers } from '${root}/src/cli/entry-pool.ts';
import { fileSource, readSource } from '${root}/src/cli/sources.ts';
const [mode, file, cli] = process.argv.slice(2);
const started = performance.now();
const cpu = process.cpuUsage();
const pool = mode === 'parallel' ? new EntryPool(new URL(cli), entryWorkers()) : null;
const deferred = pool ? new DeferredEntries((batch) => pool.read(batch), ENTRY_BATCHES) : undefined;
const input = await readSource(fileSource(file, process.cwd()), { deferred });
await pool?.close();
const used = process.cpuUsage(cpu);
console.log(JSON.stringify({ ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000, exchanges: input.result.exchanges.length }));
`;

const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];

const { values } = parseArgs({ options: { sizes: { type: 'string', default: '4,8,16,32' }, runs: { type: 'string', default: '5' } } });
const sizes = values.sizes.split(',').map(Number);
const runs = Number(values.runs);
const dir = mkdtempSync(join(os.tmpdir(), 'tokenscope-threshold-'));
const script = join(dir, 'read.mts');
writeFileSync(script, readerScript(ROOT));
try {
  console.log(
    `har-threshold: reading only, ${runs} interleaved runs each, medians (min-max); load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  for (const mb of sizes) {
    const file = join(dir, `${mb}.har`);
    const scale = mb / DEFAULTS.mb;
    generateHar({
      out: file,
      entries: Math.round(DEFAULTS.entries * scale),
      exchanges: Math.round(DEFAULTS.exchanges * scale),
      mb,
      seed: DEFAULTS.seed,
      bearer: 'distinct',
    });
    const samples = { single: [], parallel: [] };
    for (let run = 0; run < runs; run++) {
      for (const mode of run % 2 ? ['parallel', 'single'] : ['single', 'parallel']) {
        const child = spawnSync(process.execPath, ['--import', 'tsx', script, mode, file, pathToFileURL(CLI).href], {
          cwd: ROOT,
          encoding: 'utf8',
        });
        if (child.status !== 0) throw new Error(child.stderr);
        samples[mode].push(JSON.parse(child.stdout));
      }
    }
    const show = (list, key) =>
      `${Math.round(median(list.map((s) => s[key])))} (${Math.round(Math.min(...list.map((s) => s[key])))}-${Math.round(Math.max(...list.map((s) => s[key])))})`;
    console.log(
      `  ${String(mb).padStart(4)} MiB  one thread ${show(samples.single, 'ms')} ms, CPU ${show(samples.single, 'cpuMs')} ms   every core ${show(samples.parallel, 'ms')} ms, CPU ${show(samples.parallel, 'cpuMs')} ms`,
    );
  }
  console.log(
    `  load average after: ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
