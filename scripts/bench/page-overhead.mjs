/**
 * page-overhead: what the page hook costs a watched page's own fetch/XHR calls, against an
 * unwatched page (no hook) in the same browser, timed inside the pages, interleaved.
 * Target: watched / unwatched <= 1.05 for ordinary (non-token) requests.
 */
import os from 'node:os';
import { setSiteAccess } from '../../test/e2e/harness.ts';
import { median, stats } from '../lib/stats.mjs';
import { until } from '../lib/wait.mjs';
import { clearStore, ensureTestBuild, launch, openExtensionPage, storeCounts, TEST_BUILD_NAME } from './browser.mjs';
import { verdict } from './lib.mjs';
import { startBenchSite } from './site.mjs';
import { TOKEN_PATH } from '../servers/globus.mjs';

export const OVERHEAD_TARGET = 1.05;

const summarize = (values) => {
  const s = stats(values);
  return { median: +s.median.toFixed(1), min: +s.min.toFixed(1), max: +s.max.toFixed(1) };
};
const rotate = (list, by) => list.map((_, i) => list[(i + by) % list.length]);
const hasHook = (page) => page.evaluate(() => Symbol.for('tokenscope.page-hook') in window);

/** The watched page (127.0.0.1, the only host allowed) and the unwatched one (localhost); checks the hook is on the first only. */
async function openPages(browser, site, control) {
  const { context, extensionId, registeredMatches } = browser;
  await setSiteAccess(context, extensionId, ['http://127.0.0.1/*']);
  await until('the registration to follow site access', async () => (await registeredMatches()).join() === 'http://127.0.0.1/*');
  const watched = await context.newPage();
  await watched.goto(site.watchedUrl);
  const unwatched = await context.newPage();
  await unwatched.goto(site.unwatchedUrl);
  const hook = { watched: await hasHook(watched), unwatched: await hasHook(unwatched) };
  if (control) hook.watchedBlankFrame = await watched.evaluate(() => window.bench.frameHasHook());
  if (!hook.watched || hook.unwatched || hook.watchedBlankFrame)
    throw new Error(`bench: the hook must be on the watched page only; found ${JSON.stringify(hook)}`);
  return { watched, unwatched, hook, extPage: await openExtensionPage(context, extensionId) };
}

/**
 * The timed rounds. Sides: the watched page (hook), the unwatched page (no hook) and, as a diagnostic, the watched
 * page's calls made through a same-origin about:blank frame (no hook, but the same watched host, tab and renderer).
 */
async function runRounds({ pages, site, kinds, sides, runs, warmup, chunk, postEvery, log }) {
  const { watched, unwatched, extPage } = pages;
  const watchedSite = new URL(site.watchedUrl).origin;
  const pageOf = { watched, unwatched, control: watched };
  const samples = [];
  const tally = { captured: 0, capturedElsewhere: 0 };
  const runChunk = (side, kind, n, first) =>
    pageOf[side].evaluate(
      ([k, count, every, from, viaFrame]) => window.bench[k](count, every, from, viaFrame),
      [kind, n, postEvery, first, side === 'control'],
    );
  /** Wait until the worker has stored a token batch (untimed), then empty the store. */
  const settle = async (n) => {
    const check = async () => {
      const c = await storeCounts(extPage, watchedSite);
      return c.total >= n ? c : null;
    };
    const counts = await until(`${n} exchanges to be stored`, check, { timeoutMs: 120_000 });
    tally.captured += counts.total;
    tally.capturedElsewhere += counts.otherSites;
    await clearStore(extPage);
    await new Promise((resolve) => setTimeout(resolve, 300)); // The last badge update.
  };

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
    const times = ({ kind, token }) =>
      (token ? ['watched', 'unwatched'] : sides).map((side) => Math.round(row[`${kind}.${side}`])).join('/');
    log(`bench: round ${round + 1}/${runs}: ${kinds.map((k) => `${k.kind} ${times(k)} ms`).join(', ')} (${sides.join('/')})`);
  }
  return { samples, ...tally };
}

