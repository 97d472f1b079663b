/** `npm start -- --headless --screenshot FILE`, as the README tells people to run it: the whole demo, as a process. */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';

const root = join(import.meta.dirname, '../..');
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

test('the one-command demo signs in headless, shows every resource server and the audience finding, and saves the popup', async () => {
  test.setTimeout(120_000);
  const dir = mkdtempSync(join(tmpdir(), 'tokenscope-demo-test-'));
  const screenshot = join(dir, 'popup.png');
  try {
    const run = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      // Exactly the README's command: npm start -- --headless --screenshot FILE.
      execFile(
        'npm',
        ['start', '--silent', '--', '--headless', '--screenshot', screenshot],
        { cwd: root, timeout: 100_000 },
        (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
      );
    });
    const output = `${run.stdout}\n${run.stderr}`;
    expect(run.code, output).toBe(0);
    expect(run.stdout).toContain('pre-allows http://127.0.0.1/*');
    expect(run.stdout).toMatch(/Signed in as/);
    // The whole sign-in: the authorization request the app navigated to, what it asked for, and its consent result.
    expect(run.stdout).toMatch(/Sign-in at http:\/\/127\.0\.0\.1:\d+\/v2\/oauth2\/authorize/);
    expect(run.stdout).toMatch(/Asked for openid profile email urn:globus:auth:scope:transfer\.demo\.test:all/);
    expect(run.stdout).toContain('Consent result: code in the query · code exchange joined by PKCE');
    const servers = run.stdout.match(/resource servers: (.*)/)?.[1] ?? '';
    for (const id of ['auth.globus.org', 'transfer.demo.test', 'search.demo.test', 'compute.demo.test'])
      expect(servers.split(', '), output).toContain(id);
    expect(run.stdout).toMatch(
      /\[high\] audience-beyond-server: The access token for compute\.demo\.test is also accepted by "?transfer\.demo\.test/,
    );

    const png = readFileSync(screenshot);
    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(png.length).toBeGreaterThan(20_000);
    // IHDR: width and height, big-endian, at bytes 16 and 20. The popup is 600 CSS px wide; the page is at least its 600 px viewport tall.
    expect(png.readUInt32BE(16)).toBeGreaterThanOrEqual(600);
    expect(png.readUInt32BE(20)).toBeGreaterThanOrEqual(600);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the quick start on a machine without a display: plain `npm start` runs the demo headless, says where the popup went, exits 0', async () => {
  test.setTimeout(120_000);
  const env = { ...process.env, DISPLAY: '', WAYLAND_DISPLAY: '' };
  const run = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    execFile('npm', ['start', '--silent'], { cwd: root, timeout: 100_000, env }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
    );
  });
  const output = `${run.stdout}\n${run.stderr}`;
  expect(run.code, output).toBe(0);
  expect(run.stdout).toContain('no display ($DISPLAY is not set), so no browser window can open: running the demo headless');
  expect(run.stdout).toMatch(/\[high\] audience-beyond-server/);
  const saved = run.stdout.match(/screenshot: (\S+\.png)/)?.[1];
  expect(saved, output).toBe(join(root, '.cache/demo-popup.png'));
  expect(
    readFileSync(saved ?? '')
      .subarray(0, 8)
      .equals(PNG_SIGNATURE),
  ).toBe(true);
  expect(run.stdout).toContain('start: OK');
});
