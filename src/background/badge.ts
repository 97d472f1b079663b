/** The toolbar badge: each tab's count of high-severity findings. */
import type { BadgeSchedule, WorkerDeps } from './deps.js';
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
 * After a capture: the tab's badge recomputed once for a burst, when the burst goes quiet, not once per capture.
 * Recomputing builds the tab's report (each new exchange analyzed: JWTs decoded, tokens fingerprinted; the
 * cross-exchange rules and sign-ins over up to 200 exchanges); done while a page is still making token requests, that
 * work competes with the page for the CPU (per capture, it made 200 token requests on a watched page take ~2x as long
 * as on an unwatched one in the page-overhead benchmark; once per 250 ms of a burst, still ~1.3x). The capture itself
 * is stored and answered at once; the badge follows `BADGE_QUIET_MS` after the last capture of a burst, and at most
 * `BADGE_MAX_WAIT_MS` after its first (a page that never stops still gets its badge).
 */
export const BADGE_QUIET_MS = 250;
export const BADGE_MAX_WAIT_MS = 2_000;

interface TabBurst {
  /** When the burst's first and latest captures came. */
  first: number;
  last: number;
  /** Recomputing now (a capture that comes meanwhile asks for another). */
  running: boolean;
  again: boolean;
}

export class BadgeScheduler implements BadgeSchedule {
  private readonly tabs = new Map<number, TabBurst>();

  constructor(
    private readonly setTimer: (run: () => void, ms: number) => unknown = (run, ms) => setTimeout(run, ms),
    private readonly now: () => number = () => performance.now(),
  ) {}

  async schedule(deps: WorkerDeps, tabId: number): Promise<void> {
    const at = this.now();
    const burst = this.tabs.get(tabId);
    if (burst) {
      if (burst.running)
        burst.again = true; // The running one may have read the tab before this capture.
      else burst.last = at;
      return;
    }
    const mine: TabBurst = { first: at, last: at, running: false, again: false };
    this.tabs.set(tabId, mine);
    this.setTimer(() => this.due(deps, tabId, mine), BADGE_QUIET_MS);
  }

  /** The timer: recompute if the burst went quiet (or waited long enough), else wait for the rest of the quiet time. */
  private due(deps: WorkerDeps, tabId: number, burst: TabBurst): void {
    const at = this.now();
    const quietLeft = BADGE_QUIET_MS - (at - burst.last);
    const waitLeft = BADGE_MAX_WAIT_MS - (at - burst.first);
    if (quietLeft > 0 && waitLeft > 0) {
      this.setTimer(() => this.due(deps, tabId, burst), Math.min(quietLeft, waitLeft));
      return;
    }
    burst.running = true;
    void updateBadge(deps, tabId).finally(() => {
      this.tabs.delete(tabId);
      if (burst.again) void this.schedule(deps, tabId);
    });
  }
}

/** The badge after a capture, as the worker's schedule says (badge.ts `BadgeScheduler`: one per burst). */
export function badgeAfterCapture(deps: WorkerDeps, tabId: number): Promise<void> {
  return deps.badges.schedule(deps, tabId);
}

/** Recompute the badge of every tab with stored exchanges (a Bearer use may add a finding to any of them). */
export async function updateAllBadges(deps: WorkerDeps): Promise<void> {
  for (const tabId of (await deps.store.tabs()).keys()) await updateBadge(deps, tabId);
}

/** Recompute the badge of every open tab (after the whole store was cleared). */
export async function updateOpenTabBadges(deps: WorkerDeps): Promise<void> {
  for (const tab of await deps.browser.tabs.query({})) if (tab.id !== undefined) await updateBadge(deps, tab.id);
}