/** Per kind of batch: times, the per-round ratios and, for ordinary batches, the chunk-pair ratios. */
function summarizeKinds(samples, kinds, control) {
  const result = {};
  for (const { kind, n, token } of kinds) {
    const column = (side) => samples.map((s) => s[`${kind}.${side}`]);
    const ratiosOf = (a, b) => samples.map((s) => s[`${kind}.${a}`] / s[`${kind}.${b}`]);
    const chunkRatios = (a, b) => samples.flatMap((s) => s[`${kind}.chunks`].map((times) => times[a] / times[b]));
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
      perCallUs: {
        watched: +((wm / n) * 1000).toFixed(1),
        unwatched: +((um / n) * 1000).toFixed(1),
        added: +(((wm - um) / n) * 1000).toFixed(1),
      },
    };
    if (token) continue;
    /** Median over every chunk (all rounds) of watched/unwatched for the chunk pair run back to back: robust to bursts of other load. */
    result[kind].chunkPairRatio = +median(chunkRatios(0, 1)).toFixed(3);
    if (!control) continue;
    result[kind].chunkPairHookRatio = +median(chunkRatios(0, 2)).toFixed(3);
    result[kind].chunkPairRestRatio = +median(chunkRatios(2, 1)).toFixed(3);
    result[kind].control = summarize(column('control'));
    /** The hook alone: watched page vs its own hook-less frame (same host, so the worker's webRequest listener runs for both). */
    result[kind].hookRatio = +median(ratiosOf('watched', 'control')).toFixed(3);
    /** Everything but the hook: the hook-less frame on the watched host vs the unwatched page. */
    result[kind].restRatio = +median(ratiosOf('control', 'unwatched')).toFixed(3);
  }
  return result;
}

/**
 * Options: runs (rounds, default 7), warmup (untimed rounds, default 1), requests (per batch,
 * default 2000), postEvery (every Nth request a POST, default 4), tokens (token exchanges per
 * token batch, default 200), log.
 */
export async function benchPageOverhead({
  runs = 7,
  warmup = 1,
  requests = 2000,
  chunk = 100,
  postEvery = 4,
  tokens = 200,
  control = true,
  log = console.log,
} = {}) {
  ensureTestBuild(log);
  const browser = await launch();
  const site = await startBenchSite();
  try {
    const pages = await openPages(browser, site, control);
    const kinds = [
      { kind: 'fetch', n: requests, token: false },
      { kind: 'xhr', n: requests, token: false },
      { kind: 'tokenFetch', n: tokens, token: true },
      { kind: 'tokenXhr', n: tokens, token: true },
    ];
    const sides = control ? ['watched', 'unwatched', 'control'] : ['watched', 'unwatched'];
    const { samples, captured, capturedElsewhere } = await runRounds({ pages, site, kinds, sides, runs, warmup, chunk, postEvery, log });
    const capturedUnwatched = (await storeCounts(pages.extPage, `http://localhost:${site.port}`)).fromSite;
    const result = summarizeKinds(samples, kinds, control);
    const tokenCalls = (warmup + runs) * 2 * tokens;
    const { hook } = pages;
    return {
      name: 'page-overhead',
      title: 'Page overhead: fetch/XHR on a watched page (hook) vs an unwatched page (no hook), same browser',
      setup: {
        browser: `Chromium ${browser.chromiumVersion}, headless, ${TEST_BUILD_NAME}`,
        watched: site.watchedUrl,
        unwatched: `${site.unwatchedUrl} (site access withheld on chrome://extensions)`,
        hook,
        requests,
        postEvery,
        mix: `${requests - Math.floor(requests / postEvery)} GET /api/data + ${Math.floor(requests / postEvery)} POST /api/items (JSON), sequential, body read`,
        chunk,
        tokens,
        timing: `performance.now() inside the page; an ordinary batch of ${requests} sequential calls per side runs as chunks of ${chunk} alternating between the sides (summed); a token batch runs whole`,
        control: control
          ? 'the watched page calling through a same-origin about:blank frame (no hook there): same host, tab and renderer'
          : null,
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
    await site.close();
    await browser.close();
  }
}

export function formatPageOverhead(result) {
  const row = (cells) =>
    `  ${cells[0].padEnd(22)}${cells
      .slice(1)
      .map((c) => String(c).padStart(12))
      .join('')}`;
  const ms = (s) => (s ? `${Math.round(s.median)} ms` : '-');
  const x = (v) => (v === undefined ? '-' : `${v.toFixed(3)}x`);
  const line = (label, r, target) =>
    row([
      label,
      ms(r.watched),
      ms(r.unwatched),
      `${r.perCallUs.added} us`,
      x(r.ratio),
      x(r.chunkPairRatio),
      target ? verdict(r.ratio <= result.target.ratio) : 'no target',
      ms(r.control),
      x(r.hookRatio),
      x(r.restRatio),
    ]);
  const { fetch, xhr, tokenFetch, tokenXhr } = result;
  return [
    result.title,
    `  ${result.setup.browser}; ${result.runs} rounds (+${result.warmup} warm-up), medians over rounds`,
    `  ordinary batch: ${result.setup.mix}, in chunks of ${result.setup.chunk} alternating between the sides; token batch: ${result.setup.tokens} x POST grant_type to ${TOKEN_PATH}, whole`,
    row([
      'batch',
      'watched',
      'unwatched',
      'added/call',
      'ratio',
      'chunk ratio',
      `<= ${result.target.ratio}`,
      'no-hook frm',
      'hook ratio',
      'rest ratio',
    ]),
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
