/**
 * token-calls: what a watched page pays for its token calls. One Chromium with the test build; a watched page
 * (127.0.0.1, page hook and relay) and an unwatched one (localhost, site access withheld) each make `tokens` sequential
 * token requests (fetch, then XHR). The rounds are paired (watched and unwatched back to back in the same browser, the
 * order alternating per round) and the figure is the median of the per-round ratios, with their spread: load from
 * elsewhere on the machine falls on both halves of a pair alike. After each watched batch the bench waits (untimed)
 * until the worker stored every capture, counts how many are `verified` (the relay's Resource Timing evidence reached
 * the store), and empties the store, so every round starts from the same store.
 * Beside the timed rounds: each page's renderer busy time per batch (CDP `Performance.getMetrics` TaskDuration: the
 * hook and relay run in the watched page's renderer), and one more watched batch, not timed, with a CPU profile of the
 * extension's worker (CDP `Profiler` on its target): its busy time per capture and where it goes.
 * Target: watched / unwatched <= 1.15 (issue 26).
 */
import os from 'node:os';
import { setSiteAccess } from '../../test/support/harness.ts';
import { spread } from '../lib/stats.mjs';
import { until } from '../lib/wait.mjs';
import { clearStore, ensureTestBuild, launch, openExtensionPage, storedExchanges, TEST_BUILD_NAME } from './browser.mjs';
import { verdict } from './lib.mjs';
import { startBenchSite } from './site.mjs';

export const TARGETS = { tokens: 1.15 };
const KINDS = ['tokenFetch', 'tokenXhr'];

/**
 * Count the worker's storage.session writes from the extension page: each `set` is one change event there (the count
 * does not depend on how busy the machine is, as times do).
 */
async function countWrites(extPage) {
  await extPage.evaluate(() => {
    window.benchWrites = 0;
    window.benchWriteKinds = {};
    chrome.storage.onChanged.addListener((changes, area) => {
      if (area !== 'session') return;
      window.benchWrites += 1;
      // What each write held, by key family (`x`, `tab`, ...; store-layout.ts), for the report.
      const kind = [...new Set(Object.keys(changes).map((key) => key.split(':')[0]))].sort().join('+');
      window.benchWriteKinds[kind] = (window.benchWriteKinds[kind] ?? 0) + 1;
    });
  });
}
const takeWrites = (extPage) =>
  extPage.evaluate(() => {
    const writes = { count: window.benchWrites, kinds: window.benchWriteKinds };
    window.benchWrites = 0;
    window.benchWriteKinds = {};
    return writes;
  });

/**
 * Wait until the store holds `n` exchanges from the watched site; how many of them are verified and how many storage
 * writes it took (since the last call). Then empty it.
 */
async function settle(extPage, origin, n) {
  const exchanges = await until(
    `${n} exchanges to be stored`,
    async () => {
      const stored = (await storedExchanges(extPage)).filter((e) => e.capture.site === origin);
      return stored.length >= n ? stored : null;
    },
    { timeoutMs: 120_000 },
  );
  // The evidence may follow its capture by up to half a second: wait for it to settle (untimed), as a view would read it.
  let verified = -1;
  await until(
    'the verifications to settle',
    async () => {
      const now = (await storedExchanges(extPage)).filter((e) => e.capture.verification === 'verified').length;
      const done = now === verified || now >= n;
      verified = now;
      return done;
    },
    { timeoutMs: 10_000, everyMs: 300 },
  ).catch(() => undefined);
  const writes = await takeWrites(extPage);
  await clearStore(extPage);
  await until('the store to be empty', async () => (await storedExchanges(extPage)).length === 0);
  await takeWrites(extPage); // The clear's own.
  return { stored: exchanges.length, verified, writes };
}

/** The renderer's busy time so far (ms), read over the page's own CDP session. */
async function taskMs(cdp) {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return (metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0) * 1000;
}

/**
 * A CPU profiler on the extension's service worker, through `cdp` (a page's session: Playwright opens none on a worker,
 * so the worker's target is attached with `flatten: false` and spoken to through `Target.sendMessageToTarget`).
 */
async function workerProfiler(cdp) {
  const { targetInfos } = await cdp.send('Target.getTargets');
  const worker = targetInfos.find((t) => t.type === 'service_worker' && t.url.endsWith('/background.js'));
  if (!worker) throw new Error('bench: no worker target');
  const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: worker.targetId, flatten: false });
  let id = 0;
  const waiting = new Map();
  cdp.on('Target.receivedMessageFromTarget', (event) => {
    if (event.sessionId !== sessionId) return;
    const message = JSON.parse(event.message);
    waiting.get(message.id)?.(message);
    waiting.delete(message.id);
  });
  const send = (method, params = {}) =>
    new Promise((resolve, reject) => {
      const n = ++id;
      waiting.set(n, (message) => (message.error ? reject(new Error(`${method}: ${message.error.message}`)) : resolve(message.result)));
      cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id: n, method, params }) }).catch(reject);
    });
  return profilerOver(send);
}

