#!/usr/bin/env node
/**
 * The release, into dist/packages/ (or --out-dir DIR):
 *
 *   tokenscope-chromium-<version>.zip  the Chrome Web Store package: the release build in extension/
 *   tokenscope-firefox-<version>.zip   the addons.mozilla.org package: the release Firefox build (.cache/extension-firefox)
 *   tokenscope-source-<version>.zip    the sources both are built from, for AMO's reviewers (docs/RELEASE.md)
 *   SHA256SUMS                         `sha256sum -c SHA256SUMS` checks the three
 *
 *   node scripts/package.mjs [--out-dir DIR]      (npm run package)
 *
 * Every archive is deterministic: entries sorted by name, every date 1 Jan 2000 00:00, every file
 * rw-r--r--, deflated by the fflate of package-lock.json. So the same sources give the same bytes,
 * and `npm ci && npm run package` in the unpacked source archive gives the same three archives and
 * the same SHA256SUMS (test/firefox/package.test.ts rebuilds and compares).
 *
 * Both builds are release builds: TOKENSCOPE_TEST_HOSTS is ignored here, and a manifest that still
 * looks like a test build (test hosts, the state page) stops the script. The version is package.json's:
 * the build writes it into each manifest.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
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

/**
 * What the source archive holds: everything `npm ci && npm run package` reads, and the docs a reviewer
 * wants. Not the tests, not node_modules, not build outputs (EXCLUDED_SOURCES).
 */
const SOURCES = [
  'CHANGELOG.md',
  'PRIVACY.md',
  'README.md',
  'docs/RELEASE.md',
  'docs/RULES.md',
  'extension',
  'manifest.json',
  'package-lock.json',
  'package.json',
  'report.schema.json',
  'scripts',
  'src',
  'tsconfig.json',
  'tsconfig.lib.json',
];
/** Build outputs inside SOURCES (.gitignore lists them too), and dotfiles. */
const EXCLUDED_SOURCES = [
  /^extension\/[^/]+\.js$/,
  /^extension\/manifest\.json$/,
  /^extension\/rules\.html$/,
  /^extension\/chunks\//,
  /(^|\/)\./,
];

/** The fixed date of every entry: 1 Jan 2000 00:00 in local time, which is what a ZIP's DOS date stores, so any time zone gives the same bytes. */
const ZIP_DATE = new Date(2000, 0, 1);

/** A deterministic ZIP of `files` ([name, bytes], names with forward slashes): sorted, deflated, fixed date, rw-r--r--. */
function zip(files) {
  const options = { level: 9, mtime: ZIP_DATE, os: 3, attrs: (0o100644 << 16) >>> 0 };
  const sorted = [...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return zipSync(Object.fromEntries(sorted.map(([name, data]) => [name, [data, options]])));
}

/** Every file under `dir` (names relative to it, with forward slashes), sorted. */
function filesUnder(dir) {
  return readdirSync(dir, { recursive: true })
    .map((name) => String(name).split(sep).join('/'))
    .filter((name) => statSync(join(dir, name)).isFile())
    .sort();
}

/** Every file under `dir` that ships, as [archive name, bytes]. */
function shippedFiles(dir) {
  return filesUnder(dir)
    .filter((name) => !TEST_ONLY.some((pattern) => pattern.test(name)))
    .map((name) => [name, readFileSync(join(dir, name))]);
}

/** The source archive's files, as [name, bytes]: SOURCES below the project folder, build outputs left out. */
function sourceFiles() {
  /** @type {string[]} */
  const names = [];
  for (const path of SOURCES) {
    const full = join(ROOT, path);
    if (!existsSync(full)) throw new Error(`package: ${path} is missing (the source archive needs it)`);
    if (statSync(full).isDirectory()) names.push(...filesUnder(full).map((name) => `${path}/${name}`));
    else names.push(path);
  }
  return names
    .filter((name) => !EXCLUDED_SOURCES.some((pattern) => pattern.test(name)))
    .map((name) => [name, readFileSync(join(ROOT, name))]);
}

/** Stop if a build folder's manifest is not a release manifest of this version. */
function checkRelease(dir, browser) {
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  const problems = [];
  if (manifest.version !== version) problems.push(`version ${manifest.version}, package.json has ${version}`);
  if (/test build/i.test(manifest.name)) problems.push('a test build (name)');
  if (manifest.host_permissions?.length) problems.push(`host permissions granted up front: ${manifest.host_permissions.join(' ')}`);
  if (manifest.web_accessible_resources?.length) problems.push('web-accessible resources (a test or demo page)');
  if (browser === 'firefox' && manifest.background?.service_worker) problems.push('background.service_worker in the Firefox manifest');
  if (problems.length > 0) throw new Error(`package: ${shown(dir)} is not a ${browser} release build: ${problems.join('; ')}`);
}

/** A clean release build for `browser` (extra build arguments) in `dir`, checked; throws on failure. */
function releaseBuild(dir, browser, args) {
  // No file left from an earlier build (a test build's state page, an old chunk) can reach the package.
  if (dir !== chromiumDir) rmSync(dir, { recursive: true, force: true });
  const status = runBuild(args, { release: true });
  if (status !== 0) throw new Error(`package: the ${browser} build failed (exit ${status})`);
  checkRelease(dir, browser);
}

function size(bytes) {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KiB`;
}

mkdirSync(outDir, { recursive: true });
/** @type {Array<[string, Uint8Array, number]>} [file name, bytes, number of files in it] */
const written = [];
// The sources first: read before the builds run, so nothing the builds write can slip in.
const sources = sourceFiles();
written.push([`tokenscope-source-${version}.zip`, zip(sources), sources.length]);

releaseBuild(chromiumDir, 'chromium', []);
const chromiumFiles = shippedFiles(chromiumDir);
written.push([`tokenscope-chromium-${version}.zip`, zip(chromiumFiles), chromiumFiles.length]);

releaseBuild(firefoxDir, 'firefox', ['--browser', 'firefox']);
const firefoxFiles = shippedFiles(firefoxDir);
written.push([`tokenscope-firefox-${version}.zip`, zip(firefoxFiles), firefoxFiles.length]);

written.sort(([a], [b]) => (a < b ? -1 : 1));
const sums = written.map(([name, bytes]) => `${createHash('sha256').update(bytes).digest('hex')}  ${name}\n`).join('');
for (const [name, bytes] of written) writeFileSync(join(outDir, name), bytes);
writeFileSync(join(outDir, 'SHA256SUMS'), sums);

for (const [name, bytes, count] of written) console.log(`package: ${shown(join(outDir, name))}  ${size(bytes.length)} (${count} files)`);
console.log(`package: ${shown(join(outDir, 'SHA256SUMS'))}\n${sums.trimEnd().replace(/^/gm, '  ')}`);
console.log(
  `package: rebuild from the source archive (docs/RELEASE.md): unzip tokenscope-source-${version}.zip -d tokenscope-${version} && cd tokenscope-${version} && npm ci && npm run package && cmp dist/packages/SHA256SUMS ${join(outDir, 'SHA256SUMS')}`,
);
