/** The view state: everything the popup and the DevTools panel show for one tab, composed by the worker. */
import { exchangeId } from '../core/analysis/index.js';
import { originOf } from '../core/match-pattern.js';
import type { Report } from '../core/types.js';
import type { UnreadToken } from '../protocol/unread.js';
import type { CaptureInfo, ViewState } from '../protocol/view-state.js';
import type { WorkerDeps } from './deps.js';
import { NAVIGATION_PERMISSION } from './navigations.js';
import type { StoredExchange } from './store.js';
import { tabReport } from './tab-report.js';
import { isWatched, watchedOrigins } from './watched-sites.js';

/** The tab's address, or null for a closed tab or one whose address the extension may not see. */
async function tabUrlOf(deps: WorkerDeps, tabId: number | null): Promise<string | null> {
  if (tabId === null) return null;
  try {
    return (await deps.browser.tabs.get(tabId)).url ?? null;
  } catch {
    return null;
  }
}

/** Capture info for the exchanges the report shows: the newest, so the tab's list is read from its end (an id is a hash). */
function capturesShown(mine: readonly StoredExchange[], report: Report): Record<string, CaptureInfo> {
  const captures: Record<string, CaptureInfo> = {};
  const shown = new Set(report.exchanges.map((exchange) => exchange.id));
  for (let i = mine.length - 1; i >= 0 && shown.size > 0; i--) {
    const stored = mine[i] as StoredExchange;
    const id = exchangeId(stored.exchange);
    if (shown.delete(id)) captures[id] = stored.capture;
  }
  return captures;
}

/** The sign-ins a view shows: those of the exchanges it shows, and every one with a front channel (a headline of its own). */
function signInsShown(report: Report, shown: Report['exchanges']): Report['signIns'] {
  if (shown.length === report.exchanges.length) return report.signIns;
  const ids = new Set(shown.map((exchange) => exchange.id));
  return report.signIns.filter((signIn) => signIn.authorization || signIn.response || signIn.exchanges.some((id) => ids.has(id)));
}

/**
 * Hosts to offer watching too: only where a token call of this tab was actually missed, and the host is not watched.
 * The rule: (1) a token call seen and not read (`unread` requests: the hook's unclaimed Resource Timing entries, calls
 * it could not read), at its origin; (2) a sign-in whose code came back and no code exchange followed, at its
 * authorization endpoint's origin (the token endpoint is that server's). An exchange that was stored was captured: its
 * host is never suggested for it alone (every Entra site was told to watch login.microsoftonline.com though its
 * sign-in was read in full).
 */
function suggestedHosts(unread: readonly UnreadToken[], signIns: Report['signIns'], origins: readonly string[]): string[] {
  const missedAt = [
    ...unread.filter((call) => call.kind === 'request').map((call) => call.where),
    ...signIns
      .filter((signIn) => signIn.response?.outcome === 'code' && signIn.exchanges.length === 0 && signIn.authorization)
      .map((signIn) => signIn.authorization?.endpoint ?? ''),
  ];
  const suggested = new Set<string>();
  for (const url of missedAt) {
    const origin = /^https?:/.test(url) && !isWatched(origins, url) ? originOf(url) : null;
    if (origin) suggested.add(origin);
  }
  return [...suggested];
}

/** Every other tab with stored exchanges: its site, how many, and its high findings. */
async function otherTabs(deps: WorkerDeps, tabId: number | null): Promise<ViewState['otherTabs']> {
  const byTab = await deps.store.tabs();
  return Promise.all(
    [...byTab]
      .filter(([id]) => id !== tabId)
      .map(async ([id, list]) => ({
        tabId: id,
        site: list[list.length - 1]?.capture.site ?? 'unknown',
        exchanges: list.length,
        high: (await tabReport(deps, id)).summary.findings.high,
      })),
  );
}

async function mayReadNavigations(deps: WorkerDeps): Promise<boolean> {
  try {
    return await deps.browser.permissions.contains({ permissions: [NAVIGATION_PERMISSION] });
  } catch {
    return false;
  }
}

/** Everything a view shows for one tab; only the newest `limit` exchanges travel in full. */
export async function viewState(deps: WorkerDeps, tabId: number | null, limit = Number.POSITIVE_INFINITY): Promise<ViewState> {
  // Everything the view needs, asked for at once: each is a storage or browser round trip of its own.
  const [state, origins, tabUrl, mine, analyzed, others, unread, navigations, dropped] = await Promise.all([
    deps.store.read(),
    watchedOrigins(deps),
    tabUrlOf(deps, tabId),
    deps.store.tab(tabId),
    tabReport(deps, tabId), // Newest first.
    otherTabs(deps, tabId),
    deps.unread.tab(tabId),
    mayReadNavigations(deps),
    deps.store.droppedIn(tabId),
  ]);
  // A popup on a full store renders the newest exchanges first, and the sign-ins they belong to: the view
  // crosses the port with what it shows (with 200 sign-ins of one exchange each, they were 87 % of its bytes).
  const exchanges = analyzed.exchanges.slice(0, limit);
  const report = { ...analyzed, exchanges, signIns: signInsShown(analyzed, exchanges) };
  // The tab's address is hidden on sites the extension may not access (no "tabs" permission; activeTab reveals it
  // when the user opens the popup from the toolbar): fall back to the site its exchanges came from.
  const origin = tabUrl ? originOf(tabUrl) : (mine[mine.length - 1]?.capture.site ?? null);
  const site = origin && /^https?:/.test(origin) ? origin : null;
  return {
    tabId,
    tabUrl,
    site,
    isWatched: site !== null && isWatched(origins, tabUrl ?? `${site}/`),
    watchedSites: [...origins],
    report,
    totalExchanges: analyzed.exchanges.length,
    captures: capturesShown(mine, report),
    dropped,
    capacity: deps.store.capacity,
    notes: state.notes.filter((note) => note.tabId === tabId),
    unread,
    suggestedHosts: suggestedHosts(unread, analyzed.signIns, origins),
    frameNavigations: navigations ? 'granted' : 'not-granted',
    otherTabs: others,
  };
}
