/**
 * scripts/package.mjs: the release (two store archives, the source archive, SHA256SUMS), read back
 * with a ZIP reader of our own (the central directory, each entry inflated and its CRC checked), so
 * no unzip binary is needed; and rebuilt from the source archive alone, byte for byte. It runs with
 * the Firefox tests because it builds (under their build lock).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, sep } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { crc32, inflateRawSync } from 'node:zlib';
import { withBuildLock } from './harness.js';

const root = join(import.meta.dirname, '../..');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };

interface Entry {
  name: string;
  method: number;
  /** The DOS time and date fields of its central directory header, as one number. */
  stamp: number;
  data: Buffer;
}

/** The entries of a ZIP archive, from its central directory (no ZIP64: the archives are small). */
function readZip(archive: Buffer): Entry[] {
  const endAt = archive.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(endAt >= 0 && endAt >= archive.length - 22 - 0xffff, 'an end of central directory record');
  const count = archive.readUInt16LE(endAt + 10);
  let at = archive.readUInt32LE(endAt + 16);
  assert.equal(at + archive.readUInt32LE(endAt + 12), endAt, 'the central directory ends where the end record starts');
  const entries: Entry[] = [];
  for (let i = 0; i < count; i++) {
    assert.equal(archive.readUInt32LE(at), 0x02014b50, 'a central directory header');
    const method = archive.readUInt16LE(at + 10);
    const stamp = archive.readUInt32LE(at + 12);
    const crc = archive.readUInt32LE(at + 16);
    const compressed = archive.readUInt32LE(at + 20);
    const size = archive.readUInt32LE(at + 24);
    const nameLength = archive.readUInt16LE(at + 28);
    const skip = nameLength + archive.readUInt16LE(at + 30) + archive.readUInt16LE(at + 32);
    const offset = archive.readUInt32LE(at + 42);
    const name = archive.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    at += 46 + skip;

    assert.equal(archive.readUInt32LE(offset), 0x04034b50, `a local header for ${name}`);
    const start = offset + 30 + archive.readUInt16LE(offset + 26) + archive.readUInt16LE(offset + 28);
    const raw = archive.subarray(start, start + compressed);
    assert.ok(method === 0 || method === 8, `${name}: stored or deflated (method ${method})`);
    const data = method === 8 ? inflateRawSync(raw) : Buffer.from(raw);
    assert.equal(data.length, size, `${name}: size`);
    assert.equal(crc32(data), crc, `${name}: CRC-32`);
    entries.push({ name, method, stamp, data });
  }
  return entries;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true })
    .map((name) => String(name).split(sep).join('/'))
    .filter((name) => statSync(join(dir, name)).isFile())
    .sort();
}

interface Manifest {
  name: string;
  version: string;
  background: { service_worker?: string; scripts?: string[] };
  action: { default_popup: string; default_icon: Record<string, string> };
  icons: Record<string, string>;
  devtools_page: string;
  permissions: string[];
  host_permissions?: string[];
  web_accessible_resources?: unknown[];
  minimum_chrome_version?: string;
  browser_specific_settings: { gecko: { id: string } };
}

