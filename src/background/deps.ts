/**
 * What the worker's modules are handed: the browser and the worker's stores, every one of them (worker-deps.ts makes
 * them; the unit tests make the same set over a fake browser), so no handler has a branch for a store that is not there.
 */
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
  /** Where captured tokens were sent afterwards. */
  bearer: BearerLog;
  /** Front-channel steps pages reported, per tab. */
  signIns: SignInLog;
  /** Token calls pages knew of but could not read, per tab. */
  unread: UnreadLog;
  /** Each tab's analysis until the store changes. */
  cache: ReportCache;
  /** Which tab opened which (login popups). */
  openers: Openers;
  /** The badge after captures: once per burst in the worker (badge.ts `BadgeScheduler`). */
  badges: BadgeSchedule;
  /** The granted origins, followed through permission events. */
  origins: GrantedOrigins;
  /** Each stored exchange's own analysis, made once. */
  memo: AnalysisMemo;
}

/**
 * What the worker asks of the badge after a capture (badge.ts `BadgeScheduler` is the one): the tab's badge
 * recomputed when its burst goes quiet. Named here rather than imported, so that deps.ts imports no module that
 * imports it (badge.ts reads the tab's report through `WorkerDeps`).
 */
export interface BadgeSchedule {
  /** Resolves once this call has done its part: at once for a scheduler (the badge follows when the burst is quiet). */
  schedule(deps: WorkerDeps, tabId: number): Promise<void>;
}
