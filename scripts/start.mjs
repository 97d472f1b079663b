#!/usr/bin/env node
// @ts-check
/**
 * `npm start`: see Tokenscope work in one command.
 *
 * Builds a demo build of the extension (it pre-allows http://127.0.0.1/*), starts a
 * Globus-Auth-shaped sign-in server and a demo app on 127.0.0.1 (scripts/demo/),
 * and opens the app in Chromium (or Firefox ESR) with the extension loaded. Click
 * "Sign in", then the Tokenscope icon. Without the browser, it installs Debian's
 * package when it may (root or passwordless sudo), else says the command (exit 2).
 *
 *   npm start [-- --browser chromium|firefox] [--headless] [--screenshot FILE] [--port-app N] [--port-auth N] [--auto-approve]
 *
 * With --headless (or --screenshot) it signs in by itself, opens the popup for the
 * app's tab, checks that every resource server and the audience finding show, and exits.
 * On Linux without a display it does that by itself, the popup saved to .cache/demo-popup.png.
 */
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { BROWSERS, ensureBrowser, findBrowser } from './lib/browser-install.mjs';
import { ROOT, runBuild, shown } from './lib/project.mjs';
import { until as poll } from './lib/wait.mjs';

const DEMO_HOSTS = 'http://127.0.0.1/*';
/** The demo builds: test builds granting DEMO_HOSTS (Firefox's also lists state.html for them; never a release build). */
const DEMO_EXTENSION_DIRS = { chromium: join(ROOT, '.cache/extension-demo'), firefox: join(ROOT, '.cache/extension-demo-firefox') };
const WAIT_MS = 15_000;
const started = performance.now();
const since = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;

const USAGE = `Usage: npm start [-- OPTIONS]    (or: node scripts/start.mjs [OPTIONS])

Builds the extension, starts a demo sign-in server and app on 127.0.0.1, and opens
the app in Chromium (or Firefox ESR) with Tokenscope loaded. Click "Sign in", then the
Tokenscope icon.

  --browser NAME      chromium (default) or firefox (Firefox ESR, the Firefox build as a temporary add-on)
  --headless          no window: sign in by itself, check the popup, print what it shows, exit
  --screenshot FILE   sign in by itself and save a PNG of the popup to FILE (with --headless: no window)
  --port-app N        the demo app's port on 127.0.0.1 (default: a free one)
  --port-auth N       the sign-in server's port on 127.0.0.1 (default: a free one)
  --auto-approve      skip the sign-in server's consent page
  -h, --help          this text

Chromium: $CHROMIUM_PATH, else /usr/lib/chromium/chromium, /usr/bin/chromium, else Playwright's own.
Firefox: $FIREFOX_PATH, else /usr/bin/firefox-esr, /usr/bin/firefox.
Without one, Debian's chromium / firefox-esr is installed with apt-get when this user may
(root, or sudo without a password); otherwise the command to run is printed (exit 2).
Stop with Ctrl-C, or close the browser window.`;

/** @param {string} message @param {number} [code] @returns {never} */
function fail(message, code = 1) {
  console.error(`start: ${message}`);
  process.exit(code);
}

/** @returns {{ browser: 'chromium' | 'firefox', headless: boolean, screenshot: string | undefined, portApp: number, portAuth: number, autoApprove: boolean }} */
function options() {
  /** @type {ReturnType<typeof parseArgs<{ options: Record<string, { type: 'string' | 'boolean', short?: string }> }>>['values']} */
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        browser: { type: 'string' },
        headless: { type: 'boolean' },
        screenshot: { type: 'string' },
        'port-app': { type: 'string' },
        'port-auth': { type: 'string' },
        'auto-approve': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    fail(`${err instanceof Error ? err.message : String(err)}\n\n${USAGE}`, 2);
  }
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  /** @param {string} name */
  const port = (name) => {
    const text = values[name];
    if (text === undefined) return 0;
    const value = Number(text);
    if (typeof text !== 'string' || !/^\d+$/.test(text) || value > 65535)
      fail(`--${name} must be a port number (0-65535), got ${String(text)}`, 2);
    return value;
  };
  // npm runs scripts from the package root: a relative FILE means where the user typed the command.
  const screenshot = typeof values.screenshot === 'string' ? resolve(process.env.INIT_CWD ?? process.cwd(), values.screenshot) : undefined;
  const browser = values.browser ?? 'chromium';
  if (browser !== 'chromium' && browser !== 'firefox') fail(`--browser must be chromium or firefox, got ${String(browser)}\n\n${USAGE}`, 2);
  return {
    browser,
    headless: values.headless === true,
    screenshot,
    portApp: port('port-app'),
    portAuth: port('port-auth'),
    autoApprove: values['auto-approve'] === true,
  };
}

