/**
 * Wiring: every listener is added synchronously on start, as MV3 requires for
 * a stopped worker to be woken by its events. Logic lives in the modules they call:
 * dispatch.ts (messages), filter.ts (Firefox), badge.ts, watched-sites.ts.
 *
 * No listener here runs for every request of every page: in Chromium any webRequest listener, however narrow
 * its filter, puts every request of every page through the browser process (docs/BENCHMARKS.md). The evidence
 * that a page-reported request was sent comes from the page's own Resource Timing, read by the relay.
 */
import type { Browser, Runtime } from 'webextension-polyfill';
import { BadgeScheduler, updateBadge } from './badge.js';
import { acceptCapturePort } from './capture-port.js';
import type { WorkerDeps } from './deps.js';
import { handleMessage } from './dispatch.js';
import { canFilterResponses, startFilterCapture } from './filter.js';
import { NAVIGATION_PERMISSION, unwatchNavigations, watchNavigations } from './navigations.js';
import type { StorageArea } from './store.js';
import { injectIntoOpenTabs, syncRegistrations } from './watched-sites.js';
import { workerDeps } from './worker-deps.js';

/**
 * The extension was reloaded or updated: storage.session went with the old version, the open tabs' relays are
 * orphaned. Each open watched tab gets a new relay (the old one hands it the captures it still held) and a note
 * saying what could not be kept.
 */
async function afterUpdate(deps: WorkerDeps, origins: string[]): Promise<void> {
  const tabs = await injectIntoOpenTabs(deps.browser, origins);
  const at = new Date().toISOString();
  for (const tabId of tabs)
    await deps.store.addNote({
      tabId,
      at,
      message:
        'Tokenscope was reloaded or updated: exchanges stored before then were cleared with its session storage; captures still on their way were kept.',
    });
}

export function init(browser: Browser): WorkerDeps {
  const deps = workerDeps(browser, browser.storage.session as unknown as StorageArea, new BadgeScheduler());

  // The relays' captures, one port per document (capture-port.ts); everything else as one-shot messages.
  browser.runtime.onConnect.addListener((port) => acceptCapturePort(deps, port));
  browser.runtime.onMessage.addListener((message: unknown, sender: Runtime.MessageSender) => handleMessage(deps, message, sender));

  // Registrations follow what the user granted: at install, at every start, on every change. After an update or a
  // reload, the open tabs of watched sites get a new relay (their old one is orphaned and hands its captures back).
  browser.runtime.onInstalled.addListener((details) => {
    void syncRegistrations(browser).then((origins) => (details.reason === 'update' ? afterUpdate(deps, origins) : undefined));
  });
  browser.runtime.onStartup.addListener(() => void syncRegistrations(browser));
  browser.permissions.onAdded.addListener((permissions) => {
    if (permissions.permissions?.includes(NAVIGATION_PERMISSION)) watchNavigations(deps);
    void syncRegistrations(browser).then(() => injectIntoOpenTabs(browser, permissions.origins ?? []));
  });
  browser.permissions.onRemoved.addListener((permissions) => {
    if (permissions.permissions?.includes(NAVIGATION_PERMISSION)) unwatchNavigations(deps);
    void syncRegistrations(browser);
  });
  // Authorization requests of hidden iframes and login popups, while the user grants webNavigation (navigations.ts).
  watchNavigations(deps);
  void syncRegistrations(browser);

  // A login popup's opener, known for sure only while the popup lives (openers.ts).
  browser.tabs.onCreated.addListener((tab) => deps.openers.remember(tab.id, tab.openerTabId));

  // A tab's badge is per tab; navigation resets it in some browsers, so set it again when a load completes.
  browser.tabs.onUpdated.addListener((tabId, change) => {
    if (change.status === 'complete') void updateBadge(deps, tabId);
  });

  // Firefox: token responses as the network layer delivers them (webRequest.filterResponseData).
  if (canFilterResponses(browser)) startFilterCapture(deps);
  return deps;
}
