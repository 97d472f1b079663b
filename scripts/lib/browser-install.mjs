/**
 * `npm start` on a machine without the browser it needs: install Debian's package when this process may
 * (root, or passwordless sudo), with apt-get, else say the one command to run. Debian's `chromium` and
 * `firefox-esr` install with apt; the project cannot download a browser build (shared/BROWSER-TESTING.md).
 * What the machine allows is probed by `probeMachine` and passed in, so the decision is tested without apt.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The browsers the demo runs in: what to install, where to look, and the variable that overrides the search. */
export const BROWSERS = {
  chromium: {
    name: 'Chromium',
    aptPackage: 'chromium',
    env: 'CHROMIUM_PATH',
    // /usr/lib/chromium/chromium skips Debian's wrapper script (it adds an empty --load-extension=).
    paths: [
      '/usr/lib/chromium/chromium',
      '/usr/bin/chromium',
      '/usr/bin/chromium-browser',
      '/Applications/Chromium.app/Contents/MacOS/Chromium',
    ],
  },
  firefox: {
    name: 'Firefox ESR',
    aptPackage: 'firefox-esr',
    env: 'FIREFOX_PATH',
    paths: ['/usr/bin/firefox-esr', '/usr/bin/firefox', '/Applications/Firefox.app/Contents/MacOS/firefox'],
  },
};

/** @typedef {{ isRoot: boolean, sudo: boolean, aptGet: boolean }} Machine */
/** @typedef {{ kind: 'install', commands: string[][], shown: string } | { kind: 'advice', command: string, why: string }} Plan */

/** Whether `name` is an executable file on $PATH. */
function onPath(name, path = process.env.PATH ?? '') {
  return path
    .split(delimiter)
    .filter(Boolean)
    .some((dir) => {
      try {
        accessSync(join(dir, name), constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
}

/** What this machine allows: root, passwordless sudo (`sudo -n true` succeeds without asking), apt-get. @returns {Machine} */
export function probeMachine() {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const aptGet = process.platform === 'linux' && onPath('apt-get');
  const sudo = !isRoot && aptGet && onPath('sudo') && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore', timeout: 10_000 }).status === 0;
  return { isRoot, sudo, aptGet };
}

/**
 * How to get `browser` on `machine`: the commands to run (apt-get update, then install, non-interactive; through
 * `sudo -n` when not root), or the one command a user has to run, and why it cannot be run here.
 * @param {keyof typeof BROWSERS} browser @param {Machine} machine @returns {Plan}
 */
export function installPlan(browser, machine) {
  const { aptPackage, name, env } = BROWSERS[browser];
  if (!machine.aptGet) {
    return {
      kind: 'advice',
      command: `${env}=/path/to/${browser === 'firefox' ? 'firefox' : 'chromium'} npm start${browser === 'firefox' ? ' -- --browser firefox' : ''}`,
      why: `no ${name} found and no apt-get here to install it: install ${name} with your system's package manager, then point ${env} at it`,
    };
  }
  const apt = [
    ['apt-get', 'update'],
    ['apt-get', 'install', '-y', aptPackage],
  ];
  if (machine.isRoot || machine.sudo) {
    // sudo resets the environment: DEBIAN_FRONTEND goes through `env` (root gets it from the child's environment too).
    const commands = apt.map((argv) => (machine.isRoot ? argv : ['sudo', '-n', 'env', 'DEBIAN_FRONTEND=noninteractive', ...argv]));
    return {
      kind: 'install',
      commands,
      shown: `${machine.isRoot ? '' : 'sudo '}apt-get update && ${machine.isRoot ? '' : 'sudo '}apt-get install -y ${aptPackage}`,
    };
  }
  return {
    kind: 'advice',
    command: `sudo apt-get update && sudo apt-get install -y ${aptPackage}`,
    why: `no ${name} found, and installing it needs root (this user is not root and sudo asks for a password)`,
  };
}

/** The browser's binary: its variable, else a usual install path, else the first of `fallbacks` that exists; undefined when none. */
export function findBrowser(browser, { env = process.env, exists = existsSync, fallbacks = [] } = {}) {
  const { env: variable, paths } = BROWSERS[browser];
  const fromEnv = env[variable];
  if (fromEnv) return exists(fromEnv) ? fromEnv : undefined;
  return [...paths, ...fallbacks].find((path) => path && exists(path));
}

/**
 * The browser's binary, installed first when missing and this machine allows it.
 * Returns `{ path }`, or `{ exit: 2, message }` when the user has to act (the message holds the one command).
 * @param {keyof typeof BROWSERS} browser
 * @param {{ find: () => string | undefined, probe?: () => Machine, run?: (argv: string[]) => number | null, log?: (line: string) => void, env?: Record<string, string | undefined> }} io
 * @returns {{ path: string } | { exit: 1 | 2, message: string }}
 */
export function ensureBrowser(browser, { find, probe = probeMachine, run = runCommand, log = console.log, env = process.env }) {
  const found = find();
  if (found) return { path: found };
  const { name, env: variable } = BROWSERS[browser];
  // A path the user gave that does not exist: installing something else would not be what they asked for.
  if (env[variable]) return { exit: 2, message: `${variable} is set to ${env[variable]}, which does not exist.` };
  const plan = installPlan(browser, probe());
  if (plan.kind === 'advice') return { exit: 2, message: `${plan.why}. Run:\n\n  ${plan.command}\n\nthen npm start again.` };
  log(`start: no ${name} found; installing Debian's ${BROWSERS[browser].aptPackage} (a minute or so): ${plan.shown}`);
  for (const argv of plan.commands) {
    const status = run(argv);
    if (status !== 0)
      return {
        exit: 1,
        message: `\`${argv.join(' ')}\` failed (exit ${status ?? 'by a signal'}); run it yourself to see why: ${plan.shown}`,
      };
  }
  const installed = find();
  if (!installed)
    return { exit: 1, message: `${plan.shown} succeeded, yet no ${name} binary is where it should be (${BROWSERS[browser].paths[0]}).` };
  log(`start: ${name} installed: ${installed}`);
  return { path: installed };
}

/** Run a command with the terminal's output, non-interactive for apt. @param {string[]} argv */
function runCommand(argv) {
  const [command = '', ...args] = argv;
  const result = spawnSync(command, args, {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  return result.error ? 1 : result.status;
}
