#!/usr/bin/env node
/**
 * The one build: the CLI, the library (`tokenscope`) and the Playwright fixture
 * (`tokenscope/playwright`) into dist/, the extension into extension/. The default build
 * (no --out-dir, --browser or test hosts) also writes the packages' type declarations
 * (tsc with tsconfig.lib.json, into dist/types/).
 *
 *   node scripts/build.mjs [--watch] [--browser chromium|firefox] [--test-hosts "http://127.0.0.1/*,..."] [--out-dir DIR]
 *
 * TOKENSCOPE_TEST_HOSTS (comma-separated match patterns) does what --test-hosts does:
 * a test build whose manifest grants those hosts up front, so tests can drive the
 * user's site-access toggles. A release build asks for no host at install.
 *
 * --browser firefox writes the manifest Firefox needs (the few differences are in
 * `writeManifest`) to .cache/extension-firefox unless --out-dir says otherwise;
 * the top-level extension/ stays the Chromium build.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import * as esbuild from 'esbuild';
import { escapeHtml } from './lib/html.mjs';
import { packageVersion, ROOT as root, shown } from './lib/project.mjs';

const { values } = parseArgs({
  options: {
    watch: { type: 'boolean', default: false },
    browser: { type: 'string', default: 'chromium' },
    'test-hosts': { type: 'string' },
    'out-dir': { type: 'string' },
  },
});
const testHosts = (values['test-hosts'] ?? process.env.TOKENSCOPE_TEST_HOSTS ?? '')
  .split(',')
  .map((host) => host.trim())
  .filter(Boolean);
const browser = values.browser;
if (!['chromium', 'firefox'].includes(browser)) {
  console.error(`build: --browser must be chromium or firefox (got ${browser})`);
  process.exit(2);
}
const staticDir = join(root, 'extension');
const defaultDir = browser === 'firefox' ? join(root, '.cache/extension-firefox') : staticDir;
const extensionDir = values['out-dir'] ? resolve(values['out-dir']) : defaultDir;
const shownDir = shown(extensionDir) === extensionDir ? extensionDir : `${shown(extensionDir)}/`;

/** docs/RULES.md as a page inside the extension (findings link to rules.html#<rule>): headings, paragraphs, bold, code. */
function writeRulesPage() {
  const inline = (text) =>
    escapeHtml(text)
      .replace(/`([^`]+)`/g, '<code>$1</code>')
      .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>');
  const blocks = readFileSync(join(root, 'docs/RULES.md'), 'utf8').split(/\n\s*\n/);
  const body = blocks
    .map((block) => {
      const text = block.trim();
      const heading = /^(#{1,3}) (.*)$/.exec(text);
      if (heading) {
        const level = heading[1].length;
        const id = /^`([a-z-]+)`$/.exec(heading[2])?.[1];
        return `<h${level}${id ? ` id="${id}"` : ''}>${inline(heading[2])}</h${level}>`;
      }
      const lines = text.split('\n');
      if (lines.every((line) => line.startsWith('|'))) {
        // A Markdown table: header row, separator row, body rows.
        const cells = (line) =>
          line
            .split('|')
            .slice(1, -1)
            .map((cell) => inline(cell.trim()));
        const [head = '', , ...rows] = lines;
        const row = (line, tag) =>
          `<tr>${cells(line)
            .map((cell) => `<${tag}>${cell}</${tag}>`)
            .join('')}</tr>`;
        return `<table>\n<thead>${row(head, 'th')}</thead>\n<tbody>\n${rows.map((line) => row(line, 'td')).join('\n')}\n</tbody>\n</table>`;
      }
      if (lines[0]?.startsWith('- ')) {
        const items = text.split(/\n(?=- )/).map((item) => `<li>${inline(item.slice(2).replace(/\s*\n\s*/g, ' '))}</li>`);
        return `<ul>\n${items.join('\n')}\n</ul>`;
      }
      return `<p>${inline(text.replace(/\s*\n\s*/g, ' '))}</p>`;
    })
    .join('\n');
  const page = `<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8" />\n<meta name="color-scheme" content="light dark" />\n<title>Tokenscope rules</title>\n<link rel="stylesheet" href="tokenscope.css" />\n</head>\n<body class="rules">\n<main class="rules-page">\n${body}\n</main>\n</body>\n</html>\n`;
  writeFileSync(join(extensionDir, 'rules.html'), page);
}

