/**
 * The worker's stores over one storage area, wired as the worker runs them: the cached analysis follows every change
 * of the store (the worker is the only writer: store.ts says why it does not listen to storage changes). init.ts makes
 * them over the browser's `storage.session`; the unit tests make the same set over a fake browser and area.
 */
import type { Browser } from 'webextension-polyfill';
import { AnalysisMemo } from './analysis-memo.js';
import { BearerLog } from './bearer.js';
import type { BadgeSchedule, WorkerDeps } from './deps.js';
import { Openers } from './openers.js';
import { ReportCache } from './report-cache.js';
import { SignInLog } from './sign-in-log.js';
import { ExchangeStore, type StorageArea, WRITE_BATCH_MS } from './store.js';
import { UnreadLog } from './unread-log.js';
import { GrantedOrigins } from './watched-sites.js';

export function workerDeps(browser: Browser, area: StorageArea, badges: BadgeSchedule): WorkerDeps {
  const store = new ExchangeStore(area, undefined, undefined, WRITE_BATCH_MS);
  const cache = new ReportCache();
  // The store keeps 200 exchanges a tab now: room for a few busy tabs before the memo analyzes anything twice.
  const memo = new AnalysisMemo(store.capacity * 4);
  store.onChange(() => cache.invalidate());
  return {
    browser,
    store,
    bearer: new BearerLog(area, store, memo),
    signIns: new SignInLog(area),
    unread: new UnreadLog(area),
    cache,
    memo,
    openers: new Openers(browser, area),
    badges,
    origins: new GrantedOrigins(browser),
  };
}
