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

/** Recompute the badge of every tab with stored exchanges (a Bearer use may add a finding to any of them). */
export async function updateAllBadges(deps: WorkerDeps): Promise<void> {
  for (const tabId of (await deps.store.tabs()).keys()) await updateBadge(deps, tabId);
}

/** Recompute the badge of every open tab (after the whole store was cleared). */
export async function updateOpenTabBadges(deps: WorkerDeps): Promise<void> {
  for (const tab of await deps.browser.tabs.query({})) if (tab.id !== undefined) await updateBadge(deps, tab.id);
}
