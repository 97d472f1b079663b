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
 * the script. The Chromium archive is written by the small ZIP writer below
 * (deflate from node:zlib, entries sorted, fixed timestamps: the same build gives
 * the same bytes); no zip binary or npm package is needed.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { deflateRawSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { 'out-dir': { type: 'string' } } });
const outDir = resolve(values['out-dir'] ?? join(root, 'dist/packages'));
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const chromiumDir = join(root, 'extension');
const firefoxDir = join(root, '.cache/extension-firefox');

/** Files in a build folder that never ship: the test builds' state page, source maps, dotfiles. */
const TEST_ONLY = [/^state\.html$/, /\.map$/, /(^|\/)\./];
/** The same for web-ext (it leaves out dotfiles itself). */
const TEST_ONLY_GLOBS = ['state.html', '**/*.map'];

// --- ZIP (PKWARE APPNOTE 6.3: local headers, central directory, end record; no ZIP64, no encryption) ---

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes) {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** 1 Jan 2000, 00:00, as MS-DOS time and date: fixed, so the archive depends on the files alone. */
const DOS_TIME = 0;
const DOS_DATE = ((2000 - 1980) << 9) | (1 << 5) | 1;

/** A ZIP archive of `files` ([name, bytes], names with forward slashes), deflated where that is smaller. */
function zip(files) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const [name, data] of files) {
    const nameBytes = Buffer.from(name, 'utf8');
    const deflated = deflateRawSync(data, { level: 9 });
    const [method, body] = deflated.length < data.length ? [8, deflated] : [0, data];
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed: 2.0 (deflate)
    local.writeUInt16LE(0x0800, 6); // flags: names are UTF-8
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(0, 28); // no extra field
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by: Unix, 2.0
    local.copy(central, 6, 4, 30); // version needed .. name length: as in the local header
    central.writeUInt16LE(0, 32); // comment length
    central.writeUInt16LE(0, 34); // disk number
    central.writeUInt16LE(0, 36); // internal attributes
    central.writeUInt32LE((0o100644 << 16) >>> 0, 38); // external attributes: a regular file, rw-r--r--
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, body);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8); // entries on this disk
  end.writeUInt16LE(files.length, 10); // entries in all
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  if (files.length > 0xffff || offset + directory.length > 0xffffffff) throw new Error('zip: too large for a ZIP without ZIP64');
  return Buffer.concat([...locals, directory, end]);
}

// --- The packages ---

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
  if (problems.length > 0) throw new Error(`package: ${relative(root, dir) || dir} is not a ${browser} release build: ${problems.join('; ')}`);
}

function run(command, args) {
  // A release build whatever the caller's environment says.
  const env = { ...process.env };
  delete env.TOKENSCOPE_TEST_HOSTS;
  execFileSync(command, args, { cwd: root, env, stdio: ['ignore', 'inherit', 'inherit'] });
}

function size(bytes) {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KiB`;
}

mkdirSync(outDir, { recursive: true });

// Chromium: the release build into extension/, zipped here.
run(process.execPath, [join(root, 'scripts/build.mjs')]);
checkRelease(chromiumDir, 'chromium');
const chromiumZip = join(outDir, `tokenscope-chromium-${version}.zip`);
const chromiumFiles = shippedFiles(chromiumDir);
writeFileSync(chromiumZip, zip(chromiumFiles));

// Firefox: a clean release build (no files left from an earlier build), packaged by web-ext.
rmSync(firefoxDir, { recursive: true, force: true });
run(process.execPath, [join(root, 'scripts/build.mjs'), '--browser', 'firefox']);
checkRelease(firefoxDir, 'firefox');
const firefoxZip = join(outDir, `tokenscope-firefox-${version}.zip`);
const webExt = join(root, 'node_modules/.bin/web-ext');
run(webExt, ['build', '--source-dir', firefoxDir, '--artifacts-dir', outDir, '--filename', 'tokenscope-firefox-{version}.zip', '--overwrite-dest', '--ignore-files', ...TEST_ONLY_GLOBS]);

const shown = (path) => (relative(root, path).startsWith('..') ? path : relative(root, path));
console.log(`package: ${shown(chromiumZip)}  ${size(statSync(chromiumZip).size)} (${chromiumFiles.length} files)`);
console.log(`package: ${shown(firefoxZip)}  ${size(statSync(firefoxZip).size)}`);
