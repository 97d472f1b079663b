/**
 * `npm start` without the browser (scripts/lib/browser-install.mjs): it installs Debian's package itself when it
 * may (root, or passwordless sudo, with apt-get), saying so first; otherwise it gives the one command to run
 * (exit 2). The machine (root? sudo? apt-get?) and the commands are injected: nothing is installed or removed here.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  type BrowserName,
  ensureBrowser,
  findBrowser,
  installPlan,
  type Machine,
  probeMachine,
} from '../../scripts/lib/browser-install.mjs';

const ROOT: Machine = { isRoot: true, sudo: false, aptGet: true };
const SUDO: Machine = { isRoot: false, sudo: true, aptGet: true };
const USER: Machine = { isRoot: false, sudo: false, aptGet: true };
const NO_APT: Machine = { isRoot: false, sudo: false, aptGet: false };

/** A machine without the browser until the install command runs (when `installs`), recording what ran and was said. */
function machine(kind: Machine, { installs = true, failAt = -1 } = {}) {
  const ran: string[][] = [];
  const said: string[] = [];
  let installed = false;
  const io = {
    find: () => (installed ? '/usr/bin/installed-browser' : undefined),
    probe: () => kind,
    run: (argv: string[]) => {
      ran.push(argv);
      if (ran.length - 1 === failAt) return 100;
      if (argv.includes('install')) installed = installs;
      return 0;
    },
    log: (line: string) => said.push(`${ran.length}:${line}`),
    env: {},
  };
  return { io, ran, said };
}

describe('npm start installs the browser it needs, or says how', () => {
  for (const [browser, aptPackage] of [
    ['chromium', 'chromium'],
    ['firefox', 'firefox-esr'],
  ] as Array<[BrowserName, string]>) {
    test(`${browser} as root with apt: says what it will install, then apt-get update && apt-get install -y ${aptPackage}, then runs`, () => {
      const { io, ran, said } = machine(ROOT);
      assert.deepEqual(ensureBrowser(browser, io), { path: '/usr/bin/installed-browser' });
      assert.deepEqual(ran, [
        ['apt-get', 'update'],
        ['apt-get', 'install', '-y', aptPackage],
      ]);
      assert.match(
        said[0] ?? '',
        new RegExp(`^0:start: no .* found; installing Debian's ${aptPackage} .*apt-get update && apt-get install -y ${aptPackage}`),
      );
    });

    test(`${browser} with passwordless sudo: the same through sudo -n, non-interactive`, () => {
      const { io, ran } = machine(SUDO);
      assert.deepEqual(ensureBrowser(browser, io), { path: '/usr/bin/installed-browser' });
      assert.deepEqual(ran, [
        ['sudo', '-n', 'env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', 'update'],
        ['sudo', '-n', 'env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', 'install', '-y', aptPackage],
      ]);
    });

    test(`${browser} without root or passwordless sudo: nothing run, the one command to run, exit 2`, () => {
      const { io, ran } = machine(USER);
      const result = ensureBrowser(browser, io);
      assert.ok('exit' in result);
      assert.equal(result.exit, 2);
      assert.ok(result.message.includes(`sudo apt-get update && sudo apt-get install -y ${aptPackage}`), result.message);
      assert.deepEqual(ran, []);
    });
  }

  test('no apt-get (not Debian): exit 2, install it and point the variable at it', () => {
    const { io, ran } = machine(NO_APT);
    const result = ensureBrowser('firefox', io);
    assert.ok('exit' in result && result.exit === 2);
    assert.match(result.message, /FIREFOX_PATH=\S+ npm start -- --browser firefox/);
    assert.deepEqual(ran, []);
    assert.deepEqual(installPlan('chromium', { ...NO_APT, isRoot: true }).kind, 'advice', 'root without apt-get cannot install either');
  });

  test('a failing apt-get stops there: exit 1 with the command to try by hand', () => {
    const { io, ran } = machine(ROOT, { failAt: 0 });
    const result = ensureBrowser('chromium', io);
    assert.ok('exit' in result && result.exit === 1);
    assert.match(result.message, /`apt-get update` failed \(exit 100\)/);
    assert.equal(ran.length, 1, 'no install after a failed update');
  });

  test('installed, yet still not found: exit 1, never a second install', () => {
    const { io, ran } = machine(ROOT, { installs: false });
    const result = ensureBrowser('chromium', io);
    assert.ok('exit' in result && result.exit === 1);
    assert.equal(ran.length, 2);
  });

  test('a browser already there: nothing probed, nothing run', () => {
    let probed = false;
    const result = ensureBrowser('chromium', {
      find: () => '/usr/bin/chromium',
      probe: () => {
        probed = true;
        return ROOT;
      },
      run: () => assert.fail('nothing to run'),
    });
    assert.deepEqual(result, { path: '/usr/bin/chromium' });
    assert.equal(probed, false);
  });

  test('CHROMIUM_PATH naming a missing file: exit 2 saying so, nothing installed in its place', () => {
    const { io, ran } = machine(ROOT);
    const result = ensureBrowser('chromium', { ...io, env: { CHROMIUM_PATH: '/opt/nowhere/chrome' } });
    assert.deepEqual(result, { exit: 2, message: 'CHROMIUM_PATH is set to /opt/nowhere/chrome, which does not exist.' });
    assert.deepEqual(ran, []);
  });

  test('where each browser is looked for: its variable first, then the usual paths, then the fallbacks', () => {
    const only = (paths: string[]) => (path: string) => paths.includes(path);
    assert.equal(
      findBrowser('chromium', { env: {}, exists: only(['/usr/bin/chromium', '/usr/lib/chromium/chromium']) }),
      '/usr/lib/chromium/chromium',
    );
    assert.equal(findBrowser('firefox', { env: {}, exists: only(['/usr/bin/firefox', '/usr/bin/firefox-esr']) }), '/usr/bin/firefox-esr');
    assert.equal(
      findBrowser('firefox', { env: { FIREFOX_PATH: '/opt/ff' }, exists: only(['/opt/ff', '/usr/bin/firefox-esr']) }),
      '/opt/ff',
    );
    assert.equal(findBrowser('chromium', { env: { CHROMIUM_PATH: '/opt/none' }, exists: only(['/usr/bin/chromium']) }), undefined);
    assert.equal(findBrowser('chromium', { env: {}, exists: only(['/pw/chrome']), fallbacks: ['/pw/chrome'] }), '/pw/chrome');
    assert.equal(findBrowser('chromium', { env: {}, exists: only([]) }), undefined);
  });

  test("this machine's probe answers all three questions", () => {
    const probed = probeMachine();
    assert.deepEqual(Object.keys(probed).sort(), ['aptGet', 'isRoot', 'sudo']);
    for (const value of Object.values(probed)) assert.equal(typeof value, 'boolean');
  });
});
