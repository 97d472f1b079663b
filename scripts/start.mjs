#!/usr/bin/env node
// @ts-check
/**
 * `npm start`: see Tokenscope work in one command.
 *
 * Builds a demo build of the extension (it pre-allows http://127.0.0.1/*), starts a
 * Globus-Auth-shaped sign-in server and a demo app on 127.0.0.1 (scripts/demo/),
 * and opens the app in Chromium with the extension loaded. Click "Sign in", then
 * the Tokenscope icon.
 *
 *   npm start [-- --headless] [--screenshot FILE] [--port-app N] [--port-auth N] [--auto-approve]
 *
 * With --headless (or --screenshot) it signs in by itself, opens the popup for the
 * app's tab, checks that every resource server and the audience finding show, and exits.
 * On Linux without a display it does that by itself, the popup saved to .cache/demo-popup.png.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromiumPath } from './lib/chromium.mjs';
import { ROOT, runBuild, shown } from './lib/project.mjs';
import { until as poll } from './lib/wait.mjs';

const DEMO_HOSTS = 'http://127.0.0.1/*';
const DEMO_EXTENSION_DIR = join(ROOT, '.cache/extension-demo');
const WAIT_MS = 15_000;
const started = performance.now();
const since = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;

const USAGE = `Usage: npm start [-- OPTIONS]    (or: node scripts/start.mjs [OPTIONS])

Builds the extension, starts a demo sign-in server and app on 127.0.0.1, and opens
the app in Chromium with Tokenscope loaded. Click "Sign in", then the Tokenscope icon.

  --headless          no window: sign in by itself, check the popup, print what it shows, exit
  --screenshot FILE   sign in by itself and save a PNG of the popup to FILE (with --headless: no window)
  --port-app N        the demo app's port on 127.0.0.1 (default: a free one)
  --port-auth N       the sign-in server's port on 127.0.0.1 (default: a free one)
  --auto-approve      skip the sign-in server's consent page
  -h, --help          this text

Chromium: $CHROMIUM_PATH, else /usr/lib/chromium/chromium, /usr/bin/chromium, else Playwright's own.
Stop with Ctrl-C, or close the browser window.`;

/** @param {string} message @param {number} [code] @returns {never} */
function fail(message, code = 1) {
  console.error(`start: ${message}`);
  process.exit(code);
}

