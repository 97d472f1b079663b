/** Where the project is, its version, and its build (scripts/build.mjs) run as a child process. */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** package.json's version. */
export const packageVersion = () => JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;

/** A path as shown to the user: relative to the project when inside it. */
export function shown(path) {
  const inside = relative(ROOT, path);
  return inside.startsWith('..') ? path : inside || '.';
}

/** The newest mtime of a file, or of any file below a folder. */
export function newestMtime(path) {
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = 0;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)));
  return newest;
}

/**
 * Run scripts/build.mjs with `args`; its output goes to this process's. TOKENSCOPE_TEST_HOSTS is
 * passed on unless `release` (a release build whatever the caller's environment says).
 * Returns the exit status (null when killed by a signal).
 */
export function runBuild(args = [], { release = false } = {}) {
  const env = { ...process.env };
  if (release) delete env.TOKENSCOPE_TEST_HOSTS;
  const build = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs'), ...args], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (build.error) throw build.error;
  return build.status;
}
