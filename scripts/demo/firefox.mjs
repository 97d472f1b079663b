// @ts-check
/**
 * The demo in Firefox ESR: puppeteer-core over WebDriver BiDi (Playwright cannot drive Debian's Firefox), the
 * Firefox demo build installed as a temporary add-on, which gets its host permission (the demo site) at once.
 *
 * BiDi cannot navigate to moz-extension pages, so the demo build lists its page `state.html` in
 * `web_accessible_resources` for the demo origin only (scripts/build.mjs: test and demo builds only, never the
 * release build, since such a page lets sites detect the extension). The app's page opens it with
 * `window.open`; in it the full `browser.*` API answers (is the site watched, which tab is the app), and from
 * it the popup opens at `popup.html?tab=N`, read and pictured through BiDi (shared/BROWSER-TESTING.md, Firefox).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../lib/project.mjs';
import { until as poll } from '../lib/wait.mjs';
import { readPopupDom } from './popup-read.mjs';

const WAIT_MS = 20_000;
/** @template T @param {string} what @param {() => Promise<T>} check */
const until = (what, check) => poll(what, check, { timeoutMs: WAIT_MS, everyMs: 100 });
const GECKO_ID = JSON.parse(readFileSync(join(ROOT, 'manifest.json'), 'utf8')).browser_specific_settings.gecko.id;
/** The add-on's moz-extension host in the demo's profile (pinned, so the demo knows its pages' addresses). */
const EXTENSION_UUID = 'd3e0d3e0-70ce-4c0e-8a5e-00000000de70';
const BASE = `moz-extension://${EXTENSION_UUID}/`;

/** @typedef {{ context: string, url: string, children?: BidiContext[] | null }} BidiContext */

/**
 * @param {{ executablePath: string, headless: boolean, automated: boolean, extensionDir: string, scratch: string,
 *   hosts: string, onClose: (why: string) => void }} options
 * @returns {Promise<import('./session.d.mjs').DemoSession>}
 */
export async function launchFirefox({ executablePath, headless, automated, extensionDir, hosts, onClose }) {
  const { default: puppeteer } = await import('puppeteer-core');
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath,
    headless,
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    defaultViewport: automated ? { width: 1000, height: 700 } : null,
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: EXTENSION_UUID }),
      // The app's page opens the demo's extension pages without a click.
      'dom.disable_open_during_load': false,
    },
  });
  browser.on('disconnected', () => onClose('the browser was closed'));
  await browser.installExtension(extensionDir);
  const bidi = /** @type {(method: string, params: Record<string, unknown>) => Promise<{ result?: any }>} */ (
    (method, params) => /** @type {any} */ (browser).connection.send(method, params)
  );
  const page = (await browser.pages())[0] ?? (await browser.newPage());
  /** @type {string | undefined} */
  let popup;

  /** Every browsing context, nested ones too. @returns {Promise<BidiContext[]>} */
  async function contexts() {
    const { result } = await bidi('browsingContext.getTree', {});
    /** @type {BidiContext[]} */
    const flat = [];
    const walk = (/** @type {BidiContext[] | null | undefined} */ list) => {
      for (const context of list ?? []) {
        flat.push(context);
        walk(context.children);
      }
    };
    walk(result?.contexts);
    return flat;
  }

  /** Run `source` (a function's text) with `arg` in `context`; the value travels as JSON. */
  async function run(context, source, arg = null) {
    const { result } = await bidi('script.callFunction', {
      functionDeclaration: `async (json) => JSON.stringify(await (${source})(JSON.parse(json)) ?? null)`,
      arguments: [{ type: 'string', value: JSON.stringify(arg) }],
      target: { context },
      awaitPromise: true,
      userActivation: true,
    });
    if (result?.type === 'exception') throw new Error(`in the extension page: ${result.exceptionDetails?.text ?? 'an exception'}`);
    return typeof result?.result?.value === 'string' ? JSON.parse(result.result.value) : null;
  }

  /** Open an extension page with window.open from `opener` (a context), and wait until it has loaded. */
  async function openExtensionPage(opener, path) {
    const url = `${BASE}${path}`;
    const before = new Set((await contexts()).map((c) => c.context));
    await run(opener, '(target) => void window.open(target)', url);
    const context = await until(
      `${path} to open`,
      async () => (await contexts()).find((c) => !before.has(c.context) && c.url === url)?.context,
    );
    await until(`${path} to load`, () => run(context, '() => document.readyState === "complete"'));
    return context;
  }

  /** The app page's browsing context: the top-level one showing its address. */
  const appContext = () => until('the app page', async () => (await contexts()).find((c) => c.url === page.url())?.context);

  return {
    browserName: 'Firefox',
    extensionId: EXTENSION_UUID,
    async openApp(url) {
      await page.goto(url);
      // The add-on registers its page hook for the granted hosts as it starts: the app's load that counts comes after.
      const state = await openExtensionPage(await appContext(), 'state.html');
      await until('Tokenscope to watch 127.0.0.1', () =>
        run(state, `async (host) => (await browser.scripting.getRegisteredContentScripts()).some((s) => s.matches?.includes(host))`, hosts),
      );
      await bidi('browsingContext.close', { context: state });
      await page.reload();
    },
    onWindowsClosed() {
      // Closing Firefox's last window ends Firefox: the 'disconnected' event above.
    },
    async signIn(autoApprove) {
      await page.click('#signin');
      if (!autoApprove) {
        await page.waitForSelector('#allow', { timeout: WAIT_MS });
        await page.click('#allow');
      }
      return until('the app to sign in', () =>
        page.evaluate(() => {
          const text = document.getElementById('status')?.textContent ?? '';
          return /Signed in|failed/.test(text) ? text : '';
        }),
      );
    },
    async openPopup(appOrigin) {
      const state = await openExtensionPage(await appContext(), 'state.html');
      const tabId = await until('the app tab', () =>
        // Firefox's match patterns have no port: compare the addresses instead.
        run(state, `async (origin) => (await browser.tabs.query({})).find((tab) => tab.url?.startsWith(origin))?.id ?? 0`, `${appOrigin}/`),
      );
      popup = await openExtensionPage(state, `popup.html?tab=${tabId}`);
      await bidi('browsingContext.setViewport', { context: popup, viewport: { width: 600, height: 600 } });
    },
    async readPopup() {
      if (!popup) throw new Error('the popup is not open');
      return run(popup, readPopupDom.toString());
    },
    async screenshot(path) {
      if (!popup) return;
      const context = popup;
      // Cards below the first screen are `content-visibility: auto`, painted only once on screen: make the viewport as
      // tall as the page (as Playwright's fullPage does), until the height settles once they are painted.
      const settled =
        '() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve(document.documentElement.scrollHeight))))';
      let height = await run(context, settled);
      for (let round = 0; round < 5; round++) {
        await bidi('browsingContext.setViewport', { context, viewport: { width: 600, height } });
        const next = await run(context, settled);
        if (next === height) break;
        height = next;
      }
      const { result } = await bidi('browsingContext.captureScreenshot', { context, origin: 'viewport' });
      writeFileSync(path, Buffer.from(result?.data ?? '', 'base64'));
    },
    async close() {
      await browser.close();
    },
  };
}
