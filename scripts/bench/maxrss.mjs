/**
 * Preload (`node --import scripts/bench/maxrss.mjs ...`): on exit, write this
 * process's peak RSS in KiB (`process.resourceUsage().maxRSS`) to the file
 * named by TOKENSCOPE_BENCH_RSS_FILE. The fallback when /usr/bin/time is missing.
 */
import { writeFileSync } from 'node:fs';

const file = process.env.TOKENSCOPE_BENCH_RSS_FILE;
if (file) {
  process.on('exit', () => {
    writeFileSync(file, `${process.resourceUsage().maxRSS}\n`);
  });
}
