/**
 * What every benchmark shares: timing a whole process with its peak RSS,
 * machine info, making sure the CLI is built, writing results.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { newestMtime, ROOT, runBuild } from '../lib/project.mjs';

export const OUT_DIR = join(ROOT, 'bench-out');
export const CLI = join(ROOT, 'dist', 'tokenscope.mjs');

const GNU_TIME = '/usr/bin/time';
const MAXRSS_PRELOAD = join(dirname(fileURLToPath(import.meta.url)), 'maxrss.mjs');

/**
 * How peak RSS is measured: GNU time's %M (the kernel's ru_maxrss for the child,
 * from wait4) when /usr/bin/time works, else a preload that reports
 * `process.resourceUsage().maxRSS` on exit (same counter, read from inside).
 * TOKENSCOPE_BENCH_RSS=preload|gnu-time forces one.
 */
let rssMethod;
export function peakRssMethod() {
  if (rssMethod) return rssMethod;
  if (process.env.TOKENSCOPE_BENCH_RSS === 'preload' || process.env.TOKENSCOPE_BENCH_RSS === 'gnu-time') {
    rssMethod = process.env.TOKENSCOPE_BENCH_RSS;
    return rssMethod;
  }
  const probe = existsSync(GNU_TIME) ? spawnSync(GNU_TIME, ['-f', '%M', 'true'], { encoding: 'utf8' }) : null;
  rssMethod = probe && probe.status === 0 && /^\d+\s*$/.test(probe.stderr.trim().split('\n').pop() ?? '') ? 'gnu-time' : 'preload';
  return rssMethod;
}

/**
 * Run `node ...args` as a whole process. Wall time is from spawn to exit, seen from
 * this (idle) parent; peak RSS is the child's ru_maxrss. stdout goes to `stdoutFile`
 * (or /dev/null). Resolves { ms, rssKiB, cpuMs, code, stderr }: cpuMs is the child's user + system
 * CPU time, which other load on the machine disturbs less than wall time.
 */
export function runNode(args, { stdoutFile = null, env = {} } = {}) {
  const method = peakRssMethod();
  mkdirSync(OUT_DIR, { recursive: true });
  const rssFile = join(OUT_DIR, `.rss-${process.pid}`);
  rmSync(rssFile, { force: true });
  let command;
  let argv;
  const childEnv = { ...process.env, ...env };
  if (method === 'gnu-time') {
    command = GNU_TIME;
    argv = ['-f', '%M %U %S', '-o', rssFile, process.execPath, ...args];
  } else {
    command = process.execPath;
    argv = ['--import', MAXRSS_PRELOAD, ...args];
    childEnv.TOKENSCOPE_BENCH_RSS_FILE = rssFile;
  }
  const out = openSync(stdoutFile ?? '/dev/null', 'w');
  return new Promise((resolvePromise, reject) => {
    const started = performance.now();
    const child = spawn(command, argv, { stdio: ['ignore', out, 'pipe'], env: childEnv });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      if (stderr.length < 64 * 1024) stderr += chunk;
    });
    child.on('error', (error) => {
      closeSync(out);
      reject(error);
    });
    child.on('exit', (code, signal) => {
      const ms = performance.now() - started;
      closeSync(out);
      // `exit` can come before stderr is drained; wait for `close` for the text.
      child.on('close', () => {
        let rssKiB = null;
        let cpuMs = null;
        try {
          const lines = readFileSync(rssFile, 'utf8').trim().split('\n');
          const [rss, user, system] = (lines[lines.length - 1] ?? '').trim().split(/\s+/).map(Number);
          rssKiB = rss;
          cpuMs = Number.isFinite(user) && Number.isFinite(system) ? Math.round((user + system) * 1000) : null;
        } catch {
          // Reported below as a failure to measure.
        }
        rmSync(rssFile, { force: true });
        if (!Number.isFinite(rssKiB) || rssKiB <= 0) {
          reject(new Error(`could not read the peak RSS of: node ${args.join(' ')} (${method})\n${stderr}`));
          return;
        }
        resolvePromise({ ms, rssKiB, cpuMs, code: code ?? (signal ? 128 : 1), signal, stderr });
      });
    });
  });
}

export function machineInfo() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model?.trim() ?? 'unknown',
    cores: cpus.length,
    availableParallelism: os.availableParallelism?.() ?? cpus.length,
    memoryGiB: +(os.totalmem() / 1024 ** 3).toFixed(1),
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    node: process.version,
    v8: process.versions.v8,
    loadAverage: os.loadavg().map((l) => +l.toFixed(2)),
    peakRssMethod: peakRssMethod(),
  };
}

/** Build the CLI bundle when it is missing (or when asked); warn when it is older than src/. */
export function ensureBuilt({ force = false, log = console.log } = {}) {
  if (!force && existsSync(CLI)) {
    if (existsSync(join(ROOT, 'src')) && newestMtime(join(ROOT, 'src')) > statSync(CLI).mtimeMs) {
      log('bench: warning: dist/tokenscope.mjs is older than src/; run with --build (or npm run build) to measure the current code');
    }
    return;
  }
  log('bench: building dist/tokenscope.mjs');
  if (runBuild() !== 0 || !existsSync(CLI)) throw new Error('bench: the build failed');
}

export function writeJson(path, value) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
}

/** A target met or missed, as the tables say it. */
export const verdict = (ok) => (ok ? 'PASS' : 'MISS');
