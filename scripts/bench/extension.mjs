/**
 * The extension's benchmarks, in real (headless) Chromium with the test build loaded:
 *
 * - page-overhead: what the page hook costs a watched page's own fetch/XHR calls, against an
 *   unwatched page (no hook) in the same browser, timed inside the pages, interleaved.
 *   Target: watched / unwatched <= 1.05 for ordinary (non-token) requests.
 * - capture-latency: from a token response reaching the page to the exchange being in
 *   storage.session. Target: median < 50 ms.
 * - bundle-sizes: bytes and gzip bytes of each built entry in extension/.
 *
 * Each bench is one browser session, launched by the browser tests' harness (test/e2e/harness.ts).
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import os from 'node:os';
import { dirname, join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
// `npm run bench` runs with tsx, so the browser tests' harness (TypeScript) is shared rather than copied.
import { launchWithExtension, setSiteAccess } from '../../test/e2e/harness.ts';
import { median, ROOT, stats } from './lib.mjs';

export const OVERHEAD_TARGET = 1.05;
export const LATENCY_TARGET_MS = 50;
const TEST_HOSTS = ['http://127.0.0.1/*', 'http://localhost/*'];
const TEST_BUILD = join(ROOT, '.cache', 'extension-test');
const RELEASE_BUILD = join(ROOT, 'extension');
const ENTRIES = ['background.js', 'page-hook.js', 'relay.js', 'popup.js', 'panel.js', 'devtools.js'];
const TOKEN_PATH = '/v2/oauth2/token';

// ---------------------------------------------------------------- builds

function newestMtime(path) {
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = 0;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)));
  return newest;
}

/** What a build is made from: src/, the manifest and the build script. */
const sourcesMtime = () => Math.max(newestMtime(join(ROOT, 'src')), newestMtime(join(ROOT, 'manifest.json')), newestMtime(join(ROOT, 'scripts', 'build.mjs')));

/** Build into `dir` (with `args`) when an entry is missing or older than the sources. */
function ensureExtensionBuild(dir, args, log) {
  const files = ENTRIES.map((name) => join(dir, name));
  const stale = files.some((file) => !existsSync(file)) || Math.min(...files.map((file) => statSync(file).mtimeMs)) < sourcesMtime();
  if (!stale) return;
  log(`bench: building ${relative(ROOT, dir)}/`);
  const build = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs'), ...args], { stdio: 'inherit', cwd: ROOT });
  if (build.status !== 0 || files.some((file) => !existsSync(file))) throw new Error(`bench: the build of ${relative(ROOT, dir)}/ failed`);
}

const ensureTestBuild = (log) => ensureExtensionBuild(TEST_BUILD, ['--test-hosts', TEST_HOSTS.join(','), '--out-dir', TEST_BUILD], log);
const ensureReleaseBuild = (log) => ensureExtensionBuild(RELEASE_BUILD, [], log);

// ---------------------------------------------------------------- the browser

async function until(what, check, timeoutMs = 15_000, everyMs = 50) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`bench: timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** Chromium with a fresh copy of the test build (the browser tests' harness). */
async function launch() {
  const { context, extensionId, worker, close } = await launchWithExtension(TEST_BUILD);
  const registeredMatches = () => worker.evaluate(async () => (await chrome.scripting.getRegisteredContentScripts())[0]?.matches ?? []);
  return { context, extensionId, worker, registeredMatches, close, chromiumVersion: context.browser()?.version() ?? null };
}

/**
 * An extension page to read storage.session from and to listen to it: rules.html, which runs no
 * script of its own (the popup would re-render, asking the worker for a view on every change).
 */
async function openExtensionPage(context, extensionId) {
  const page = await context.newPage();
  await page.goto(`chrome-extension://${extensionId}/rules.html`);
  return page;
}

/** Exchanges the worker holds (including those dropped at capacity), and how many came from `site`. */
const storeCounts = (extPage, site) =>
  extPage.evaluate(async (origin) => {
    const { exchanges = [], dropped = 0 } = await chrome.storage.session.get(['exchanges', 'dropped']);
    return { total: exchanges.length + dropped, stored: exchanges.length, fromSite: exchanges.filter((e) => e.capture.site === origin).length, otherSites: exchanges.filter((e) => e.capture.site !== origin).length };
  }, site);

/** Empty the store through the protocol's `clear` (what the popup's "Clear all" sends). */
const clearStore = (extPage) => extPage.evaluate(() => chrome.runtime.sendMessage({ type: 'clear', tabId: null }));