/**
 * The browser's binary: found, or installed (Debian's package, when this user may), or exit 2 with the command to run.
 * Chromium falls back to Playwright's own download when a user has one.
 * @param {'chromium' | 'firefox'} browser @returns {Promise<string>}
 */
async function browserPath(browser) {
  /** @type {string[]} */
  const fallbacks = [];
  if (browser === 'chromium') {
    try {
      const { chromium } = await import('@playwright/test');
      fallbacks.push(chromium.executablePath());
    } catch {
      // No Playwright browser either.
    }
  }
  const found = ensureBrowser(browser, { find: () => findBrowser(browser, { fallbacks }) });
  if ('path' in found) return found.path;
  return fail(found.message, found.exit);
}

/** Wait for a condition. @template T @param {string} what @param {() => Promise<T>} check @returns {Promise<T>} */
const until = (what, check) => poll(what, check, { timeoutMs: WAIT_MS, everyMs: 100 });

const opts = options();
// No display (a fresh server, CI): the same demo, headless, with a picture of the popup to look at afterwards.
if (!opts.headless && process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
  opts.headless = true;
  opts.screenshot ??= join(ROOT, opts.browser === 'firefox' ? '.cache/demo-popup-firefox.png' : '.cache/demo-popup.png');
  const again = opts.browser === 'firefox' ? 'npm start -- --browser firefox' : 'npm start';
  console.log(
    `start: no display ($DISPLAY is not set), so no browser window can open: running the demo headless, the popup saved to ${shown(opts.screenshot)} (for a window: \`xvfb-run -a ${again}\` or a desktop).`,
  );
}
const automated = opts.headless || opts.screenshot !== undefined;
const executablePath = await browserPath(opts.browser);
const browserName = BROWSERS[opts.browser].name;
const extensionDir = DEMO_EXTENSION_DIRS[opts.browser];

// --- build: a demo build whose manifest grants 127.0.0.1, so the demo site is watched from the start.
const buildStatus = runBuild([
  ...(opts.browser === 'firefox' ? ['--browser', 'firefox'] : []),
  '--test-hosts',
  DEMO_HOSTS,
  '--out-dir',
  extensionDir,
]);
if (buildStatus !== 0) fail(`the build failed (exit ${buildStatus ?? 'by a signal'}).`);
const builtAt = since();

// --- everything below is stopped by shutdown(): Ctrl-C, SIGTERM, closing the browser, the end of a headless run.
const { startDemo, RESOURCE_SERVERS, IDENTITY_SERVER } = await import('./demo/servers.mjs');
const { describePopup, missingFrom } = await import('./demo/popup-read.mjs');
const scratch = mkdtempSync(join(tmpdir(), 'tokenscope-demo-'));
/** @type {Awaited<ReturnType<typeof startDemo>> | undefined} */
let demo;
/** @type {import('./demo/session.d.mjs').DemoSession | undefined} */
let session;
/** @type {Promise<never> | undefined} */
let stopping;
let lastSignal = 0;

/** @param {number} code @param {string} [why] @returns {Promise<never>} */
function shutdown(code, why) {
  stopping ??= (async () => {
    if (why) console.log(`start: ${why}; stopping…`);
    const force = setTimeout(() => {
      console.error('start: could not stop cleanly within 10 s; exiting anyway.');
      process.exit(code || 1);
    }, 10_000);
    force.unref();
    await session?.close().catch(() => {});
    await demo?.close().catch(() => {});
    rmSync(scratch, { recursive: true, force: true, maxRetries: 3 });
    if (why) console.log(`start: stopped (${since()}).`);
    process.exit(code);
  })();
  return stopping;
}
for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM', 'SIGHUP'])) {
  process.on(signal, () => {
    // npm forwards the terminal's Ctrl-C too, so one press can arrive twice: a later one forces.
    if (stopping && Date.now() - lastSignal > 1000) {
      console.error('start: forced exit.');
      process.exit(1);
    }
    lastSignal = Date.now();
    void shutdown(0, `${signal === 'SIGINT' ? 'Ctrl-C' : signal} received`);
  });
}

