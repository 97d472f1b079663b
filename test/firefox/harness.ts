/**
 * Firefox browser-test harness: Debian's firefox-esr driven by puppeteer-core
 * over WebDriver BiDi (shared/BROWSER-TESTING.md, Firefox section).
 *
 * - The test build (`--browser firefox --test-hosts TEST_HOSTS`) is
 *   installed as a temporary add-on, which gets its host permissions at once.
 * - Its moz-extension UUID is pinned (`extensions.webextensions.uuids`), so the
 *   test build's web-accessible `state.html` has a known address.
 * - BiDi cannot navigate to moz-extension pages and does not list the
 *   background: a test page opens `state.html` with `window.open`, and the
 *   tests evaluate `browser.*` calls there (`ExtensionPage.run`).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import type { Browser as Extension } from 'webextension-polyfill';
import { storedExchangesIn } from '../../src/background/store-layout.js';

const root = join(import.meta.dirname, '../..');
/**
 * Hosts the test build is granted. 127.0.0.2 is a second watched site (a test that removes
 * 127.0.0.1 still has one to make an exchange on); `localhost` is deliberately not granted.
 */
export const TEST_HOSTS = ['http://127.0.0.1/*', 'http://127.0.0.2/*'];
export const GECKO_ID: string = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8')).browser_specific_settings.gecko.id;
/** The extension's moz-extension host in every test profile. */
export const EXTENSION_UUID = '7e57f00d-70ce-4c0e-8a5e-000000f1ef0a';
export const EXTENSION_BASE = `moz-extension://${EXTENSION_UUID}/`;

export function firefoxPath(): string {
  const candidates = [process.env.FIREFOX_PATH, '/usr/bin/firefox-esr', '/usr/bin/firefox'].filter(Boolean) as string[];
  const found = candidates.find((path) => existsSync(path));
  if (!found) throw new Error('No Firefox found: apt-get install firefox-esr, or set FIREFOX_PATH');
  return found;
}

/** Poll until `check` gives a value that is not undefined/false, or fail with `what`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 10_000,
  everyMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value as T;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/**
 * Run `work` holding the build lock: builds are serialized across test files (a build also
 * rewrites dist/, a release build extension/), with a lock folder.
 */
