/**
 * bundle-sizes: bytes and gzip bytes of each built entry in extension/ (the release build), and of
 * what opening it loads.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { shown } from '../lib/project.mjs';
import { ENTRIES, ensureReleaseBuild, RELEASE_BUILD } from './browser.mjs';
import { tableRow } from './table.mjs';

const STATIC_IMPORT = /(?:^|[;}\s])(?:import|export)\s*(?:[\w$*{}\s,]*from\s*)?["'](\.{1,2}\/[^"']+)["']/g;
const DYNAMIC_IMPORT = /\bimport\(\s*["'](\.{1,2}\/[^"']+)["']\s*\)/g;

/** Built files, each read once: bytes, gzip bytes (zlib level 9), and the files it imports statically and with import(). */
export function builtFiles() {
  const files = new Map();
  const file = (path) => {
    if (!files.has(path)) {
      const bytes = readFileSync(path);
      const text = bytes.toString('utf8');
      const refs = (pattern) => [...text.matchAll(pattern)].map((m) => join(dirname(path), m[1]));
      files.set(path, {
        bytes: bytes.length,
        gzip: gzipSync(bytes, { level: 9 }).length,
        imports: refs(STATIC_IMPORT),
        lazy: refs(DYNAMIC_IMPORT),
      });
    }
    return files.get(path);
  };
  /** `path` and what it imports statically, transitively: what the browser loads to show it. */
  const closure = (path, seen = new Set()) => {
    if (seen.has(path)) return seen;
    seen.add(path);
    for (const next of file(path).imports) closure(next, seen);
    return seen;
  };
  return { file, closure };
}

/**
 * Bytes and gzip bytes (zlib level 9) of each built entry in extension/ (the release build, minified as built).
 * The views are ES modules sharing chunks (scripts/build.mjs): an entry's "at open" figure adds the chunks it
 * imports statically, transitively (what the browser loads to show it); chunks imported with import() load later.
 */
export async function benchBundleSizes({ log = console.log } = {}) {
  ensureReleaseBuild(log);
  const { file, closure } = builtFiles();
  const name = (path) => relative(RELEASE_BUILD, path);
  const sum = (paths, field) => [...paths].reduce((total, path) => total + file(path)[field], 0);
  const entries = ENTRIES.map((entry) => {
    const path = join(RELEASE_BUILD, entry);
    const loaded = closure(path);
    const lazy = new Set([...loaded].flatMap((p) => file(p).lazy).filter((p) => !loaded.has(p)));
    return {
      name: entry,
      bytes: file(path).bytes,
      gzip: file(path).gzip,
      atOpen: { bytes: sum(loaded, 'bytes'), gzip: sum(loaded, 'gzip'), files: [...loaded].map(name) },
      lazy: [...lazy].map(name),
    };
  });
  const chunksDir = join(RELEASE_BUILD, 'chunks');
  const chunks = existsSync(chunksDir)
    ? readdirSync(chunksDir)
        .filter((f) => f.endsWith('.js'))
        .sort()
        .map((f) => ({ name: `chunks/${f}`, bytes: file(join(chunksDir, f)).bytes, gzip: file(join(chunksDir, f)).gzip }))
    : [];
  const all = [...entries, ...chunks];
  const total = { files: all.length, bytes: all.reduce((s, e) => s + e.bytes, 0), gzip: all.reduce((s, e) => s + e.gzip, 0) };
  return {
    name: 'bundle-sizes',
    title: 'Bundle sizes: extension/ entries, minified as built',
    dir: shown(RELEASE_BUILD),
    gzip: 'node:zlib gzipSync level 9, per file',
    entries,
    chunks,
    total,
    pass: { allBuilt: entries.every((e) => e.bytes > 0) },
  };
}

export function formatBundleSizes(result) {
  const row = tableRow(38, 11);
  const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
  return [
    `${result.title} (${result.dir}/; gzip: ${result.gzip})`,
    row(['file', 'bytes', 'gzip', 'at open', 'gzip', '']),
    ...result.entries.map((e) =>
      row([
        e.name,
        e.bytes,
        e.gzip,
        e.atOpen.bytes,
        e.atOpen.gzip,
        e.atOpen.files.length > 1 ? ` (${e.atOpen.files.length} files${e.lazy.length ? `, +${e.lazy.length} lazy` : ''})` : '',
      ]),
    ),
    ...result.chunks.map((c) => row([c.name, c.bytes, c.gzip])),
    row([`all ${result.total.files} .js files`, result.total.bytes, result.total.gzip, kib(result.total.bytes), kib(result.total.gzip)]),
    '  at open: the entry plus the chunks it imports statically (transitively); lazy: chunks it loads with import()',
  ].join('\n');
}
