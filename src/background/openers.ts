/**
 * Which tab opened which, and whether it opened it as a login popup. A login popup's steps are filed under the tab
 * that opened it, where its code exchange runs. The opener is remembered when the popup tab is created, because the
 * callback page of a login popup usually closes its window at once, and by the time its step is handled `tabs.get`
 * has nothing to say.
 *
 * A tab with an opener is not a login popup by that alone: every tab opened by a link has one (`openerTabId` in
 * Chromium, `sourceTabId` of the navigation target in both browsers). It is one when the watched page in its opener
 * called `window.open` (the page hook says so: `page-window-open`) within moments of its creation; each call stands
 * for one tab. In memory only (bounded): a worker stopped between a popup's creation and its navigation takes it for
 * no popup (the page hook's own step, from the `window.open` call, still names its authorization request).
 */
import type { Browser } from 'webextension-polyfill';

const MAX_REMEMBERED = 200;
/**
 * How far apart a `window.open` call (as the worker hears of it) and the creation of the tab it opened may be: the call
 * comes first, but its report crosses the relay and may be heard a little after the browser's tab event.
 */
export const WINDOW_OPEN_PAIRING_MS = { before: 10_000, after: 5_000 } as const;

/** A bounded map: the oldest key goes first. */
function boundedSet<K, V>(map: Map<K, V>, key: K, value: V): void {
  if (!map.has(key) && map.size >= MAX_REMEMBERED) {
    const oldest = map.keys().next().value;
    if (oldest !== undefined) map.delete(oldest);
  }
  map.set(key, value);
}

export class Openers {
  private readonly openerOf = new Map<number, number>();
  private readonly createdAt = new Map<number, number>();
  /** Each tab's `window.open` calls not yet paired with a tab they opened (times). */
  private readonly windowOpens = new Map<number, number[]>();
  /** Tabs paired with a `window.open` call of their opener: login popups. */
  private readonly popups = new Set<number>();
  /** What waits for a tab's `window.open` report (a popup's navigation heard first), with when it began to wait. */
  private readonly parked = new Map<number, Array<{ at: number; retry: () => void }>>();

  constructor(
    private readonly browser: Browser,
    private readonly now: () => number = Date.now,
  ) {}

  /** Called from tabs.onCreated (and webNavigation.onCreatedNavigationTarget, which names a popup window's source tab). */
  remember(tabId: number | undefined, openerTabId: number | undefined): void {
    if (typeof tabId !== 'number' || typeof openerTabId !== 'number' || openerTabId < 0) return;
    boundedSet(this.openerOf, tabId, openerTabId);
    if (!this.createdAt.has(tabId)) boundedSet(this.createdAt, tabId, this.now());
  }

  /**
   * The watched page in `tabId` called `window.open` (page-handlers.ts, from the page hook through its relay): what
   * waited for this report (a popup's navigation the browser told first) is tried again.
   */
  openedByPage(tabId: number): void {
    const calls = (this.windowOpens.get(tabId) ?? []).filter((at) => this.now() - at <= WINDOW_OPEN_PAIRING_MS.before).slice(-20);
    boundedSet(this.windowOpens, tabId, [...calls, this.now()]);
    const waiting = this.parked.get(tabId) ?? [];
    this.parked.delete(tabId);
    for (const { at, retry } of waiting) if (this.now() - at <= WINDOW_OPEN_PAIRING_MS.after) retry();
  }

  /**
   * Try `retry` again when `openerTabId` reports a `window.open` call within moments (a popup `tabId` heard before its
   * call); at once when the report came while the caller was still deciding.
   */
  park(tabId: number, openerTabId: number, retry: () => void): void {
    if (this.pairing(tabId, openerTabId) >= 0) {
      retry();
      return;
    }
    const waiting = (this.parked.get(openerTabId) ?? []).filter(({ at }) => this.now() - at <= WINDOW_OPEN_PAIRING_MS.after).slice(-20);
    boundedSet(this.parked, openerTabId, [...waiting, { at: this.now(), retry }]);
  }

  /** The tab that opened `tabId`, or `tabId` itself when none is known. */
  async of(tabId: number): Promise<number> {
    const remembered = this.openerOf.get(tabId);
    if (remembered !== undefined) return remembered;
    try {
      const opener = (await this.browser.tabs.get(tabId)).openerTabId;
      return typeof opener === 'number' && opener >= 0 ? opener : tabId;
    } catch {
      return tabId;
    }
  }

  /**
   * The tab whose page opened `tabId` with `window.open` (a login popup), or null: opened by a link, by the user, or
   * nothing known. The first time it is asked, the tab is paired with one of its opener's calls made within
   * `WINDOW_OPEN_PAIRING_MS` of its creation, which no other tab can then claim.
   */
  async popupOpener(tabId: number): Promise<number | null> {
    const opener = await this.of(tabId);
    if (opener === tabId) return null;
    if (this.popups.has(tabId)) return opener;
    const index = this.pairing(tabId, opener);
    if (index < 0) return null;
    this.windowOpens.get(opener)?.splice(index, 1);
    if (this.popups.size >= MAX_REMEMBERED) this.popups.delete(this.popups.values().next().value as number);
    this.popups.add(tabId);
    return opener;
  }

  /** Which of `opener`'s `window.open` calls could have made `tabId` (an index into its calls), or -1. */
  private pairing(tabId: number, opener: number): number {
    const created = this.createdAt.get(tabId);
    if (created === undefined) return -1;
    const calls = this.windowOpens.get(opener) ?? [];
    return calls.findIndex((at) => created - at <= WINDOW_OPEN_PAIRING_MS.before && at - created <= WINDOW_OPEN_PAIRING_MS.after);
  }
}
