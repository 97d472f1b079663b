/**
 * burst: 8 tabs on a watched site, each making 12 token exchanges at once, with the service worker stopped
 * twice meanwhile (CDP ServiceWorker.stopAllWorkers, 150 ms and 400 ms after the burst starts), as Chromium
 * stops workers on its own. Figure: exchanges stored / sent, and whether each is stored once under its own tab.
 * Target: 96 / 96, each once, under its own tab, in every round.
 */
import { spread } from '../lib/stats.mjs';
import { until } from '../lib/wait.mjs';
import { clearStore, ensureTestBuild, launch, openExtensionPage, storedExchanges, TEST_BUILD_NAME } from './browser.mjs';
import { verdict } from './lib.mjs';
import { startBenchSite } from './site.mjs';

const TABS = 8;
const PER_TAB = 12;
const STOPS_MS = [150, 400];

/** The tab id of each page, asked of the worker while the page is in front. */
async function tabIds(browser, pages) {
  const ids = [];
  for (const page of pages) {
    await page.bringToFront();
    ids.push(await browser.worker.evaluate(async () => (await chrome.tabs.query({ active: true, lastFocusedWindow: true }))[0]?.id ?? -1));
  }
  return ids;
}

/** Where each token of the round ended up: token -> the tab ids it is stored under. */
async function placements(extPage) {
  const seen = {};
  for (const e of await storedExchanges(extPage)) {
    let token = '';
    try {
      token = JSON.parse(e.exchange.response.body ?? '{}').access_token ?? '';
    } catch {}
    seen[token] = [...(seen[token] ?? []), e.capture.tabId];
  }
  return seen;
}

async function round(pages, ids, extPage, cdp, index) {
  await clearStore(extPage);
  const stops = (async () => {
    let last = 0;
    for (const at of STOPS_MS) {
      await new Promise((resolve) => setTimeout(resolve, at - last));
      last = at;
      await cdp.send('ServiceWorker.stopAllWorkers');
    }
  })();
  const started = Date.now();
  const tokens = await Promise.all(
    pages.map((page, p) =>
      page.evaluate(
        ([count, base]) => Promise.all(Array.from({ length: count }, (_, i) => window.bench.exchange(base + i).then((r) => r.token))),
        [PER_TAB, (index * TABS + p) * PER_TAB],
      ),
    ),
  );
  const sentMs = Date.now() - started;
  await stops;
  const sent = tokens.flat().length;
  // Wait until everything sent is stored (or it stops changing for a while: then what is there is the figure).
  let last = -1;
  let stable = 0;
  const seen = await until(
    'the store to settle',
    async () => {
      const now = await placements(extPage);
      const count = Object.keys(now).length;
      stable = count === last ? stable + 1 : 0;
      last = count;
      return count >= sent || stable >= 40 ? now : null;
    },
    { timeoutMs: 60_000, everyMs: 250 },
  );
  let once = 0;
  let underOwnTab = 0;
  tokens.forEach((list, p) => {
    for (const token of list) {
      const where = seen[token] ?? [];
      if (where.length === 1) once++;
      if (where.length >= 1 && where.every((id) => id === ids[p])) underOwnTab++;
    }
  });
  return { sent, stored: Object.keys(seen).length, once, underOwnTab, sentMs, settledMs: Date.now() - started };
}

export async function benchBurst({ runs = 5, log = console.log } = {}) {
  ensureTestBuild(log);
  const browser = await launch();
  const site = await startBenchSite();
  try {
    const pages = [];
    for (let i = 0; i < TABS; i++) {
      const page = await browser.context.newPage();
      await page.goto(`${site.watchedUrl}?tab=${i}`);
      pages.push(page);
    }
    const ids = await tabIds(browser, pages);
    const extPage = await openExtensionPage(browser.context, browser.extensionId);
    const cdp = await browser.context.newCDPSession(pages[0]);
    await cdp.send('ServiceWorker.enable');
    const rounds = [];
    for (let i = 0; i < Math.min(runs, 5); i++) {
      rounds.push(await round(pages, ids, extPage, cdp, i));
      const r = rounds.at(-1);
      log(
        `bench: burst round ${i + 1}: stored ${r.stored}/${r.sent}, once ${r.once}, under own tab ${r.underOwnTab}, settled in ${r.settledMs} ms`,
      );
    }
    const all = rounds.every((r) => r.stored === r.sent && r.once === r.sent && r.underOwnTab === r.sent && r.sent === TABS * PER_TAB);
    return {
      name: 'burst',
      title: `Burst: ${TABS} tabs x ${PER_TAB} token exchanges at once, the worker stopped at ${STOPS_MS.join(' and ')} ms`,
      setup: { browser: `Chromium ${browser.chromiumVersion}, headless, ${TEST_BUILD_NAME}`, page: site.watchedUrl },
      rounds,
      /** Until everything sent was stored, over the rounds. */
      settledMs: spread(
        rounds.map((r) => r.settledMs),
        0,
      ),
      target: { stored: TABS * PER_TAB },
      pass: { all },
    };
  } finally {
    await site.close();
    await browser.close();
  }
}

export function formatBurst(result) {
  return [
    result.title,
    `  ${result.setup.browser}`,
    ...result.rounds.map(
      (r, i) =>
        `  round ${i + 1}: stored ${r.stored}/${r.sent}, each once ${r.once}, under its own tab ${r.underOwnTab}; sent in ${r.sentMs} ms, all stored after ${r.settledMs} ms`,
    ),
    `  all stored after ${result.settledMs.median} ms (median of ${result.settledMs.n} rounds; IQR ${result.settledMs.q1}-${result.settledMs.q3}, range ${result.settledMs.min}-${result.settledMs.max})`,
    `  target: ${result.target.stored}/${result.target.stored}, each once, under its own tab: ${verdict(result.pass.all)}`,
  ].join('\n');
}
