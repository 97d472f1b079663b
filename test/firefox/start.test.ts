/**
 * `npm start -- --headless` as a user runs it, in both browsers: the demo builds, signs in by itself, checks
 * the popup and saves its picture; exit 0 and a PNG of the whole popup. And a browser named by its variable
 * but missing: exit 2 with the message, before any build. (Installing a missing browser is decided by
 * scripts/lib/browser-install.mjs, unit-tested with the machine injected: test/unit/browser-install.test.ts.)
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { withBuildLock } from './harness.js';

const root = join(import.meta.dirname, '../..');
const out = mkdtempSync(join(tmpdir(), 'tokenscope-start-'));
after(() => rmSync(out, { recursive: true, force: true }));

/** Run `npm start -- ARGS`; resolves with its exit code and output. */
function npmStart(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['start', '--silent', '--', ...args], { cwd: root, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A PNG's width and height (its IHDR chunk), after checking the signature. */
function pngSize(file: string): { width: number; height: number } {
  const bytes = readFileSync(file);
  assert.ok(bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])), `${file} is a PNG`);
  assert.equal(bytes.subarray(12, 16).toString('latin1'), 'IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe('npm start -- --headless: the demo in each browser', () => {
  for (const browser of ['chromium', 'firefox'] as const) {
    test(`${browser}: signs in by itself, the popup shows every resource server and the finding, exit 0, its picture saved`, async () => {
      const png = join(out, `${browser}.png`);
      // The demo builds (into .cache/extension-demo*, and dist/): under the Firefox tests' build lock.
      const run = await withBuildLock(() => npmStart(['--headless', '--browser', browser, '--screenshot', png]));
      assert.equal(run.code, 0, `exit 0\n${run.stdout}\n${run.stderr}`);
      assert.match(run.stdout, /start: app says "Signed in as Ada Demo/);
      for (const server of ['auth.globus.org', 'transfer.demo.test', 'search.demo.test', 'compute.demo.test'])
        assert.match(run.stdout, new RegExp(`resource servers: .*${server.replace(/\./g, '\\.')}`));
      assert.match(
        run.stdout,
        /\[high\] audience-beyond-server: The access token for compute\.demo\.test is also accepted by transfer\.demo\.test/,
      );
      assert.match(run.stdout, /start: OK in (Chromium|Firefox ESR)/);
      const { width, height } = pngSize(png);
      assert.equal(width, 600, 'the popup at its width');
      // The whole popup: the sign-in's map and timeline, then the exchange card below the first screen.
      assert.ok(height > 1200, `the whole popup, not one screen (${height} px high)`);
    });
  }

  test('a browser named by FIREFOX_PATH that does not exist: exit 2, saying so, nothing built or installed', async () => {
    const run = await npmStart(['--headless', '--browser', 'firefox'], { FIREFOX_PATH: join(out, 'no-firefox-here') });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /start: FIREFOX_PATH is set to .*no-firefox-here, which does not exist\./);
    assert.doesNotMatch(run.stdout, /build:/);
  });

  test('--browser with another name: exit 2 with the usage', async () => {
    const run = await npmStart(['--browser', 'safari']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--browser must be chromium or firefox, got safari/);
  });
});
