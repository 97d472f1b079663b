#!/usr/bin/env node
/**
 * Release packages of the extension, into dist/packages/ (or --out-dir DIR):
 *
 *   tokenscope-chromium-<version>.zip  the release build in extension/, files at the archive root
 *   tokenscope-firefox-<version>.zip   `web-ext build` of the release Firefox build (.cache/extension-firefox)
 *
 *   node scripts/package.mjs [--out-dir DIR]
 *
 * Both builds are release builds: TOKENSCOPE_TEST_HOSTS is ignored here, and a
 * manifest that still looks like a test build (test hosts, the state page) stops
 * the script. The Chromium archive is written with fflate (entries sorted, fixed
 * timestamps: the same build gives the same bytes).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { zipSync } from 'fflate';
import { packageVersion, ROOT, runBuild, shown } from './lib/project.mjs';

const { values } = parseArgs({ options: { 'out-dir': { type: 'string' } } });
const outDir = resolve(values['out-dir'] ?? join(ROOT, 'dist/packages'));
const version = packageVersion();
const chromiumDir = join(ROOT, 'extension');
const firefoxDir = join(ROOT, '.cache/extension-firefox');

/** Files in a build folder that never ship: the test builds' state page, source maps, dotfiles. */
const TEST_ONLY = [/^state\.html$/, /\.map$/, /(^|\/)\./];
/** The same for web-ext (it leaves out dotfiles itself). */
const TEST_ONLY_GLOBS = ['state.html', '**/*.map'];

/** A ZIP archive of `files` ([name, bytes], names with forward slashes): deflated, dated 1 Jan 2000, regular files rw-r--r--. */
function zip(files) {
  const options = { level: 9, mtime: new Date(2000, 0, 1), os: 3, attrs: (0o100644 << 16) >>> 0 };
  return zipSync(Object.fromEntries(files.map(([name, data]) => [name, [data, options]])));
}

/** Every file under `dir` that ships, as [archive name, bytes], sorted by name. */
function shippedFiles(dir) {
  const names = readdirSync(dir, { recursive: true })
    .map((name) => String(name).split(sep).join('/'))
    .filter((name) => statSync(join(dir, name)).isFile())
    .filter((name) => !TEST_ONLY.some((pattern) => pattern.test(name)))
    .sort();
  return names.map((name) => [name, readFileSync(join(dir, name))]);
}

/** Stop if a build folder's manifest is not a release manifest of this version. */
function checkRelease(dir, browser) {
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  const problems = [];
  if (manifest.version !== version) problems.push(`version ${manifest.version}, package.json has ${version}`);
  if (/test build/i.test(manifest.name)) problems.push('a test build (name)');
  if (manifest.host_permissions?.length) problems.push(`host permissions granted up front: ${manifest.host_permissions.join(' ')}`);
  if (manifest.web_accessible_resources?.length) problems.push('web-accessible resources (the test state page)');
  if (browser === 'firefox' && manifest.background?.service_worker) problems.push('background.service_worker in the Firefox manifest');
  if (problems.length > 0) throw new Error(`package: ${shown(dir)} is not a ${browser} release build: ${problems.join('; ')}`);
}

/** The release build for `browser` (extra build arguments), checked; stops on failure. */
function releaseBuild(dir, browser, args) {
  const status = runBuild(args, { release: true });
  if (status !== 0) throw new Error(`package: the ${browser} build failed (exit ${status})`);
  checkRelease(dir, browser);
}

function size(bytes) {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KiB`;
}

mkdirSync(outDir, { recursive: true });

// Chromium: the release build into extension/, zipped here.
releaseBuild(chromiumDir, 'chromium', []);
const chromiumZip = join(outDir, `tokenscope-chromium-${version}.zip`);
const chromiumFiles = shippedFiles(chromiumDir);
writeFileSync(chromiumZip, zip(chromiumFiles));

// Firefox: a clean release build (no files left from an earlier build), packaged by web-ext.
rmSync(firefoxDir, { recursive: true, force: true });
releaseBuild(firefoxDir, 'firefox', ['--browser', 'firefox']);
const firefoxZip = join(outDir, `tokenscope-firefox-${version}.zip`);
const webExt = join(ROOT, 'node_modules/.bin/web-ext');
execFileSync(
  webExt,
  [
    'build',
    '--source-dir',
    firefoxDir,
    '--artifacts-dir',
    outDir,
    '--filename',
    'tokenscope-firefox-{version}.zip',
    '--overwrite-dest',
    '--ignore-files',
    ...TEST_ONLY_GLOBS,
  ],
  { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] },
);

console.log(`package: ${shown(chromiumZip)}  ${size(statSync(chromiumZip).size)} (${chromiumFiles.length} files)`);
console.log(`package: ${shown(firefoxZip)}  ${size(statSync(firefoxZip).size)}`);
