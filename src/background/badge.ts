/** The toolbar badge: each tab's count of high-severity findings. */
import type { WorkerDeps } from './deps.js';
import { tabReport } from './tab-report.js';

const BADGE_COLOR = '#b3261e';

/** Recompute the tab's badge: the count of high-severity findings, from the tab's report (each exchange analyzed once, analysis-memo.ts). */
export async function updateBadge(deps: WorkerDeps, tabId: number): Promise<void> {
  const high = (await tabReport(deps, tabId)).summary.findings.high;
  try {
    await deps.browser.action.setBadgeBackgroundColor({ tabId, color: BADGE_COLOR });
    await deps.browser.action.setBadgeText({ tabId, text: high > 0 ? String(high) : '' });
  } catch {
    // The tab is gone.
  }
}

/**
 * After a capture: the tab's badge recomputed once for a burst, not once per capture. Recomputing builds the tab's
 * report (its cross-exchange rules and sign-ins over up to 200 exchanges); per capture, that work grew with what was
 * stored and competed with the page for the CPU (200 token requests on a watched page took ~2x as long as on an
 * unwatched one in the page-overhead benchmark). The capture itself is stored and answered at once; the badge
 * follows within `BADGE_DELAY_MS` of the first capture of a burst. Without a scheduler (unit tests) it is at once.
 */
export const BADGE_DELAY_MS = 250;

export class BadgeScheduler {
  /** Per tab: a recomputation waiting for its timer, or running (and whether a capture came in meanwhile). */
  private readonly tabs = new Map<number, { running: boolean; again: boolean }>();
  /** How long the last recomputation took: a long one (a full tab) waits longer before the next, so a burst of captures keeps most of the CPU. */
  private lastMs = 0;

  constructor(
    private readonly setTimer: (run: () => void, ms: number) => unknown = (run, ms) => setTimeout(run, ms),
    private readonly now: () => number = () => performance.now(),
  ) {}

  schedule(deps: WorkerDeps, tabId: number): void {
    const state = this.tabs.get(tabId);
    if (state) {
      if (state.running) state.again = true; // The running one may have read the tab before this capture.
      return;
    }
    const mine = { running: false, again: false };
    this.tabs.set(tabId, mine);
    this.setTimer(
      () => {
        mine.running = true;
        const started = this.now();
        void updateBadge(deps, tabId).finally(() => {
          this.lastMs = this.now() - started;
          this.tabs.delete(tabId);
          if (mine.again) this.schedule(deps, tabId);
        });
      },
      Math.max(BADGE_DELAY_MS, 4 * this.lastMs),
    );
  }
}

/** The badge after a capture: scheduled (one per burst) where the worker has a scheduler, else at once. */
export async function badgeAfterCapture(deps: WorkerDeps, tabId: number): Promise<void> {
  if (deps.badges) deps.badges.schedule(deps, tabId);
  else await updateBadge(deps, tabId);
}

/** Recompute the badge of every tab with stored exchanges (a Bearer use may add a finding to any of them). */
export async function updateAllBadges(deps: WorkerDeps): Promise<void> {
  for (const tabId of (await deps.store.tabs()).keys()) await updateBadge(deps, tabId);
}

/** Recompute the badge of every open tab (after the whole store was cleared). */
export async function updateOpenTabBadges(deps: WorkerDeps): Promise<void> {
  for (const tab of await deps.browser.tabs.query({})) if (tab.id !== undefined) await updateBadge(deps, tab.id);
}