/** A test build's page for reading the background's state from a browser test (Firefox tests cannot navigate to it). */
const STATE_PAGE = 'state.html';

/** The manifest the browser loads: the one at the top level, with the build's few differences. */
function writeManifest() {
  const source = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8'));
  // The version has one home, package.json: the top-level manifest.json has none, each build's manifest gets it here.
  const { manifest_version, name, short_name, ...rest } = source;
  const manifest = { manifest_version, name, short_name, version: packageVersion(), ...rest };
  if (browser === 'firefox') {
    // Response bodies in the background (webRequest.filterResponseData). Chromium gets no webRequest at all: any
    // listener there makes every request of every page slower (docs/BENCHMARKS.md); Chromium MV3 has no filter anyway.
    manifest.permissions = [...new Set([...(manifest.permissions ?? []), 'webRequest', 'webRequestBlocking', 'webRequestFilterResponse'])];
    // Firefox runs background.scripts and ignores service_worker (with a warning); Chrome-only keys go too.
    delete manifest.background.service_worker;
    delete manifest.minimum_chrome_version;
  }
  if (testHosts.length > 0) {
    manifest.host_permissions = [...new Set([...(manifest.host_permissions ?? []), ...testHosts])];
    // Test build only: the optional webNavigation granted at install, as a user's click in the popup grants it (a
    // headless browser never accepts a permission prompt; shared/BROWSER-TESTING.md). The release build asks first.
    manifest.permissions = [...new Set([...(manifest.permissions ?? []), ...(manifest.optional_permissions ?? [])])];
    delete manifest.optional_permissions;
    manifest.name = `${manifest.name} (test build)`;
    if (browser === 'firefox') {
      // Test build only: the Firefox tests open this page from a test origin (window.open) to read the extension's state.
      // Web-accessible pages let sites detect the extension, so a release build never has one.
      manifest.web_accessible_resources = [{ resources: [STATE_PAGE], matches: testHosts }];
    }
  }
  writeFileSync(join(extensionDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
}

/** The test-only state page: empty; a test evaluates `browser.*` calls in it. Removed from any other build's folder. */
function writeStatePage() {
  const path = join(extensionDir, STATE_PAGE);
  if (browser === 'firefox' && testHosts.length > 0) {
    writeFileSync(
      path,
      '<!doctype html>\n<html lang="en">\n<head><meta charset="utf-8" /><title>Tokenscope test state</title></head>\n<body></body>\n</html>\n',
    );
  } else {
    rmSync(path, { force: true });
  }
}

/** Scripts the browser runs as classic scripts: the worker (one file), content scripts, the DevTools page. */
const extensionEntries = [
  ['src/background/index.ts', 'background.js'],
  ['src/content/page-hook-entry.ts', 'page-hook.js'],
  ['src/content/relay-entry.ts', 'relay.js'],
  ['src/ui/devtools/devtools.ts', 'devtools.js'],
  // The popup's boot script: asks for the first view while the popup's modules load (src/ui/popup/boot.ts).
  ['src/ui/popup/boot.ts', 'popup-boot.js'],
  // The views' import worker: reads and analyzes an imported file off the view's main thread.
  ['src/ui/import/import-worker.ts', 'import-worker.js'],
].filter(([entry]) => existsSync(join(root, entry)));

/** The views: ES modules sharing chunks, so what only an import or an export needs loads on demand. */
const viewEntries = [
  ['src/ui/popup/index.ts', 'popup'],
  ['src/ui/devtools/panel.ts', 'panel'],
];

const common = {
  bundle: true,
  // Module paths as they appear below the project (node_modules/...), not where a symlink points: chunk names hash
  // those paths, so a build from the source archive names its chunks as the release did (docs/RELEASE.md).
  preserveSymlinks: true,
  logLevel: 'warning',
  legalComments: 'none',
};

/**
 * The worker hook (src/content/worker-hook-entry.ts): bundled first, into a string the page hook embeds
 * (`__WORKER_HOOK_SOURCE__`, used by src/content/worker-wrap.ts to start a page's blob: Web Worker with it).
 * In --watch mode it is built once, at start.
 */
const workerHook = await esbuild.build({
  ...common,
  entryPoints: [join(root, 'src/content/worker-hook-entry.ts')],
  write: false,
  platform: 'browser',
  format: 'iife',
  target: ['chrome120', 'firefox128'],
  minify: true,
  sourcemap: false,
  define: { __WORKER_HOOK_SOURCE__: 'undefined' },
});
const workerHookSource = workerHook.outputFiles[0].text;

const builds = [
  {
    ...common,
    entryPoints: [join(root, 'src/cli/index.ts')],
    outfile: join(root, 'dist/tokenscope.mjs'),
    platform: 'node',
    format: 'esm',
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
  },
  {
    // The library: pure, so it runs in Node and in browsers; its dependencies bundled in.
    ...common,
    entryPoints: [join(root, 'src/lib/index.ts')],
    outfile: join(root, 'dist/lib/index.mjs'),
    platform: 'neutral',
    mainFields: ['module', 'main'],
    format: 'esm',
    target: 'es2022',
  },
  {
    // The fixture: @playwright/test is the test project's own (a peer dependency), never bundled.
    ...common,
    entryPoints: [join(root, 'src/playwright/index.ts')],
    outfile: join(root, 'dist/playwright/index.mjs'),
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['@playwright/test'],
  },
  ...extensionEntries.map(([entry, out]) => ({
    ...common,
    entryPoints: [join(root, entry)],
    outfile: join(extensionDir, out),
    platform: 'browser',
    format: 'iife',
    target: ['chrome120', 'firefox128'],
    minify: true,
    sourcemap: false,
    define: { __WORKER_HOOK_SOURCE__: out === 'page-hook.js' ? JSON.stringify(workerHookSource) : 'undefined' },
  })),
  {
    ...common,
    entryPoints: Object.fromEntries(viewEntries.map(([entry, name]) => [name, join(root, entry)])),
    outdir: extensionDir,
    chunkNames: 'chunks/[name]-[hash]',
    splitting: true,
    platform: 'browser',
    format: 'esm',
    target: ['chrome120', 'firefox128'],
    minify: true,
    sourcemap: false,
    jsx: 'automatic',
    jsxImportSource: 'preact',
  },
];

mkdirSync(extensionDir, { recursive: true });
// Chunk names carry a content hash: start from an empty folder so old ones do not pile up. Every script at the top of
// the folder is a build output too: removed first, so a script no entry builds any more cannot linger and hide that.
rmSync(join(extensionDir, 'chunks'), { recursive: true, force: true });
for (const name of readdirSync(extensionDir)) if (name.endsWith('.js')) rmSync(join(extensionDir, name), { force: true });
if (extensionDir !== staticDir) {
  // Another output folder (the tests' build): the static pages, styles and icons come along.
  for (const name of readdirSync(staticDir)) {
    if (!name.endsWith('.js') && name !== 'manifest.json' && name !== 'chunks')
      cpSync(join(staticDir, name), join(extensionDir, name), { recursive: true });
  }
}
writeManifest();
writeStatePage();
writeRulesPage();
/** The .d.ts files of `tokenscope` and `tokenscope/playwright`, from the sources (dist/types/). */
function writeDeclarations() {
  const tsc = join(root, 'node_modules/typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.lib.json')], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`build: type declarations failed (tsc exit ${result.status})`);
    process.exit(1);
  }
}
const isReleaseBuild = !values['out-dir'] && browser === 'chromium' && testHosts.length === 0;

if (values.watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
  console.log(`build: watching for changes (${browser} -> ${shownDir})`);
} else {
  const started = performance.now();
  await Promise.all(builds.map((options) => esbuild.build(options)));
  if (isReleaseBuild) writeDeclarations();
  const took = Math.round(performance.now() - started);
  console.log(
    `build: ${builds.length} bundles (${browser}${testHosts.length ? `, test hosts ${testHosts.join(' ')}` : ''}) in ${took} ms -> ${shownDir}`,
  );
}
