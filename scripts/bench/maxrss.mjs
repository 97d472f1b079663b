/**
 * Preload (`node --import scripts/bench/maxrss.mjs ...`): on exit, write this
 * process's peak RSS in KiB (`process.resourceUsage().maxRSS`) to the file
 * named by TOKENSCOPE_BENCH_RSS_FILE. The fallback when /usr/bin/time is missing.
 */
import { writeFileSync } from 'node:fs';

const file = process.env.TOKENSCOPE_BENCH_RSS_FILE;
if (file) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    writeFileSync(file, `${usage.maxRSS} ${usage.userCPUTime / 1e6} ${usage.systemCPUTime / 1e6}\n`);
  });
}
