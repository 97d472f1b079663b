/** What the worker's modules are handed: the browser (a fake in tests) and the worker's stores. */
import type { Browser } from 'webextension-polyfill';
import type { BearerLog } from './bearer.js';
import type { ReportCache } from './report-cache.js';
import type { ExchangeStore } from './store.js';
import type { WireLog } from './wire.js';

export interface WorkerDeps {
  browser: Browser;
  store: ExchangeStore;
  wire: WireLog;
  /** Where captured tokens were sent afterwards; absent where nothing watches request headers. */
  bearer?: BearerLog;
  /** Each tab's analysis until the store changes. */
  cache?: ReportCache;
}
