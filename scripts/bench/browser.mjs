/**
 * What the extension benches share: the builds they measure, kept fresh, and Chromium with the
 * test build loaded, launched by the browser tests' harness (test/support/harness.ts; `npm run bench`
 * runs with tsx, so the harness is shared rather than copied).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storedExchangesIn } from '../../src/background/store-layout.ts';
import { launchExtensionCopy, launchWithExtension, TEST_BUILD_ARGS, TEST_EXTENSION_DIR } from '../../test/support/harness.ts';
import { newestMtime, ROOT, runBuild, shown } from '../lib/project.mjs';

export const RELEASE_BUILD = join(ROOT, 'extension');
export const ENTRIES = [
  'background.js',
  'page-hook.js',
  'relay.js',
  'popup-boot.js',
  'popup.js',
  'panel.js',
  'devtools.js',
  'import-worker.js',
];
export const TEST_BUILD_NAME = `test build (${shown(TEST_EXTENSION_DIR)})`;

/** What a build is made from: src/, the manifest and the build script. */
const sourcesMtime = () => Math.max(...['src', 'manifest.json', 'scripts/build.mjs'].map((path) => newestMtime(join(ROOT, path))));

/** Build into `dir` (with `args`) when an entry is missing or older than the sources. */
function ensureExtensionBuild(dir, args, log) {
  const files = ENTRIES.map((name) => join(dir, name));
  const stale = files.some((file) => !existsSync(file)) || Math.min(...files.map((file) => statSync(file).mtimeMs)) < sourcesMtime();
  if (!stale) return;
  log(`bench: building ${shown(dir)}/`);
  if (runBuild(args) !== 0 || files.some((file) => !existsSync(file))) throw new Error(`bench: the build of ${shown(dir)}/ failed`);
}

export const ensureTestBuild = (log) => ensureExtensionBuild(TEST_EXTENSION_DIR, TEST_BUILD_ARGS, log);
export const ensureReleaseBuild = (log) => ensureExtensionBuild(RELEASE_BUILD, [], log);

/** Chromium with a fresh copy of the test build (the browser tests' harness). */
export async function launch() {
  const { context, extensionId, worker, close } = await launchWithExtension(TEST_EXTENSION_DIR);
  const registeredMatches = () => worker.evaluate(async () => (await chrome.scripting.getRegisteredContentScripts())[0]?.matches ?? []);
  return { context, extensionId, worker, registeredMatches, close, chromiumVersion: context.browser()?.version() ?? null };
}

/**
 * An extension page to read storage.session from and to listen to it: rules.html, which runs no
 * script of its own (the popup would re-render, asking the worker for a view on every change).
 */
export async function openExtensionPage(context, extensionId) {
  const page = await context.newPage();
  await page.goto(`chrome-extension://${extensionId}/rules.html`);
  return page;
}

/**
 * Every exchange the worker stored, oldest first, read from an extension page (one key per exchange and an index
 * per tab: src/background/store-layout.ts). The one way the benches read them.
 */
export async function storedExchanges(extPage) {
  return storedExchangesIn(await extPage.evaluate(() => chrome.storage.session.get(null)));
}

/** Exchanges the worker holds (including those dropped at capacity), and how many came from `site`. */
export async function storeCounts(extPage, site) {
  const session = await extPage.evaluate(() => chrome.storage.session.get(null));
  const exchanges = storedExchangesIn(session);
  return {
    total: exchanges.length + (typeof session.dropped === 'number' ? session.dropped : 0),
    stored: exchanges.length,
    fromSite: exchanges.filter((e) => e.capture.site === site).length,
    otherSites: exchanges.filter((e) => e.capture.site !== site).length,
  };
}

/** Empty the store through the protocol's `clear` (what the popup's "Clear all" sends). */
export const clearStore = (extPage) => extPage.evaluate(() => chrome.runtime.sendMessage({ type: 'clear', tabId: null }));

/**
 * The floor and a probe, as unpacked MV3 extensions in a temp folder: `empty` (a manifest and an empty service
 * worker: what any installed extension costs) and `webRequest` (the same plus one `webRequest.onBeforeRequest`
 * listener with a narrow URL filter, for the bench host only: what the wire log used to cost).
 */
export function writeReferenceExtensions() {
  const dir = mkdtempSync(join(tmpdir(), 'tokenscope-reference-'));
  const write = (name, manifest, worker) => {
    const folder = join(dir, name);
    mkdirSync(folder);
    writeFileSync(join(folder, 'manifest.json'), JSON.stringify({ manifest_version: 3, version: '1.0', name, ...manifest }));
    writeFileSync(join(folder, 'sw.js'), worker);
    return folder;
  };
  return {
    empty: write('empty', { background: { service_worker: 'sw.js' } }, '// An empty extension: the floor.\n'),
    webRequest: write(
      'webrequest-probe',
      {
        background: { service_worker: 'sw.js' },
        permissions: ['webRequest'],
        host_permissions: ['http://127.0.0.1/*', 'http://localhost/*'],
      },
      "chrome.webRequest.onBeforeRequest.addListener(() => undefined, { urls: ['*://*/*token*'], types: ['xmlhttprequest'] });\n",
    ),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Chromium with one unpacked extension (a fresh copy), launched as the browser tests launch it. */
export async function launchPlain(extensionDir) {
  const { context, close } = await launchExtensionCopy(extensionDir);
  return { context, close };
}