/** @returns {{ headless: boolean, screenshot: string | undefined, portApp: number, portAuth: number, autoApprove: boolean }} */
function options() {
  /** @type {ReturnType<typeof parseArgs<{ options: Record<string, { type: 'string' | 'boolean', short?: string }> }>>['values']} */
  let values;
  try {
    ({ values } = parseArgs({
      options: {
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
  return {
    headless: values.headless === true,
    screenshot,
    portApp: port('port-app'),
    portAuth: port('port-auth'),
    autoApprove: values['auto-approve'] === true,
  };
}

/** Chromium, or Chrome for Testing (see ./lib/chromium.mjs); Playwright's own as a last resort. @returns {Promise<string>} */
async function findChromium() {
  /** @type {string[]} */
  const playwright = [];
  try {
    const { chromium } = await import('@playwright/test');
    playwright.push(chromium.executablePath());
  } catch {
    // No Playwright browser either.
  }
  try {
    return chromiumPath(playwright);
  } catch (err) {
    return fail(err instanceof Error ? err.message : String(err));
  }
}

/** Wait for a condition. @template T @param {string} what @param {() => Promise<T>} check @returns {Promise<T>} */
const until = (what, check) => poll(what, check, { timeoutMs: WAIT_MS, everyMs: 100 });

const opts = options();
// No display (a fresh server, CI): the same demo, headless, with a picture of the popup to look at afterwards.
if (!opts.headless && process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
  opts.headless = true;
  opts.screenshot ??= join(ROOT, '.cache/demo-popup.png');
  console.log(
    `start: no display ($DISPLAY is not set), so no browser window can open: running the demo headless, the popup saved to ${shown(opts.screenshot)} (for a window: \`xvfb-run -a npm start\` or a desktop).`,
  );
}
const automated = opts.headless || opts.screenshot !== undefined;
const executablePath = await findChromium();

// --- build: a demo build whose manifest grants 127.0.0.1, so the demo site is watched from the start.
const buildStatus = runBuild(['--test-hosts', DEMO_HOSTS, '--out-dir', DEMO_EXTENSION_DIR]);
if (buildStatus !== 0) fail(`the build failed (exit ${buildStatus ?? 'by a signal'}).`);
const builtAt = since();

// --- everything below is stopped by shutdown(): Ctrl-C, SIGTERM, closing the browser, the end of a headless run.
const { startDemo, RESOURCE_SERVERS, IDENTITY_SERVER } = await import('./demo/servers.mjs');
const { chromium } = await import('@playwright/test');
const scratch = mkdtempSync(join(tmpdir(), 'tokenscope-demo-'));
/** @type {Awaited<ReturnType<typeof startDemo>> | undefined} */
let demo;
/** @type {import('@playwright/test').BrowserContext | undefined} */
let context;
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
    await context?.close().catch(() => {});
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
  const extensionCopy = join(scratch, 'extension');
  const profile = join(scratch, 'profile');
  // Chromium writes into an unpacked extension's folder (_metadata): give it a copy.
  cpSync(DEMO_EXTENSION_DIR, extensionCopy, { recursive: true });
  mkdirSync(profile);
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: opts.headless,
    chromiumSandbox: !isRoot,
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    viewport: automated ? { width: 1000, height: 700 } : null,
    args: [
      `--disable-extensions-except=${extensionCopy}`,
      `--load-extension=${extensionCopy}`,
      '--no-first-run',
      '--no-default-browser-check',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...(isRoot ? ['--no-sandbox'] : []),
    ],
  });
  const browserContext = context;
  // Closing the browser ends the demo; during an automated run it is a failure.
  browserContext.on('close', () => void shutdown(automated ? 1 : 0, 'the browser was closed'));
  let [worker] = browserContext.serviceWorkers();
  worker ??= await browserContext.waitForEvent('serviceworker', { timeout: WAIT_MS });
  const extensionId = new URL(worker.url()).host;
  // The worker registers its page hook for the granted hosts as it starts: the app's first load must come after.
  await until('Tokenscope to watch 127.0.0.1', () =>
    worker.evaluate(
      async (host) => (await chrome.scripting.getRegisteredContentScripts()).some((script) => script.matches?.includes(host)),
      DEMO_HOSTS,
    ),
  );
  const page = browserContext.pages()[0] ?? (await browserContext.newPage());
  await page.goto(demo.appUrl);
  const readyAt = since();

  if (!automated) {
    // Closing the last window ends the demo even if Chromium itself stays up.
    browserContext.on('page', (opened) =>
      opened.on('close', () => browserContext.pages().length === 0 && void shutdown(0, 'the browser window was closed')),
    );
    page.on('close', () => browserContext.pages().length === 0 && void shutdown(0, 'the browser window was closed'));
    console.log(`
Tokenscope demo is running (ready in ${readyAt}).

  app        ${demo.appUrl}  (open in Chromium)
  sign-in    ${demo.issuer}  (Globus-Auth-shaped: consent page, PKCE S256, token endpoint ${new URL(demo.tokenUrl).pathname})
  extension  ${shown(DEMO_EXTENSION_DIR)}  (id ${extensionId})

This demo build pre-allows ${DEMO_HOSTS}, so the demo site is watched from the start.
The release build in extension/ asks first: on your own site, click the Tokenscope icon and "Watch this site".

Now, in Chromium:
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
    `start: demo build pre-allows ${DEMO_HOSTS} (the release build in extension/ asks first); built in ${builtAt}, browser ready in ${readyAt}`,
  );
  console.log(`start: app ${demo.appUrl}, sign-in server ${demo.issuer}, extension ${extensionId}`);
  await page.click('#signin');
  if (!opts.autoApprove) {
    const allow = page.locator('#allow');
    await allow.waitFor({ timeout: WAIT_MS });
    await allow.click();
  }
  const status = page.locator('#status', { hasText: /Signed in|failed/ });
  await status.waitFor({ timeout: WAIT_MS });
  const statusText = (await status.textContent()) ?? '';
  if (!statusText.startsWith('Signed in')) throw new Error(`the app did not sign in: ${statusText}`);
  console.log(`start: app says "${statusText}" (${since()})`);

  const appOrigin = demo.appOrigin;
  const tabId = await until('the app tab', () =>
    worker.evaluate(async (pattern) => (await chrome.tabs.query({ url: pattern }))[0]?.id ?? 0, `${appOrigin}/*`),
  );
  const popup = await browserContext.newPage();
  await popup.setViewportSize({ width: 600, height: 600 });
  await popup.goto(`chrome-extension://${extensionId}/popup.html?tab=${tabId}`);

  const expectedServers = [IDENTITY_SERVER, ...RESOURCE_SERVERS.map((rs) => rs.id)];
  const misconfigured = RESOURCE_SERVERS.find((rs) => rs.extraAudience);
  /** @type {string[]} */
  const missing = [];
  /** @param {string} what @param {import('@playwright/test').Locator} locator */
  const expectShown = async (what, locator) => {
    try {
      await locator.first().waitFor({ timeout: WAIT_MS });
    } catch {
      missing.push(what);
    }
  };
  await expectShown('the captured exchange', popup.locator('article.exchange'));
  if (missing.length === 0) console.log(`start: exchange captured and shown in the popup (${since()})`);
  for (const id of expectedServers) await expectShown(`resource server ${id}`, popup.locator('article.exchange .rs-id', { hasText: id }));
  if (misconfigured) {
    await expectShown(
      `the high audience finding for ${misconfigured.id}`,
      popup.locator('.finding.sev-high .message', { hasText: misconfigured.id }).filter({ hasText: misconfigured.extraAudience ?? '' }),
    );
  }

  const summary = await popup
    .locator('p.summary')
    .first()
    .textContent({ timeout: 1000 })
    .catch(() => null);
  // The client's block (its ID tokens) is no resource server.
  const servers = await popup.locator('article.exchange section.rs:not([aria-label^="Client "]) .rs-id .rs-name').allTextContents();
  const findings = await popup.locator('article.exchange .finding').evaluateAll((items) =>
    items.map((item) => ({
      severity: item.querySelector('.pill')?.textContent?.trim() ?? '?',
      rule: item.querySelector('.rule a')?.textContent?.trim() ?? '?',
      message: item.querySelector('.message')?.textContent?.trim() ?? '',
    })),
  );
  const signIns = await popup.locator('section.sign-in').evaluateAll((items) =>
    items.map((item) => ({
      heading: item.querySelector('h2')?.textContent?.trim() ?? '',
      result: item.querySelector('.sign-in-result')?.textContent?.trim() ?? '',
      asked: item.querySelector('p.muted')?.textContent?.trim() ?? '',
    })),
  );
  console.log(`\nTokenscope popup for the app's tab${summary ? `: ${summary}` : ''}`);
  for (const signIn of signIns) {
    console.log(`  ${signIn.heading}`);
    if (signIn.asked) console.log(`    ${signIn.asked}`);
    if (signIn.result) console.log(`    ${signIn.result}`);
  }
  console.log(`  resource servers: ${servers.length ? [...new Set(servers)].join(', ') : '(none)'}`);
  console.log(`  findings:${findings.length ? '' : ' (none)'}`);
  for (const finding of findings) console.log(`    [${finding.severity}] ${finding.rule}: ${finding.message}`);

  if (opts.screenshot) {
    mkdirSync(dirname(opts.screenshot), { recursive: true });
    await popup.screenshot({ path: opts.screenshot, fullPage: true });
    console.log(`  screenshot: ${opts.screenshot} (${Math.round(statSync(opts.screenshot).size / 1024)} KB)`);
  }
  if (missing.length > 0) {
    console.error(`\nstart: the popup did not show: ${missing.join('; ')}.`);
    await shutdown(1);
  }
  console.log(`\nstart: OK: every resource server and the audience finding showed (total ${since()}).`);
  await shutdown(0);
} catch (err) {
  if (!stopping) {
    console.error(`start: ${err instanceof Error ? err.message : String(err)}`);
    await shutdown(1);
  }
}