export async function withBuildLock<T>(work: () => T | Promise<T>): Promise<T> {
  mkdirSync(join(root, '.cache'), { recursive: true });
  const lock = join(root, '.cache/firefox-build.lock');
  await waitFor(
    'the build lock',
    () => {
      try {
        mkdirSync(lock);
        return true;
      } catch {
        // A lock left by a killed run: take it over after a while.
        const since = statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now();
        if (Date.now() - since > 60_000) rmSync(lock, { recursive: true, force: true });
        return false;
      }
    },
    60_000,
  );
  try {
    return await work();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Build the Firefox test extension into a folder of this process's own, granted TEST_HOSTS and `alsoHosts`. */
export async function buildTestExtension(alsoHosts: readonly string[] = []): Promise<string> {
  const out = mkdtempSync(join(tmpdir(), 'tokenscope-firefox-'));
  await withBuildLock(() =>
    execFileSync(
      process.execPath,
      [join(root, 'scripts/build.mjs'), '--browser', 'firefox', '--test-hosts', [...TEST_HOSTS, ...alsoHosts].join(','), '--out-dir', out],
      { cwd: root, stdio: 'pipe' },
    ),
  );
  return out;
}

/** BiDi's reply to one command. */
interface BidiReply {
  result?: Record<string, unknown>;
}
interface BidiContext {
  context: string;
  url: string;
  children?: BidiContext[] | null;
}

export class Firefox {
  private constructor(
    readonly browser: Browser,
    readonly extensionDir: string,
  ) {}

  /** Fresh profile, the test build installed as a temporary add-on. */
  static async launch(
    extensionDir: string,
    prefs: Record<string, unknown> = {},
    options: { acceptInsecureCerts?: boolean } = {},
  ): Promise<Firefox> {
    const browser = await puppeteer.launch({
      browser: 'firefox',
      ...(options.acceptInsecureCerts ? { acceptInsecureCerts: true } : {}),
      executablePath: firefoxPath(),
      headless: true,
      extraPrefsFirefox: {
        'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: EXTENSION_UUID }),
        // The tests' pages open state.html and the popup without a click.
        'dom.disable_open_during_load': false,
        ...prefs,
      },
    });
    try {
      await browser.installExtension(extensionDir);
    } catch (error) {
      await browser.close();
      throw error;
    }
    return new Firefox(browser, extensionDir);
  }

  async close(): Promise<void> {
    await this.browser.close();
  }

  bidi(method: string, params: Record<string, unknown>): Promise<BidiReply> {
    const connection = (
      this.browser as unknown as { connection: { send(method: string, params: Record<string, unknown>): Promise<BidiReply> } }
    ).connection;
    return connection.send(method, params);
  }

  async contexts(): Promise<BidiContext[]> {
    const reply = await this.bidi('browsingContext.getTree', {});
    const flat: BidiContext[] = [];
    const walk = (list: BidiContext[] | null | undefined) => {
      for (const context of list ?? []) {
        flat.push(context);
        walk(context.children);
      }
    };
    walk((reply.result?.contexts as BidiContext[] | undefined) ?? []);
    return flat;
  }

  /**
   * A web page on a watched origin, loaded once the background has registered
   * the page hook for it (the first load after install may come before that).
   */
  async openApp(url: string): Promise<{ page: Page; state: ExtensionPage }> {
    const page = await this.browser.newPage();
    await page.goto(url);
    const state = await this.openExtensionPage(page, 'state.html');
    await waitFor('the page hook registration', () =>
      state.run(async (browser) => (await browser.scripting.getRegisteredContentScripts()).length === 2),
    );
    await page.reload();
    await waitFor('the page hook in the page', () =>
      page.evaluate(() => (window as unknown as Record<symbol, unknown>)[Symbol.for('tokenscope.page-hook')] === true),
    );
    return { page, state };
  }

  /** Open an extension page from `page` (window.open) or from another extension page, and find its context. */
  async openExtensionPage(opener: Page | ExtensionPage, path: string): Promise<ExtensionPage> {
    const url = `${EXTENSION_BASE}${path}`;
    const before = new Set((await this.contexts()).map((c) => c.context));
    if (opener instanceof ExtensionPage) await opener.run((_browser, target: string) => void window.open(target), url);
    else await opener.evaluate((target: string) => void window.open(target), url);
    const context = await waitFor(`${path} to open`, async () => {
      const found = (await this.contexts()).find((c) => !before.has(c.context) && c.url === url);
      return found?.context;
    });
    const page = new ExtensionPage(this, context);
    await waitFor(`${path} to load`, () => page.run(() => document.readyState === 'complete'));
    return page;
  }
}

/** An extension page the tests evaluate in (it has the full `browser.*` API). */
export class ExtensionPage {
  constructor(
    private readonly firefox: Firefox,
    readonly context: string,
  ) {}

  /** Run `fn(browser, arg)` in the page (`browser`: the page's WebExtension API); values travel as JSON. */
  async run<A, R>(fn: (browser: Extension, arg: A) => R | Promise<R>, arg?: A): Promise<R> {
    const reply = await this.firefox.bidi('script.callFunction', {
      functionDeclaration: `async (json) => JSON.stringify(await (${fn.toString()})(globalThis.browser, JSON.parse(json)) ?? null)`,
      arguments: [{ type: 'string', value: JSON.stringify(arg ?? null) }],
      target: { context: this.context },
      awaitPromise: true,
      userActivation: true,
    });
    const result = reply.result as
      | { type: string; result?: { type: string; value?: unknown }; exceptionDetails?: { text?: string } }
      | undefined;
    if (result?.type === 'exception') throw new Error(`in ${this.context}: ${result.exceptionDetails?.text ?? 'exception'}`);
    const value = result?.result?.value;
    return (typeof value === 'string' ? JSON.parse(value) : null) as R;
  }

  async close(): Promise<void> {
    await this.firefox.bidi('browsingContext.close', { context: this.context });
  }
}

/** What the tests read from storage.session: the stored exchanges. */
export interface StoredLike {
  key: string;
  capture: { tabId: number; site: string; seenBy: string[]; verification: string };
  exchange: {
    url: string;
    method: string;
    status: number | null;
    source: string;
    response: { body: string | null; bodyNote?: string; contentType?: string };
  };
}

/** Every stored exchange, oldest first (one key per exchange and an index per tab: src/background/store-layout.ts). */
export async function storedExchanges(state: ExtensionPage): Promise<StoredLike[]> {
  const items = await state.run(async (browser) => (await browser.storage.session.get(null)) as Record<string, unknown>);
  return storedExchangesIn(items) as unknown as StoredLike[];
}

/** The browser's id of the tab showing `url`. */
export function tabIdOf(state: ExtensionPage, url: string): Promise<number> {
  return waitFor(`a tab showing ${url}`, () =>
    state.run(async (browser, target: string) => (await browser.tabs.query({})).find((tab) => tab.url === target)?.id, url),
  );
}
