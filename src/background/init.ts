/**
 * Wiring: every listener is added synchronously on start, as MV3 requires for
 * a stopped worker to be woken by its events. Logic lives in the modules they call:
 * dispatch.ts (messages), wire.ts, filter.ts (Firefox), badge.ts, watched-sites.ts.
 */
import type { Browser, Runtime } from 'webextension-polyfill';
import { updateBadge } from './badge.js';
import { BearerLog } from './bearer.js';
import type { WorkerDeps } from './deps.js';
import { handleMessage } from './dispatch.js';
import { canFilterResponses, startFilterCapture } from './filter.js';
import { ReportCache } from './report-cache.js';
import { ExchangeStore, type StorageArea } from './store.js';
import { injectIntoOpenTabs, syncRegistrations } from './watched-sites.js';
import { WireLog } from './wire.js';

export function init(browser: Browser): WorkerDeps {
  const area = browser.storage.session as unknown as StorageArea;
  const store = new ExchangeStore(area);
  const cache = new ReportCache();
  const deps: WorkerDeps = { browser, store, wire: new WireLog(area), bearer: new BearerLog(area, store), cache };
  // The cached analysis follows every change: the store's own writes at once, anyone else's (another
  // extension page, a clear) through storage events.
  store.onChange(() => cache.invalidate());
  browser.storage.onChanged.addListener((changes, areaName) => {
    if (areaName !== 'session' || !('exchanges' in changes || 'bearerUses' in changes)) return;
    // The store's own writes invalidated the cache when they were made (and the badge may have refilled it since).
    if ('exchanges' in changes && !('bearerUses' in changes) && store.isOwnRevision(changes.rev?.newValue)) return;
    cache.invalidate();
  });

  browser.runtime.onMessage.addListener((message: unknown, sender: Runtime.MessageSender) => handleMessage(deps, message, sender));

  // Registrations follow what the user granted: at install, at every start, on every change.
  browser.runtime.onInstalled.addListener(() => void syncRegistrations(browser));
  browser.runtime.onStartup.addListener(() => void syncRegistrations(browser));
  browser.permissions.onAdded.addListener((permissions) => {
    void syncRegistrations(browser).then(() => injectIntoOpenTabs(browser, permissions.origins ?? []));
  });
  browser.permissions.onRemoved.addListener(() => void syncRegistrations(browser));
  void syncRegistrations(browser);

  // The wire: token requests of watched hosts (only hosts we hold permission for are reported).
  browser.webRequest.onBeforeRequest.addListener(
    (details) => {
      void deps.wire.seen({
        tabId: details.tabId,
        method: details.method,
        url: details.url,
        timeStamp: details.timeStamp,
        requestBody: details.requestBody ?? undefined,
      });
      return undefined;
    },
    // Only token-like paths: every listener costs each matching request a round trip to the worker, and a
    // page-reported exchange to another path stays page-reported (said so in the view).
    { urls: ['*://*/*token*', '*://*/*Token*', '*://*/*introspect*'], types: ['xmlhttprequest', 'main_frame', 'sub_frame', 'other'] },
    ['requestBody'],
  );

  // A tab's badge is per tab; navigation resets it in some browsers, so set it again when a load completes.
  browser.tabs.onUpdated.addListener((tabId, change) => {
    if (change.status === 'complete') void updateBadge(deps, tabId);
  });

  // Firefox: token responses as the network layer delivers them (webRequest.filterResponseData).
  if (canFilterResponses(browser)) startFilterCapture(deps);
  return deps;
}
