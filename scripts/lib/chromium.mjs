/** Chromium's binary for Playwright: branded Chrome 137+ ignores --load-extension, so Chromium or Chrome for Testing. */
import { existsSync } from 'node:fs';

const KNOWN = [
  '/usr/lib/chromium/chromium',
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
];

/** $CHROMIUM_PATH, else a usual install path, else the first of `fallbacks` that exists; throws when none does. */
export function chromiumPath(fallbacks = []) {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (existsSync(fromEnv)) return fromEnv;
    throw new Error(`CHROMIUM_PATH is set to ${fromEnv}, which does not exist.`);
  }
  const found = [...KNOWN, ...fallbacks].find((path) => path && existsSync(path));
  if (found) return found;
  throw new Error(
    'no Chromium found. Install one (Debian/Ubuntu: sudo apt-get install chromium), or set CHROMIUM_PATH to a Chromium or Chrome for Testing binary (branded Google Chrome ignores --load-extension).',
  );
}
