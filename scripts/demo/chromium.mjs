// @ts-check
/**
 * The demo in Chromium (Playwright): the demo build loaded unpacked into a fresh profile; the popup is a plain
 * page at chrome-extension://ID/popup.html?tab=N.
 */
import { cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { until as poll } from '../lib/wait.mjs';
import { readPopupDom } from './popup-read.mjs';

const WAIT_MS = 15_000;
/** @template T @param {string} what @param {() => Promise<T>} check */
const until = (what, check) => poll(what, check, { timeoutMs: WAIT_MS, everyMs: 100 });

/**
 * @param {{ executablePath: string, headless: boolean, automated: boolean, extensionDir: string, scratch: string,
 *   hosts: string, onClose: (why: string) => void }} options
 * @returns {Promise<import('./session.d.mjs').DemoSession>}
 */
export async function launchChromium({ executablePath, headless, automated, extensionDir, scratch, hosts, onClose }) {
  const { chromium } = await import('@playwright/test');
  const extensionCopy = join(scratch, 'extension');
  const profile = join(scratch, 'profile');
  // Chromium writes into an unpacked extension's folder (_metadata): give it a copy.
  cpSync(extensionDir, extensionCopy, { recursive: true });
  mkdirSync(profile);
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless,
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
  context.on('close', () => onClose('the browser was closed'));
  let [worker] = context.serviceWorkers();
  worker ??= await context.waitForEvent('serviceworker', { timeout: WAIT_MS });
  const extensionId = new URL(worker.url()).host;
  const page = context.pages()[0] ?? (await context.newPage());
  /** @type {import('@playwright/test').Page | undefined} */
  let popup;

  return {
    browserName: 'Chromium',
    extensionId,
    async openApp(url) {
      // The worker registers its page hook for the granted hosts as it starts: the app's first load must come after.
      await until('Tokenscope to watch 127.0.0.1', () =>
        worker.evaluate(
          async (host) => (await chrome.scripting.getRegisteredContentScripts()).some((s) => s.matches?.includes(host)),
          hosts,
        ),
      );
      await page.goto(url);
    },
    onWindowsClosed(callback) {
      // Closing the last window ends the demo even if Chromium itself stays up.
      const check = () => context.pages().length === 0 && callback();
      context.on('page', (opened) => opened.on('close', check));
      page.on('close', check);
    },
    async signIn(autoApprove) {
      await page.click('#signin');
      if (!autoApprove) {
        const allow = page.locator('#allow');
        await allow.waitFor({ timeout: WAIT_MS });
        await allow.click();
      }
      const status = page.locator('#status', { hasText: /Signed in|failed/ });
      await status.waitFor({ timeout: WAIT_MS });
      return (await status.textContent()) ?? '';
    },
    async openPopup(appOrigin) {
      const tabId = await until('the app tab', () =>
        worker.evaluate(async (pattern) => (await chrome.tabs.query({ url: pattern }))[0]?.id ?? 0, `${appOrigin}/*`),
      );
      popup = await context.newPage();
      await popup.setViewportSize({ width: 600, height: 600 });
      await popup.goto(`chrome-extension://${extensionId}/popup.html?tab=${tabId}`);
    },
    async readPopup() {
      if (!popup) throw new Error('the popup is not open');
      return popup.evaluate(readPopupDom);
    },
    async screenshot(path) {
      await popup?.screenshot({ path, fullPage: true });
    },
    async close() {
      await context.close();
    },
  };
}