/** A CPU profiler spoken to through `send` (a target's CDP session). */
async function profilerOver(send) {
  await send('Profiler.enable');
  return {
    start: () => send('Profiler.start'),
    /** Busy time (every sample but idle) and the functions with the most self time. */
    async stop() {
      const { profile } = await send('Profiler.stop');
      const byId = new Map(profile.nodes.map((node) => [node.id, node]));
      const self = new Map();
      let busy = 0;
      profile.samples.forEach((sample, i) => {
        const node = byId.get(sample);
        const ms = (profile.timeDeltas[i] ?? 0) / 1000;
        const { functionName, url, lineNumber } = node.callFrame;
        if (functionName === '(idle)') return;
        busy += ms;
        const name = `${functionName || '(anonymous)'}${url ? ` ${url.split('/').pop()}:${lineNumber + 1}` : ''}`;
        self.set(name, (self.get(name) ?? 0) + ms);
      });
      const top = [...self]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 12)
        .map(([name, ms]) => [name, +ms.toFixed(1)]);
      return { busyMs: +busy.toFixed(1), top };
    },
  };
}

/** Options: runs (paired rounds, default 7), warmup (default 1), tokens (per batch, default 200), log. */
export async function benchTokenCalls({ runs = 7, warmup = 1, tokens = 200, log = console.log } = {}) {
  ensureTestBuild(log);
  const site = await startBenchSite();
  const browser = await launch();
  try {
    await setSiteAccess(browser.context, browser.extensionId, ['http://127.0.0.1/*']);
    await until('the registration to follow site access', async () => (await browser.registeredMatches()).join() === 'http://127.0.0.1/*');
    const pages = {};
    for (const [host, url] of [
      ['watched', site.watchedUrl],
      ['unwatched', site.unwatchedUrl],
    ]) {
      pages[host] = await browser.context.newPage();
      await pages[host].goto(url);
    }
    const hooked = await pages.watched.evaluate(() => Symbol.for('tokenscope.page-hook') in window);
    const bare = !(await pages.unwatched.evaluate(() => Symbol.for('tokenscope.page-hook') in window));
    if (!hooked || !bare) throw new Error('bench: the hook must be on the watched page only');
    const extPage = await openExtensionPage(browser.context, browser.extensionId);
    await countWrites(extPage);
    const origin = new URL(site.watchedUrl).origin;
    const cdp = {};
    for (const host of ['watched', 'unwatched']) {
      cdp[host] = await browser.context.newCDPSession(pages[host]);
      await cdp[host].send('Performance.enable');
    }
    const samples = [];
    const tally = { stored: 0, verified: 0, expected: 0, writes: 0, writeKinds: {} };
    for (let round = -warmup; round < runs; round++) {
      const row = {};
      for (const kind of KINDS) {
        const order = (round + warmup) % 2 === 0 ? ['watched', 'unwatched'] : ['unwatched', 'watched'];
        for (const host of order) {
          const busyBefore = await taskMs(cdp[host]);
          row[`${kind}.${host}`] = await pages[host].evaluate(([k, n]) => window.bench[k](n), [kind, tokens]);
          row[`${kind}.${host}.busy`] = (await taskMs(cdp[host])) - busyBefore;
          if (host === 'watched') {
            const settled = await settle(extPage, origin, tokens);
            if (round >= 0) {
              tally.stored += settled.stored;
              tally.verified += settled.verified;
              tally.writes += settled.writes.count;
              for (const [kind, count] of Object.entries(settled.writes.kinds))
                tally.writeKinds[kind] = (tally.writeKinds[kind] ?? 0) + count;
              tally.expected += tokens;
            }
          }
        }
        row[kind] = row[`${kind}.watched`] / row[`${kind}.unwatched`];
      }
      if (round < 0) continue;
      samples.push(row);
      log(`bench: token-calls round ${round + 1}/${runs}: fetch ${row.tokenFetch.toFixed(3)}x, XHR ${row.tokenXhr.toFixed(3)}x`);
    }
    // One more watched batch per kind, not timed: the worker's CPU profile.
    const profiler = await workerProfiler(cdp.watched);
    const pageProfiler = await profilerOver((method, params) => cdp.watched.send(method, params));
    const profiled = {};
    const pageProfiled = {};
    for (const kind of KINDS) {
      await profiler.start();
      await pageProfiler.start();
      await pages.watched.evaluate(([k, n]) => window.bench[k](n), [kind, tokens]);
      await until(`${tokens} exchanges to be stored`, async () => (await storedExchanges(extPage)).length >= tokens, {
        timeoutMs: 120_000,
      });
      const profile = await profiler.stop();
      pageProfiled[kind] = await pageProfiler.stop();
      await clearStore(extPage);
      profiled[kind] = { ...profile, perCaptureMs: +(profile.busyMs / tokens).toFixed(2) };
    }
    const result = {};
    for (const kind of KINDS) {
      result[kind] = {
        ratio: spread(
          samples.map((s) => s[kind]),
          3,
        ),
        rendererBusyWatchedMs: spread(
          samples.map((s) => s[`${kind}.watched.busy`]),
          1,
        ),
        rendererBusyUnwatchedMs: spread(
          samples.map((s) => s[`${kind}.unwatched.busy`]),
          1,
        ),
        worker: profiled[kind],
        watchedPage: pageProfiled[kind],
        watchedMs: spread(
          samples.map((s) => s[`${kind}.watched`]),
          1,
        ),
        unwatchedMs: spread(
          samples.map((s) => s[`${kind}.unwatched`]),
          1,
        ),
      };
    }
    return {
      name: 'token-calls',
      title: `${tokens} sequential token requests, watched vs unwatched page in one browser (paired rounds)`,
      setup: { browser: `Chromium ${browser.chromiumVersion}, headless; ${TEST_BUILD_NAME}`, tokens },
      runs,
      warmup,
      ...result,
      captured: tally,
      samples,
      loadAverageAfter: os.loadavg().map((l) => +l.toFixed(2)),
      target: TARGETS,
      pass: {
        tokenFetch: result.tokenFetch.ratio.median <= TARGETS.tokens,
        tokenXhr: result.tokenXhr.ratio.median <= TARGETS.tokens,
        stored: tally.stored === tally.expected,
      },
    };
  } finally {
    await browser.close();
    await site.close();
  }
}