// ---------------------------------------------------------------- the local server and its page

const b64url = (value) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const opaque = (bytes = 32) => randomBytes(bytes).toString('base64url');

/** A Globus-Auth-shaped token response (as test/e2e/servers/token-endpoint.ts answers), every token fresh. */
function globusAnswer() {
  const now = Math.floor(Date.now() / 1000);
  const clientId = 'a1b2c3d4-0000-4000-8000-00000000c11e';
  const token = (resourceServer, scope) => ({ access_token: opaque(), expires_in: 172800, resource_server: resourceServer, token_type: 'Bearer', state: '_default', scope, refresh_token: opaque(48) });
  const claims = { iss: 'https://auth.globus.org', sub: '5e2f1a7c-3b6d-4c8e-9f0a-1b2c3d4e5f60', aud: clientId, azp: clientId, iat: now, exp: now + 172800, email: 'test.user@example.org', name: 'Test User' };
  return {
    ...token('auth.globus.org', 'openid profile email'),
    // The signature is random bytes: nothing in the extension verifies it.
    id_token: `${b64url({ alg: 'RS256', typ: 'JWT', kid: 'bench' })}.${b64url(claims)}.${randomBytes(256).toString('base64url')}`,
    other_tokens: [
      token('transfer.api.globus.org', 'urn:globus:auth:scope:transfer.api.globus.org:all'),
      token('groups.api.globus.org', 'urn:globus:auth:scope:groups.api.globus.org:view_my_groups_and_memberships'),
    ],
  };
}

/**
 * The page under test: the same HTML on both origins, its own script doing the timed batches
 * (so the calls are the page's own, through whatever `fetch`/`XMLHttpRequest` the page sees).
 */
const PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>Tokenscope bench page</title></head>
<body><p>Tokenscope bench page</p>
<script>
(() => {
  const check = (ok, what) => { if (!ok) throw new Error('bench page: ' + what); };
  const tokenBody = (i) => new URLSearchParams({ grant_type: 'authorization_code', code: 'code-' + i + '-' + Math.random().toString(36).slice(2), client_id: 'a1b2c3d4-0000-4000-8000-00000000c11e', redirect_uri: location.origin + '/app', code_verifier: 'v'.repeat(43) }).toString();
  const xhr = (method, url, body, headers, Xhr = XMLHttpRequest) => new Promise((resolve, reject) => {
    const request = new Xhr();
    request.open(method, url);
    for (const [name, value] of Object.entries(headers)) request.setRequestHeader(name, value);
    request.onload = () => resolve(request);
    request.onerror = () => reject(new Error('bench page: XHR failed: ' + method + ' ' + url));
    request.send(body);
  });
  const posted = new Map();
  // A same-origin about:blank frame: the hook is not injected there (no match_origin_as_fallback), so its
  // fetch and XMLHttpRequest are the browser's own, on the same host, same tab, same renderer.
  let blank = null;
  const frame = () => {
    if (!blank) {
      blank = document.createElement('iframe');
      document.body.append(blank);
    }
    return blank.contentWindow;
  };
  window.bench = {
    /** n sequential fetches: GET /api/data, every postEvery-th a POST of non-token JSON to /api/items. */
    async fetch(n, postEvery, first = 0, viaFrame = false) {
      const fetch = viaFrame ? frame().fetch.bind(frame()) : window.fetch;
      const started = performance.now();
      for (let i = first; i < first + n; i++) {
        const res = i % postEvery === postEvery - 1
          ? await fetch('/api/items', { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: JSON.stringify({ name: 'item ' + i, tags: ['a', 'b'], count: i }) })
          : await fetch('/api/data?page=' + i, { headers: { Accept: 'application/json' } });
        const json = await res.json();
        check(res.ok && json.ok === true, 'bad answer');
      }
      return performance.now() - started;
    },
    /** The same with XMLHttpRequest. */
    async xhr(n, postEvery, first = 0, viaFrame = false) {
      const Xhr = viaFrame ? frame().XMLHttpRequest : XMLHttpRequest;
      const started = performance.now();
      for (let i = first; i < first + n; i++) {
        const request = i % postEvery === postEvery - 1
          ? await xhr('POST', '/api/items', JSON.stringify({ name: 'item ' + i, tags: ['a', 'b'], count: i }), { 'Content-Type': 'application/json', Accept: 'application/json' }, Xhr)
          : await xhr('GET', '/api/data?page=' + i, null, { Accept: 'application/json' }, Xhr);
        check(request.status === 200 && JSON.parse(request.responseText).ok === true, 'bad answer');
      }
      return performance.now() - started;
    },
    /** n sequential token exchanges (POST grant_type=authorization_code to the token endpoint) with fetch. */
    async tokenFetch(n) {
      const started = performance.now();
      for (let i = 0; i < n; i++) {
        const res = await fetch('${TOKEN_PATH}', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' }, body: tokenBody(i) });
        const json = await res.json();
        check(res.ok && typeof json.access_token === 'string', 'no token');
      }
      return performance.now() - started;
    },
    /** The same with XMLHttpRequest. */
    async tokenXhr(n) {
      const started = performance.now();
      for (let i = 0; i < n; i++) {
        const request = await xhr('POST', '${TOKEN_PATH}', tokenBody(i), { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' });
        check(request.status === 200 && typeof JSON.parse(request.responseText).access_token === 'string', 'no token');
      }
      return performance.now() - started;
    },
    /** Note when the hook's window.postMessage reaches this window (the relay gets the same event). */
    watchPosts() {
      window.addEventListener('message', (event) => {
        const exchange = event.source === window && event.data && event.data.exchange;
        if (!exchange || typeof exchange.responseBody !== 'string') return;
        const at = performance.timeOrigin + performance.now();
        try { posted.set(JSON.parse(exchange.responseBody).access_token, at); } catch {}
      });
    },
    postedAt: (token) => posted.get(token) ?? null,
    frameHasHook: () => Symbol.for('tokenscope.page-hook') in frame() || frame().fetch === window.fetch,
    /** One token exchange; the time (epoch ms, high resolution) is taken as the page's fetch promise resolves. */
    async exchange(i) {
      const res = await fetch('${TOKEN_PATH}', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' }, body: tokenBody(i) });
      const respondedAt = performance.timeOrigin + performance.now();
      const json = await res.json();
      check(res.ok && typeof json.access_token === 'string', 'no token');
      return { respondedAt, token: json.access_token };
    },
  };
})();
</script>
</body></html>`;

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** One server on 127.0.0.1 (reached as 127.0.0.1 and as localhost): the page, a tiny JSON API and a token endpoint. */
async function startServer() {
  const counts = { data: 0, items: 0, token: 0 };
  const json = (res, value) => {
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify(value));
  };
  const server = createServer(async (req, res) => {
    try {
      const body = await readBody(req);
      const path = (req.url ?? '/').split('?')[0];
      if (req.method === 'GET' && path === '/bench') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
        res.end(PAGE);
      } else if (req.method === 'GET' && path === '/api/data') {
        counts.data++;
        json(res, { ok: true, items: [{ id: counts.data, name: 'alpha' }, { id: 2, name: 'beta' }] });
      } else if (req.method === 'POST' && path === '/api/items') {
        counts.items++;
        json(res, { ok: true, id: counts.items, received: body.length });
      } else if (req.method === 'POST' && path === TOKEN_PATH) {
        counts.token++;
        json(res, globusAnswer());
      } else {
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('not found');
      }
    } catch (error) {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(error));
    }
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  return {
    port,
    counts,
    watchedUrl: `http://127.0.0.1:${port}/bench`,
    unwatchedUrl: `http://localhost:${port}/bench`,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

// ---------------------------------------------------------------- page-overhead

const summarize = (values) => {
  const s = stats(values);
  return { median: +s.median.toFixed(1), min: +s.min.toFixed(1), max: +s.max.toFixed(1) };
};

/**
 * Options: runs (rounds, default 7), warmup (untimed rounds, default 1), requests (per batch,
 * default 2000), postEvery (every Nth request a POST, default 4), tokens (token exchanges per
 * token batch, default 200), log.
 */
export async function benchPageOverhead({ runs = 7, warmup = 1, requests = 2000, chunk = 100, postEvery = 4, tokens = 200, control = true, log = console.log } = {}) {
  ensureTestBuild(log);
  const browser = await launch();
  const server = await startServer();
  try {
    const { context, extensionId, registeredMatches } = browser;
    // Only 127.0.0.1 allowed: the hook is registered there and nowhere else.
    await setSiteAccess(context, extensionId, ['http://127.0.0.1/*']);
    await until('the registration to follow site access', async () => (await registeredMatches()).join() === 'http://127.0.0.1/*');
    const watched = await context.newPage();
    await watched.goto(server.watchedUrl);
    const unwatched = await context.newPage();
    await unwatched.goto(server.unwatchedUrl);
    const hook = {
      watched: await watched.evaluate(() => Symbol.for('tokenscope.page-hook') in window),
      unwatched: await unwatched.evaluate(() => Symbol.for('tokenscope.page-hook') in window),
    };
    if (control) hook.watchedBlankFrame = await watched.evaluate(() => window.bench.frameHasHook());
    if (!hook.watched || hook.unwatched || hook.watchedBlankFrame) throw new Error(`bench: the hook must be on the watched page only; found ${JSON.stringify(hook)}`);
    const extPage = await openExtensionPage(context, extensionId);
    const watchedSite = new URL(server.watchedUrl).origin;

    const kinds = [
      { kind: 'fetch', n: requests, token: false },
      { kind: 'xhr', n: requests, token: false },
      { kind: 'tokenFetch', n: tokens, token: true },
      { kind: 'tokenXhr', n: tokens, token: true },
    ];
    // Sides: the watched page (hook), the unwatched page (no hook) and, as a diagnostic, the watched page's calls
    // made through a same-origin about:blank frame (no hook, but the same watched host, tab and renderer).
    const sides = control ? ['watched', 'unwatched', 'control'] : ['watched', 'unwatched'];
    const pageOf = { watched, unwatched, control: watched };
    const samples = [];
    let captured = 0;
    let capturedElsewhere = 0;
    const runChunk = (side, kind, n, first) =>
      pageOf[side].evaluate(([k, count, every, from, viaFrame]) => window.bench[k](count, every, from, viaFrame), [kind, n, postEvery, first, side === 'control']);
    /** Wait until the worker has stored a token batch (untimed), then empty the store. */
    const settle = async (n) => {
      const counts = await until(`${n} exchanges to be stored`, async () => {
        const c = await storeCounts(extPage, watchedSite);
        return c.total >= n ? c : null;
      }, 120_000);
      captured += counts.total;
      capturedElsewhere += counts.otherSites;
      await clearStore(extPage);
      await new Promise((resolve) => setTimeout(resolve, 300)); // The last badge update.
    };
    const rotate = (list, by) => list.map((_, i) => list[(i + by) % list.length]);

    for (let round = -warmup; round < runs; round++) {
      const row = { round };
      for (const { kind, n, token } of kinds) {
        if (token) {
          // One contiguous batch per side (the token variant has no control), the order rotating each round;
          // the worker's work after a watched batch is waited out before the next batch starts.
          for (const side of rotate(['watched', 'unwatched'], round + warmup)) {
            row[`${kind}.${side}`] = +(await runChunk(side, kind, n, 0)).toFixed(1);
            if (side === 'watched') await settle(n);
          }
          continue;
        }
        // The batch of n sequential calls per side, run as chunks that alternate between the sides (the first side
        // rotating every chunk), summed: the machine's other load, which changes over seconds, hits every side alike.
        for (const side of sides) row[`${kind}.${side}`] = 0;
        row[`${kind}.chunks`] = [];
        for (let first = 0, j = 0; first < n; first += chunk, j++) {
          const times = {};
          for (const side of rotate(sides, round + warmup + j)) times[side] = await runChunk(side, kind, Math.min(chunk, n - first), first);
          for (const side of sides) row[`${kind}.${side}`] += times[side];
          row[`${kind}.chunks`].push(sides.map((side) => +times[side].toFixed(1)));
        }
        for (const side of sides) row[`${kind}.${side}`] = +row[`${kind}.${side}`].toFixed(1);
      }
      if (round < 0) {
        log('bench: page-overhead warm-up round done');
        continue;
      }
      samples.push(row);
      log(
        `bench: round ${round + 1}/${runs}: ` +
          kinds.map(({ kind, token }) => `${kind} ${(token ? ['watched', 'unwatched'] : sides).map((side) => Math.round(row[`${kind}.${side}`])).join('/')} ms`).join(', ') +
          ` (${sides.join('/')})`,
      );
    }
    const capturedUnwatched = (await storeCounts(extPage, `http://localhost:${server.port}`)).fromSite;

    const result = {};
    for (const { kind, n, token } of kinds) {
      const column = (side) => samples.map((s) => s[`${kind}.${side}`]);
      const ratiosOf = (a, b) => samples.map((s) => s[`${kind}.${a}`] / s[`${kind}.${b}`]);
      const ratios = ratiosOf('watched', 'unwatched');
      const wm = median(column('watched'));
      const um = median(column('unwatched'));
      result[kind] = {
        calls: n,
        watched: summarize(column('watched')),
        unwatched: summarize(column('unwatched')),
        /** Median of the per-round ratios (the target's figure). */
        ratio: +median(ratios).toFixed(3),
        ratioOfMedians: +(wm / um).toFixed(3),
        ratioRange: [+Math.min(...ratios).toFixed(3), +Math.max(...ratios).toFixed(3)],
        perCallUs: { watched: +((wm / n) * 1000).toFixed(1), unwatched: +((um / n) * 1000).toFixed(1), added: +(((wm - um) / n) * 1000).toFixed(1) },
      };
      if (!token) {
        /** Median over every chunk (all rounds) of watched/unwatched for the chunk pair run back to back: robust to bursts of other load. */
        const chunkRatios = samples.flatMap((s) => s[`${kind}.chunks`].map((times) => times[0] / times[1]));
        result[kind].chunkPairRatio = +median(chunkRatios).toFixed(3);
      }
      if (control && !token) {
        const chunkRatios = (a, b) => samples.flatMap((s) => s[`${kind}.chunks`].map((times) => times[a] / times[b]));
        result[kind].chunkPairHookRatio = +median(chunkRatios(0, 2)).toFixed(3);
        result[kind].chunkPairRestRatio = +median(chunkRatios(2, 1)).toFixed(3);
        result[kind].control = summarize(column('control'));
        /** The hook alone: watched page vs its own hook-less frame (same host, so the worker's webRequest listener runs for both). */
        result[kind].hookRatio = +median(ratiosOf('watched', 'control')).toFixed(3);
        /** Everything but the hook: the hook-less frame on the watched host vs the unwatched page. */
        result[kind].restRatio = +median(ratiosOf('control', 'unwatched')).toFixed(3);
      }
    }
    const tokenCalls = (warmup + runs) * 2 * tokens;
    return {
      name: 'page-overhead',
      title: 'Page overhead: fetch/XHR on a watched page (hook) vs an unwatched page (no hook), same browser',
      setup: {
        browser: `Chromium ${browser.chromiumVersion}, headless, test build (.cache/extension-test)`,
        watched: server.watchedUrl,
        unwatched: `${server.unwatchedUrl} (site access withheld on chrome://extensions)`,
        hook: hook,
        requests,
        postEvery,
        mix: `${requests - Math.floor(requests / postEvery)} GET /api/data + ${Math.floor(requests / postEvery)} POST /api/items (JSON), sequential, body read`,
        chunk,
        tokens,
        timing: `performance.now() inside the page; an ordinary batch of ${requests} sequential calls per side runs as chunks of ${chunk} alternating between the sides (summed); a token batch runs whole`,
        control: control ? 'the watched page calling through a same-origin about:blank frame (no hook there): same host, tab and renderer' : null,
      },
      runs,
      warmup,
      fetch: result.fetch,
      xhr: result.xhr,
      tokenFetch: result.tokenFetch,
      tokenXhr: result.tokenXhr,
      captured: { watchedExpected: tokenCalls, watched: captured, wrongSite: capturedElsewhere, unwatched: capturedUnwatched },
      samples,
      loadAverageAfter: os.loadavg().map((l) => +l.toFixed(2)),
      target: { ratio: OVERHEAD_TARGET },
      pass: {
        fetch: result.fetch.ratio <= OVERHEAD_TARGET,
        xhr: result.xhr.ratio <= OVERHEAD_TARGET,
        hookOnWatchedOnly: hook.watched && !hook.unwatched && !hook.watchedBlankFrame,
        tokensCaptured: captured === tokenCalls && capturedElsewhere === 0 && capturedUnwatched === 0,
      },
    };
  } finally {
    await server.close();
    await browser.close();
  }
}

const verdict = (ok) => (ok ? 'PASS' : 'MISS');

export function formatPageOverhead(result) {
  const row = (cells) => `  ${cells[0].padEnd(22)}${cells.slice(1).map((c) => String(c).padStart(12)).join('')}`;
  const ms = (s) => (s ? `${Math.round(s.median)} ms` : '-');
  const x = (v) => (v === undefined ? '-' : `${v.toFixed(3)}x`);
  const line = (label, r, target) =>
    row([label, ms(r.watched), ms(r.unwatched), `${r.perCallUs.added} us`, x(r.ratio), x(r.chunkPairRatio), target ? verdict(r.ratio <= result.target.ratio) : 'no target', ms(r.control), x(r.hookRatio), x(r.restRatio)]);
  const { fetch, xhr, tokenFetch, tokenXhr } = result;
  return [
    result.title,
    `  ${result.setup.browser}; ${result.runs} rounds (+${result.warmup} warm-up), medians over rounds`,
    `  ordinary batch: ${result.setup.mix}, in chunks of ${result.setup.chunk} alternating between the sides; token batch: ${result.setup.tokens} x POST grant_type to ${TOKEN_PATH}, whole`,
    row(['batch', 'watched', 'unwatched', 'added/call', 'ratio', 'chunk ratio', `<= ${result.target.ratio}`, 'no-hook frm', 'hook ratio', 'rest ratio']),
    line(`fetch x ${fetch.calls}`, fetch, true),
    line(`XHR x ${xhr.calls}`, xhr, true),
    line(`token fetch x ${tokenFetch.calls}`, tokenFetch, false),
    line(`token XHR x ${tokenXhr.calls}`, tokenXhr, false),
    '  ratio: median of per-round watched/unwatched batch times (the target); chunk ratio: median over all back-to-back chunk pairs;',
    '  no-hook frm: the watched page through its own about:blank frame (no hook, same host): hook ratio = watched/frame, rest ratio = frame/unwatched',
    `  per-round ratio ranges: fetch ${fetch.ratioRange.join('-')}, XHR ${xhr.ratioRange.join('-')}; ratio of medians: fetch ${fetch.ratioOfMedians}, XHR ${xhr.ratioOfMedians}, token fetch ${tokenFetch.ratioOfMedians}, token XHR ${tokenXhr.ratioOfMedians}`,
    `  hook: watched ${result.setup.hook.watched}, unwatched ${result.setup.hook.unwatched}, watched's blank frame ${result.setup.hook.watchedBlankFrame ?? '-'}; token exchanges stored from the watched page ${result.captured.watched}/${result.captured.watchedExpected}, from the unwatched ${result.captured.unwatched} ${verdict(result.pass.tokensCaptured)}`,
    `  load average after: ${result.loadAverageAfter.join(' ')}`,
  ].join('\n');
}

// ---------------------------------------------------------------- capture-latency

const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
};

/**
 * Options: exchanges (N, default 50), warmup (x 5 untimed exchanges first, default 1), log.
 *
 * t0: the page's `performance.timeOrigin + performance.now()` as its fetch promise resolves.
 * t1: the same clock in an extension page (rules.html) whose `chrome.storage.onChanged`
 * listener (area 'session') sees the new exchange in `exchanges`: the event fires once the
 * worker's storage.session.set has committed, so t1 is "in storage" plus one event delivery
 * (browser process -> extension renderer). A polling loop would add IPC load to the very path
 * being timed and quantize the result to its period; the event does neither.
 */
export async function benchCaptureLatency({ exchanges = 50, warmup = 1, log = console.log } = {}) {
  ensureTestBuild(log);
  const browser = await launch();
  const server = await startServer();
  try {
    const { context, extensionId } = browser;
    const page = await context.newPage();
    await page.goto(server.watchedUrl);
    if (!(await page.evaluate(() => Symbol.for('tokenscope.page-hook') in window))) throw new Error('bench: no page hook on the watched page');
    await page.evaluate(() => window.bench.watchPosts());
    const extPage = await openExtensionPage(context, extensionId);
    await extPage.evaluate(async () => {
      const hr = () => performance.timeOrigin + performance.now();
      const arrivals = new Map(); // exchange key -> { at, atDate, body }
      const waiters = [];
      const { exchanges: existing = [] } = await chrome.storage.session.get('exchanges');
      for (const e of existing) arrivals.set(e.key, { at: 0, atDate: 0, body: e.exchange.response.body ?? '' });
      const find = (token) => [...arrivals.values()].find((a) => a.body.includes(token));
      chrome.storage.onChanged.addListener((changes, area) => {
        if (area !== 'session' || !changes.exchanges) return;
        const at = hr();
        const atDate = Date.now();
        for (const e of changes.exchanges.newValue ?? []) if (!arrivals.has(e.key)) arrivals.set(e.key, { at, atDate, body: e.exchange.response.body ?? '' });
        for (let i = waiters.length - 1; i >= 0; i--) {
          const found = find(waiters[i].token);
          if (found) waiters.splice(i, 1)[0].resolve(found);
        }
      });
      window.benchArrival = (token, timeoutMs) =>
        new Promise((resolve, reject) => {
          const found = find(token);
          if (found) return resolve(found);
          waiters.push({ token, resolve });
          setTimeout(() => reject(new Error(`no stored exchange for the token after ${timeoutMs} ms`)), timeoutMs);
        });
    });
    // How far each context's high-resolution clock is from its wall clock (Date.now()): both near 0 means the two contexts agree.
    const skew = (p) => p.evaluate(() => {
      const d = [];
      for (let i = 0; i < 200; i++) d.push(Date.now() - (performance.timeOrigin + performance.now()));
      d.sort((a, b) => a - b);
      return d[100];
    });
    const clock = { pageMinusWall: +(await skew(page)).toFixed(2), extensionPageMinusWall: +(await skew(extPage)).toFixed(2) };

    const samples = [];
    const total = warmup * 5 + exchanges;
    for (let i = 0; i < total; i++) {
      await page.bringToFront();
      const { respondedAt, token } = await page.evaluate((n) => window.bench.exchange(n), i);
      const arrival = await extPage.evaluate(([t, timeout]) => window.benchArrival(t, timeout), [token, 10_000]);
      const postedAt = await page.evaluate((t) => window.bench.postedAt(t), token);
      if (i < warmup * 5) continue;
      samples.push({
        ms: +(arrival.at - respondedAt).toFixed(2),
        /** Response to the hook's postMessage arriving in the page (clone read, message posted). */
        hookMs: postedAt === null ? null : +(postedAt - respondedAt).toFixed(2),
        /** postMessage to storage.session (relay, runtime message, worker, storage). */
        relayToStoreMs: postedAt === null ? null : +(arrival.at - postedAt).toFixed(2),
        msByDateNow: +(arrival.atDate - respondedAt).toFixed(1),
      });
    }
    const ms = samples.map((s) => s.ms);
    const part = (field) => {
      const values = samples.map((s) => s[field]).filter((v) => v !== null);
      return values.length ? { median: +median(values).toFixed(2), p95: +percentile(values, 95).toFixed(2) } : null;
    };
    const result = {
      median: +median(ms).toFixed(2),
      p95: +percentile(ms, 95).toFixed(2),
      min: +Math.min(...ms).toFixed(2),
      max: +Math.max(...ms).toFixed(2),
    };
    return {
      name: 'capture-latency',
      title: 'Capture latency: token response in the page -> exchange in storage.session',
      setup: {
        browser: `Chromium ${browser.chromiumVersion}, headless, test build (.cache/extension-test)`,
        page: server.watchedUrl,
        exchange: `fetch POST grant_type=authorization_code to ${TOKEN_PATH}, Globus-shaped JSON answer (3 tokens + id_token), one at a time`,
        t0: "page: performance.timeOrigin + performance.now() when the page's fetch promise resolves",
        t1: "extension page (rules.html): same clock in its chrome.storage.onChanged listener (area 'session') when the exchange appears",
        clock,
      },
      exchanges,
      warmupExchanges: warmup * 5,
      latencyMs: result,
      breakdownMs: { hook: part('hookMs'), relayToStore: part('relayToStoreMs'), byDateNow: part('msByDateNow') },
      samples,
      loadAverageAfter: os.loadavg().map((l) => +l.toFixed(2)),
      target: { medianMs: LATENCY_TARGET_MS },
      pass: { median: result.median < LATENCY_TARGET_MS, allStored: samples.length === exchanges },
    };
  } finally {
    await server.close();
    await browser.close();
  }
}

export function formatCaptureLatency(result) {
  const { latencyMs: l, breakdownMs: b } = result;
  const row = (cells) => `  ${cells[0].padEnd(44)}${cells.slice(1).map((c) => String(c).padStart(12)).join('')}`;
  const f = (v) => (v === null || v === undefined ? '-' : `${v.toFixed(1)} ms`);
  return [
    result.title,
    `  ${result.setup.browser}; ${result.exchanges} exchanges (+${result.warmupExchanges} warm-up), ${result.setup.exchange}`,
    `  t0 = ${result.setup.t0}; t1 = ${result.setup.t1}`,
    row(['', 'median', 'p95', 'min', 'max']),
    row(['response -> in storage.session', f(l.median), f(l.p95), f(l.min), f(l.max)]),
    row(['  of which response -> hook postMessage', f(b.hook?.median), f(b.hook?.p95)]),
    row(['  of which postMessage -> in storage.session', f(b.relayToStore?.median), f(b.relayToStore?.p95)]),
    row(['(t1 by Date.now() instead)', f(b.byDateNow?.median), f(b.byDateNow?.p95)]),
    row([`target: median < ${result.target.medianMs} ms`, verdict(result.pass.median)]),
    `  clocks (Date.now() - hr clock): page ${result.setup.clock.pageMinusWall} ms, extension page ${result.setup.clock.extensionPageMinusWall} ms; load average after: ${result.loadAverageAfter.join(' ')}`,
  ].join('\n');
}

// ---------------------------------------------------------------- bundle-sizes

const STATIC_IMPORT = /(?:^|[;}\s])(?:import|export)\s*(?:[\w$*{}\s,]*from\s*)?["'](\.{1,2}\/[^"']+)["']/g;
const DYNAMIC_IMPORT = /\bimport\(\s*["'](\.{1,2}\/[^"']+)["']\s*\)/g;

/**
 * Bytes and gzip bytes (zlib level 9) of each built entry in extension/ (the release build, minified as built).
 * The views are ES modules sharing chunks (scripts/build.mjs): an entry's "at open" figure adds the chunks it
 * imports statically, transitively (what the browser loads to show it); chunks imported with import() load later.
 */
export async function benchBundleSizes({ log = console.log } = {}) {
  ensureReleaseBuild(log);
  const files = new Map();
  const file = (path) => {
    if (!files.has(path)) {
      const bytes = readFileSync(path);
      const text = bytes.toString('utf8');
      const refs = (pattern) => [...text.matchAll(pattern)].map((m) => join(dirname(path), m[1]));
      files.set(path, { bytes: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length, imports: refs(STATIC_IMPORT), lazy: refs(DYNAMIC_IMPORT) });
    }
    return files.get(path);
  };
  const closure = (path, seen = new Set()) => {
    if (seen.has(path)) return seen;
    seen.add(path);
    for (const next of file(path).imports) closure(next, seen);
    return seen;
  };
  const name = (path) => relative(RELEASE_BUILD, path);
  const sum = (paths, field) => [...paths].reduce((total, path) => total + file(path)[field], 0);
  const entries = ENTRIES.map((entry) => {
    const path = join(RELEASE_BUILD, entry);
    const loaded = closure(path);
    const lazy = new Set([...loaded].flatMap((p) => file(p).lazy).filter((p) => !loaded.has(p)));
    return {
      name: entry,
      bytes: file(path).bytes,
      gzip: file(path).gzip,
      atOpen: { bytes: sum(loaded, 'bytes'), gzip: sum(loaded, 'gzip'), files: [...loaded].map(name) },
      lazy: [...lazy].map(name),
    };
  });
  const chunksDir = join(RELEASE_BUILD, 'chunks');
  const chunks = existsSync(chunksDir)
    ? readdirSync(chunksDir)
        .filter((f) => f.endsWith('.js'))
        .sort()
        .map((f) => ({ name: `chunks/${f}`, bytes: file(join(chunksDir, f)).bytes, gzip: file(join(chunksDir, f)).gzip }))
    : [];
  const all = [...entries, ...chunks];
  const total = { files: all.length, bytes: all.reduce((s, e) => s + e.bytes, 0), gzip: all.reduce((s, e) => s + e.gzip, 0) };
  return {
    name: 'bundle-sizes',
    title: 'Bundle sizes: extension/ entries, minified as built',
    dir: relative(ROOT, RELEASE_BUILD),
    gzip: 'node:zlib gzipSync level 9, per file',
    entries,
    chunks,
    total,
    pass: { allBuilt: entries.every((e) => e.bytes > 0) },
  };
}

export function formatBundleSizes(result) {
  const row = (cells) => `  ${cells[0].padEnd(38)}${cells.slice(1).map((c) => String(c).padStart(11)).join('')}`;
  const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
  return [
    `${result.title} (${result.dir}/; gzip: ${result.gzip})`,
    row(['file', 'bytes', 'gzip', 'at open', 'gzip', '']),
    ...result.entries.map((e) => row([e.name, e.bytes, e.gzip, e.atOpen.bytes, e.atOpen.gzip, e.atOpen.files.length > 1 ? ` (${e.atOpen.files.length} files${e.lazy.length ? `, +${e.lazy.length} lazy` : ''})` : ''])),
    ...result.chunks.map((c) => row([c.name, c.bytes, c.gzip])),
    row([`all ${result.total.files} .js files`, result.total.bytes, result.total.gzip, kib(result.total.bytes), kib(result.total.gzip)]),
    '  at open: the entry plus the chunks it imports statically (transitively); lazy: chunks it loads with import()',
  ].join('\n');
}