try {
  demo = await startDemo({
    portApp: opts.portApp,
    portAuth: opts.portAuth,
    autoApprove: opts.autoApprove,
    log: automated ? undefined : (line) => console.log(`  ${line}`),
  });
  const { launchChromium } = await import('./demo/chromium.mjs');
  const { launchFirefox } = await import('./demo/firefox.mjs');
  session = await (opts.browser === 'firefox' ? launchFirefox : launchChromium)({
    executablePath,
    headless: opts.headless,
    automated,
    extensionDir,
    scratch,
    hosts: DEMO_HOSTS,
    // Closing the browser ends the demo; during an automated run it is a failure.
    onClose: (why) => void shutdown(automated ? 1 : 0, why),
  });
  const demoSession = session;
  await demoSession.openApp(demo.appUrl);
  const readyAt = since();

  if (!automated) {
    demoSession.onWindowsClosed(() => void shutdown(0, 'the browser window was closed'));
    console.log(`
Tokenscope demo is running in ${browserName} (ready in ${readyAt}).

  app        ${demo.appUrl}  (open in ${browserName})
  sign-in    ${demo.issuer}  (Globus-Auth-shaped: consent page, PKCE S256, token endpoint ${new URL(demo.tokenUrl).pathname})
  extension  ${shown(extensionDir)}  (${opts.browser === 'firefox' ? 'a temporary add-on, ' : ''}id ${demoSession.extensionId})

This demo build pre-allows ${DEMO_HOSTS}, so the demo site is watched from the start.
The release build asks first: on your own site, click the Tokenscope icon and "Watch this site".

Now, in ${browserName}:
  1. click "Sign in", then "Allow" on the consent page;
  2. click the Tokenscope icon (the puzzle piece, then Tokenscope; pin it to keep it there).
     You should see ${[IDENTITY_SERVER, ...RESOURCE_SERVERS.map((rs) => rs.id)].join(', ')}
     and a high finding: compute.demo.test's token is also accepted by transfer.demo.test.

Stop: Ctrl-C here, or close the browser window.
`);
    await new Promise(() => {}); // until shutdown()
  }

  // --- the automated run: sign in, open the popup for the app's tab, check what it shows.
  console.log(
    `start: ${browserName}; demo build pre-allows ${DEMO_HOSTS} (the release build asks first); built in ${builtAt}, browser ready in ${readyAt}`,
  );
  console.log(`start: app ${demo.appUrl}, sign-in server ${demo.issuer}, extension ${demoSession.extensionId}`);
  const statusText = await demoSession.signIn(opts.autoApprove);
  if (!statusText.startsWith('Signed in')) throw new Error(`the app did not sign in: ${statusText}`);
  console.log(`start: app says "${statusText}" (${since()})`);

  await demoSession.openPopup(demo.appOrigin);
  /** @type {import('./demo/popup-read.mjs').PopupRead | undefined} */
  let read;
  // Everything the popup should show, or what it showed when the wait ran out.
  await until('the popup to show every resource server and the finding', async () => {
    read = await demoSession.readPopup();
    return missingFrom(read).length === 0;
  }).catch(() => {});
  if (!read) throw new Error('the popup could not be read');
  const missing = missingFrom(read);
  if (read.exchanges > 0) console.log(`start: exchange captured and shown in the popup (${since()})`);
  console.log(`\n${describePopup(read)}`);

  if (opts.screenshot) {
    mkdirSync(dirname(opts.screenshot), { recursive: true });
    await demoSession.screenshot(opts.screenshot);
    console.log(`  screenshot: ${opts.screenshot} (${Math.round(statSync(opts.screenshot).size / 1024)} KB)`);
  }
  if (missing.length > 0) {
    console.error(`\nstart: the popup did not show: ${missing.join('; ')}.`);
    await shutdown(1);
  }
  console.log(`\nstart: OK in ${browserName}: every resource server and the audience finding showed (total ${since()}).`);
  await shutdown(0);
} catch (err) {
  if (!stopping) {
    console.error(`start: ${err instanceof Error ? err.message : String(err)}`);
    await shutdown(1);
  }
}
