/**
 * scripts/package.mjs: the two release archives, read back with a ZIP reader of
 * our own (the central directory, each entry inflated and its CRC checked), so
 * no unzip binary is needed. It runs with the Firefox tests because it builds
 * (under their build lock) and packages with web-ext.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { crc32, inflateRawSync } from 'node:zlib';
import { withBuildLock } from './harness.js';

const root = join(import.meta.dirname, '../..');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };

interface Entry {
  name: string;
  method: number;
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
    entries.push({ name, method, data });
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
  const archives: Record<'chromium' | 'firefox', Entry[]> = { chromium: [], firefox: [] };
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
    for (const browser of ['chromium', 'firefox'] as const)
      archives[browser] = readZip(readFileSync(join(out, `tokenscope-${browser}-${version}.zip`)));
  });

  after(() => {
    if (out) rmSync(out, { recursive: true, force: true });
  });

  test('two archives named with the version; their paths and sizes printed', () => {
    assert.deepEqual(readdirSync(out).sort(), [`tokenscope-chromium-${version}.zip`, `tokenscope-firefox-${version}.zip`]);
    for (const browser of ['chromium', 'firefox']) {
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
});