export function formatTokenCalls(result) {
  const r = (s) => `${s.median.toFixed(3)}x (IQR ${s.q1.toFixed(3)}-${s.q3.toFixed(3)}, range ${s.min.toFixed(3)}-${s.max.toFixed(3)})`;
  const ms = (s) => `${Math.round(s.median)} ms`;
  const { tokenFetch, tokenXhr, captured, pass, target } = result;
  const busy = (k) =>
    `renderer busy ${ms(k.rendererBusyWatchedMs)} / ${ms(k.rendererBusyUnwatchedMs)}; worker busy ${Math.round(k.worker.busyMs)} ms (${k.worker.perCaptureMs} ms a capture)`;
  return [
    result.title,
    `  ${result.setup.browser}; ${result.runs} paired rounds (+${result.warmup} warm-up), order alternating; medians of per-round ratios`,
    `  fetch: ${r(tokenFetch.ratio)}  [${ms(tokenFetch.watchedMs)} / ${ms(tokenFetch.unwatchedMs)}]  target <= ${target.tokens} ${verdict(pass.tokenFetch)}`,
    `  XHR:   ${r(tokenXhr.ratio)}  [${ms(tokenXhr.watchedMs)} / ${ms(tokenXhr.unwatchedMs)}]  target <= ${target.tokens} ${verdict(pass.tokenXhr)}`,
    `  fetch: ${busy(tokenFetch)}`,
    `  XHR:   ${busy(tokenXhr)}`,
    `  worker's most self time (fetch batch): ${tokenFetch.worker.top
      .slice(0, 6)
      .map(([name, t]) => `${name} ${t} ms`)
      .join('; ')}`,
    `  the watched page's most self time (fetch batch, ${Math.round(tokenFetch.watchedPage.busyMs)} ms busy): ${tokenFetch.watchedPage.top
      .slice(0, 8)
      .map(([name, t]) => `${name} ${t} ms`)
      .join('; ')}`,
    `  stored ${captured.stored}/${captured.expected} ${verdict(pass.stored)}, of them verified by Resource Timing: ${captured.verified}; storage.session writes ${captured.writes} (${(captured.writes / captured.expected).toFixed(2)} a capture: ${Object.entries(
      captured.writeKinds,
    )
      .map(([kind, count]) => `${kind} ${count}`)
      .join(', ')})`,
    `  load average after: ${result.loadAverageAfter.join(' ')}`,
  ].join('\n');
}
