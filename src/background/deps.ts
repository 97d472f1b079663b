/** What the worker's modules are handed: the browser (a fake in tests) and the worker's stores. */
import type { Browser } from 'webextension-polyfill';
import type { AnalysisMemo } from './analysis-memo.js';
import type { BearerLog } from './bearer.js';
import type { Openers } from './openers.js';
import type { ReportCache } from './report-cache.js';
import type { SignInLog } from './sign-in-log.js';
import type { UnreadLog } from './unread-log.js';
import type { ExchangeStore } from './store.js';
import type { GrantedOrigins } from './watched-sites.js';

export interface WorkerDeps {
  browser: Browser;
  store: ExchangeStore;
  /** Where captured tokens were sent afterwards; absent where nothing watches request headers. */
  bearer?: BearerLog;
  /** Front-channel steps pages reported, per tab; absent in tests that do not need them. */
  signIns?: SignInLog;
  /** Token calls pages knew of but could not read, per tab; absent in tests that do not need them. */
  unread?: UnreadLog;
  /** Each tab's analysis until the store changes. */
  cache?: ReportCache;
  /** Which tab opened which (login popups); absent in tests that do not need it. */
  openers?: Openers;
  /** The badge after captures, once per burst; absent in tests that check the badge at once. */
  badges?: BadgeSchedule;
  /** The granted origins, followed through permission events; absent in tests, which ask the browser each time. */
  origins?: GrantedOrigins;
  /** Each stored exchange's own analysis, made once. */
  memo?: AnalysisMemo;
}

/**
 * What the worker asks of the badge after a capture (badge.ts `BadgeScheduler` is the one): the tab's badge
 * recomputed when its burst goes quiet. Named here rather than imported, so that deps.ts imports no module that
 * imports it (badge.ts reads the tab's report through `WorkerDeps`).
 */
export interface BadgeSchedule {
  schedule(deps: WorkerDeps, tabId: number): void;
}