describe('scripts/package.mjs: release archives', () => {
  let out: string;
  const archives: Record<'chromium' | 'firefox' | 'source', Entry[]> = { chromium: [], firefox: [], source: [] };
  let printed = '';

  before(async () => {
    out = mkdtempSync(join(tmpdir(), 'tokenscope-packages-'));
    printed = await withBuildLock(() =>
      execFileSync(process.execPath, [join(root, 'scripts/package.mjs'), '--out-dir', out], {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, TOKENSCOPE_TEST_HOSTS: 'http://127.0.0.1/*' },
      }),
    );
    for (const browser of ['chromium', 'firefox', 'source'] as const)
      archives[browser] = readZip(readFileSync(join(out, `tokenscope-${browser}-${version}.zip`)));
  });

  after(() => {
    if (out) rmSync(out, { recursive: true, force: true });
  });

  test('three archives named with the version and their SHA-256 sums; their paths and sizes printed', () => {
    const names = ['chromium', 'firefox', 'source'].map((kind) => `tokenscope-${kind}-${version}.zip`);
    assert.deepEqual(readdirSync(out).sort(), ['SHA256SUMS', ...names]);
    // sha256sum's own format: `sha256sum -c SHA256SUMS` checks them.
    const sums = names
      .map(
        (name) =>
          `${createHash('sha256')
            .update(readFileSync(join(out, name)))
            .digest('hex')}  ${name}\n`,
      )
      .join('');
    assert.equal(readFileSync(join(out, 'SHA256SUMS'), 'utf8'), sums);
    assert.match(printed, /npm ci && npm run package/, 'the rebuild command is printed');
    for (const browser of ['chromium', 'firefox', 'source']) {
      const size = statSync(join(out, `tokenscope-${browser}-${version}.zip`)).size;
      assert.ok(size > 10_000, `${browser}: ${size} bytes`);
      assert.match(printed, new RegExp(`tokenscope-${browser}-${version.replace(/\./g, '\\.')}\\.zip\\s+\\d+(\\.\\d)? KiB`));
    }
  });

  for (const browser of ['chromium', 'firefox'] as const) {
    test(`${browser}: a release build, manifest at the root, nothing test-only, every file the manifest names`, () => {
      const entries = archives[browser];
      const names = entries.map((e) => e.name).filter((name) => !name.endsWith('/'));
      const manifestEntry = entries.find((e) => e.name === 'manifest.json');
      assert.ok(manifestEntry, 'manifest.json at the archive root');
      const manifest = JSON.parse(manifestEntry.data.toString('utf8')) as Manifest;
      assert.equal(manifest.version, version);
      assert.equal(manifest.name, 'Tokenscope', 'not a test build');
      assert.equal(manifest.host_permissions, undefined, 'no host granted up front (TOKENSCOPE_TEST_HOSTS ignored)');
      assert.equal(manifest.web_accessible_resources, undefined);

      for (const name of names) {
        assert.ok(!name.startsWith('/') && !name.split('/').includes('..'), `a relative path: ${name}`);
        assert.ok(!/(^|\/)state\.html$/.test(name), 'no test state page');
        assert.ok(!name.endsWith('.map'), `no source map: ${name}`);
        assert.ok(!/(^|\/)\./.test(name), `no dotfile: ${name}`);
      }
      const named = [
        ...(manifest.background.scripts ?? []),
        ...(manifest.background.service_worker ? [manifest.background.service_worker] : []),
        manifest.action.default_popup,
        manifest.devtools_page,
        ...Object.values(manifest.icons),
        ...Object.values(manifest.action.default_icon),
        'page-hook.js', // registered at run time (scripting.registerContentScripts)
        'relay.js',
        'panel.html',
        'rules.html',
      ];
      for (const name of named) assert.ok(names.includes(name), `${name} in the archive`);
      for (const page of names.filter((name) => name.endsWith('.html'))) {
        // What each page loads is in the archive too.
        const html = entries.find((e) => e.name === page)?.data.toString('utf8') ?? '';
        for (const [, src] of html.matchAll(/\s(?:src|href)="([^"#?:]+)"/g))
          assert.ok(names.includes(src ?? ''), `${page} loads ${src}, which is in the archive`);
      }

      if (browser === 'chromium') {
        assert.equal(manifest.background.service_worker, 'background.js');
        assert.ok(manifest.minimum_chrome_version);
        // No webRequest in Chromium: any listener there slows every request of every page.
        for (const permission of ['webRequest', 'webRequestBlocking', 'webRequestFilterResponse'])
          assert.ok(!manifest.permissions.includes(permission), permission);
        // Exactly the release build in extension/, byte for byte.
        assert.deepEqual(names, filesUnder(join(root, 'extension')));
        for (const entry of entries)
          assert.ok(entry.data.equals(readFileSync(join(root, 'extension', entry.name))), `${entry.name} as built`);
        assert.ok(
          entries.some((e) => e.method === 8),
          'deflated',
        );
      } else {
        assert.equal(manifest.background.service_worker, undefined);
        assert.deepEqual(manifest.background.scripts, ['background.js']);
        assert.equal(manifest.minimum_chrome_version, undefined);
        assert.equal(manifest.browser_specific_settings.gecko.id, 'tokenscope@tokenscope.dev');
        for (const permission of ['webRequest', 'webRequestBlocking', 'webRequestFilterResponse'])
          assert.ok(manifest.permissions.includes(permission));
      }
    });
  }

  test('the same files in both, the manifest aside', () => {
    const files = (browser: 'chromium' | 'firefox') =>
      new Map(archives[browser].filter((e) => !e.name.endsWith('/') && e.name !== 'manifest.json').map((e) => [e.name, e.data]));
    const [chromium, firefox] = [files('chromium'), files('firefox')];
    assert.deepEqual([...firefox.keys()].sort(), [...chromium.keys()].sort());
  });

  test('every archive deterministic: entries sorted, one fixed date (1 Jan 2000), deflated', () => {
    // DOS date 2000-01-01 00:00: ((2000 - 1980) << 9 | 1 << 5 | 1) << 16, time 0.
    const jan2000 = (((2000 - 1980) << 9) | (1 << 5) | 1) * 0x10000;
    for (const kind of ['chromium', 'firefox', 'source'] as const) {
      const names = archives[kind].map((e) => e.name);
      assert.deepEqual(names, [...names].sort(), `${kind}: sorted`);
      for (const entry of archives[kind]) assert.equal(entry.stamp, jan2000, `${kind}: ${entry.name} dated 1 Jan 2000`);
      assert.ok(
        archives[kind].every((e) => e.method === 8 || e.data.length < 64),
        `${kind}: deflated`,
      );
    }
  });

  test('the source archive: what the build reads and how to rebuild, no tests, no build output', () => {
    const names = archives.source.map((e) => e.name);
    for (const name of [
      'package.json',
      'package-lock.json',
      'manifest.json',
      'docs/RELEASE.md',
      'docs/RULES.md',
      'PRIVACY.md',
      'scripts/build.mjs',
    ])
      assert.ok(names.includes(name), `${name} in the source archive`);
    assert.ok(names.includes('src/background/index.ts'));
    assert.ok(names.includes('extension/popup.html'), 'the static pages');
    for (const name of names) {
      assert.ok(!/^(test|node_modules|dist|\.cache)\//.test(name), `not a test or an output: ${name}`);
      assert.ok(!/^extension\/([^/]+\.js|manifest\.json|rules\.html|chunks\/)/.test(name), `not a build output: ${name}`);
      assert.ok(!/(^|\/)\./.test(name), `no dotfile: ${name}`);
    }
    const release = archives.source.find((e) => e.name === 'docs/RELEASE.md')?.data.toString('utf8') ?? '';
    assert.match(release, /npm ci\s+#[^\n]*\nnpm run package/, 'docs/RELEASE.md says how to rebuild');
  });

  test('rebuilt from the source archive alone (unpacked into an empty folder): the same bytes, the same sums', async () => {
    const rebuild = mkdtempSync(join(tmpdir(), 'tokenscope-rebuild-'));
    try {
      for (const entry of archives.source) {
        mkdirSync(dirname(join(rebuild, entry.name)), { recursive: true });
        writeFileSync(join(rebuild, entry.name), entry.data);
      }
      // `npm ci` would install package-lock.json's versions: the ones already installed here (no registry in the tests).
      symlinkSync(realpathSync(join(root, 'node_modules')), join(rebuild, 'node_modules'));
      execFileSync(process.execPath, [join(rebuild, 'scripts/package.mjs')], { cwd: rebuild, stdio: 'pipe' });
      const rebuilt = join(rebuild, 'dist/packages');
      assert.deepEqual(readdirSync(rebuilt).sort(), readdirSync(out).sort());
      for (const name of readdirSync(out))
        assert.ok(readFileSync(join(rebuilt, name)).equals(readFileSync(join(out, name))), `${name}: the same bytes`);
    } finally {
      rmSync(rebuild, { recursive: true, force: true });
    }
  });
});
