/** Promises the project makes about itself: a pure core, one version. */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { RULES } from '../../src/core/rules/catalogue.js';
import { VERSION } from '../../src/core/version.js';

const root = join(import.meta.dirname, '../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

test('src/core touches no browser API, DOM or Node module: it runs everywhere', () => {
  const forbidden =
    /\b(chrome|browser|document|window|localStorage|XMLHttpRequest)\s*[.[]|from\s+['"](node:|fs|path|webextension-polyfill|preact)/;
  for (const file of sourceFiles(join(root, 'src/core'))) {
    const code = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
    assert.doesNotMatch(code, forbidden, file);
  }
});

test('reports carry the package version', () => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  assert.equal(VERSION, pkg.version);
});

test('docs/RULES.md explains every rule under its id, with its standard', () => {
  const doc = readFileSync(join(root, 'docs/RULES.md'), 'utf8');
  for (const rule of Object.values(RULES)) {
    const section = doc.split(/^## /m).find((part) => part.startsWith(`\`${rule.id}\``) || part.startsWith(rule.id));
    assert.ok(section, `docs/RULES.md has a "## ${rule.id}" section`);
    assert.ok(section.includes(rule.standard.split(';')[0]?.trim() ?? ''), `${rule.id} cites ${rule.standard}`);
  }
});

test('the core bundles for a browser with its packages (tldts, jwt-decode, @noble/hashes): no Node module, no require', async () => {
  const { build } = await import('esbuild');
  // esbuild refuses a Node built-in (fs, path, ...) on the browser platform: the build itself is the check.
  const result = await build({
    entryPoints: [join(root, 'src/core/analysis/index.ts'), join(root, 'src/core/site.ts')],
    bundle: true,
    write: false,
    platform: 'browser',
    format: 'esm',
    outdir: 'out',
    logLevel: 'silent',
  });
  assert.equal(result.errors.length, 0);
  for (const file of result.outputFiles) {
    assert.doesNotMatch(file.text, /\brequire\(|\bprocess\.(env|versions)|\bBuffer\./, file.path);
  }
  // The Public Suffix List came along: a private-section suffix decides the site.
  const { siteOf } = await import('../../src/core/site.js');
  assert.equal(siteOf('alice.github.io'), 'alice.github.io');
  assert.equal(siteOf('transfer.api.globus.org'), 'globus.org');
});

test("the popup's first load leaves the Public Suffix List out (tldts: the rules need it, the views do not)", async () => {
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [join(root, 'src/ui/popup/index.ts'), join(root, 'src/ui/popup/boot.ts')],
    bundle: true,
    write: false,
    metafile: true,
    platform: 'browser',
    format: 'esm',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    outdir: 'out',
    logLevel: 'silent',
  });
  const inputs = Object.keys(result.metafile.inputs);
  assert.deepEqual(
    inputs.filter((input) => input.includes('node_modules/tldts') || input.endsWith('src/core/site.ts')),
    [],
  );
  assert.ok(
    inputs.some((input) => input.endsWith('src/core/analysis/token-map.ts')),
    'the map is in it',
  );
  // The boot script is a few hundred bytes: no view code, no polyfill.
  const boot = result.outputFiles.find((file) => file.path.endsWith('boot.js'));
  assert.ok(boot && boot.text.length < 2_000, `boot.js is ${boot?.text.length} bytes`);
});
