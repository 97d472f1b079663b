/**
 * Which tab opened which, and whether it opened it as a login popup. A login popup's steps are filed under the tab
 * that opened it, where its code exchange runs. The opener is remembered when the popup tab is created, because the
 * callback page of a login popup usually closes its window at once, and by the time its step is handled `tabs.get`
 * has nothing to say.
 *
 * A tab with an opener is not a login popup by that alone: every tab opened by a link has one (`openerTabId` in
 * Chromium, `sourceTabId` of the navigation target in both browsers). It is one when the watched page in its opener
 * called `window.open` (the page hook says so: `page-window-open`) within moments of its creation; each call stands
 * for one tab. Kept in `storage.session` as well as in memory (bounded, 200 tabs each): a worker stopped between a
 * popup's creation and its navigation reads them back, so the popup is still paired with its opener's call.
 */
import type { Browser } from 'webextension-polyfill';
import { BoundedMap } from '../core/bounded-map.js';
import { SerialQueue } from '../core/serial-queue.js';
import type { StorageArea } from './store.js';

const MAX_REMEMBERED = 200;
/** The `storage.session` key of the records a restarted worker reads back. */
export const OPENERS_KEY = 'openers';

/** The records as stored: each map's entries, oldest first. */
interface Stored {
  openerOf: Array<[number, number]>;
  createdAt: Array<[number, number]>;
  windowOpens: Array<[number, number[]]>;
  popups: number[];
}

const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
/** The entries of a stored list whose key and value pass, or none (a record of another build, or no record). */
function entries<V>(value: unknown, isValue: (value: unknown) => value is V): Array<[number, V]> {
  if (!Array.isArray(value)) return [];
  return value.filter(
    (entry): entry is [number, V] => Array.isArray(entry) && entry.length === 2 && isNumber(entry[0]) && isValue(entry[1]),
  );
}
const isTimes = (value: unknown): value is number[] => Array.isArray(value) && value.every(isNumber);

/** Put the stored entries in before what this worker learned since it started (newer: it stays, and goes last). */
function restoreOlder<V>(map: BoundedMap<number, V>, stored: Array<[number, V]>): void {
  const learned = [...map];
  map.clear();
  for (const [key, value] of stored) if (!learned.some(([k]) => k === key)) map.set(key, value);
  for (const [key, value] of learned) map.set(key, value);
}
/**
 * How far apart a `window.open` call (as the worker hears of it) and the creation of the tab it opened may be: the call
 * comes first, but its report crosses the relay and may be heard a little after the browser's tab event.
 */
export const WINDOW_OPEN_PAIRING_MS = { before: 10_000, after: 5_000 } as const;

export class Openers {
  private readonly openerOf = new BoundedMap<number, number>(MAX_REMEMBERED);
  private readonly createdAt = new BoundedMap<number, number>(MAX_REMEMBERED);
  /** Each tab's `window.open` calls not yet paired with a tab they opened (times). */
  private readonly windowOpens = new BoundedMap<number, number[]>(MAX_REMEMBERED);
  /** Tabs paired with a `window.open` call of their opener: login popups. */
  private readonly popups = new BoundedMap<number, true>(MAX_REMEMBERED);
  /** What waits for a tab's `window.open` report (a popup's navigation heard first), with when it began to wait. In memory only: a retry is a function. */
  private readonly parked = new BoundedMap<number, Array<{ at: number; retry: () => void }>>(MAX_REMEMBERED);
  private readonly writes = new SerialQueue();
  /** The records a worker stopped before this one kept, read back (settles even when storage fails: nothing read). */
  readonly restored: Promise<void>;

  constructor(
    private readonly browser: Browser,
    private readonly area: StorageArea,
    private readonly now: () => number = Date.now,
  ) {
    this.restored = this.restore();
  }

  private async restore(): Promise<void> {
    let value: unknown;
    try {
      value = (await this.area.get([OPENERS_KEY]))[OPENERS_KEY];
    } catch {
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    const stored = value as Partial<Record<keyof Stored, unknown>>;
    restoreOlder(this.openerOf, entries(stored.openerOf, isNumber));
    restoreOlder(this.createdAt, entries(stored.createdAt, isNumber));
    restoreOlder(this.windowOpens, entries(stored.windowOpens, isTimes));
    const popups = Array.isArray(stored.popups) ? stored.popups.filter(isNumber) : [];
    restoreOlder(
      this.popups,
      popups.map((tabId): [number, true] => [tabId, true]),
    );
  }

  /** Write the records (after the stored ones were read back, so a write never hides them); a failed write loses only this copy. */
  private save(): void {
    void this.writes
      .run(async () => {
        await this.restored;
        const stored: Stored = {
          openerOf: [...this.openerOf],
          createdAt: [...this.createdAt],
          windowOpens: [...this.windowOpens],
          popups: [...this.popups.keys()],
        };
        await this.area.set({ [OPENERS_KEY]: stored });
      })
      .catch(() => undefined);
  }

  /** Resolves once every record changed so far is in storage (tests; a worker never waits for it). */
  flushed(): Promise<void> {
    return this.writes.run(() => undefined);
  }

  /** Called from tabs.onCreated (and webNavigation.onCreatedNavigationTarget, which names a popup window's source tab). */
  remember(tabId: number | undefined, openerTabId: number | undefined): void {
    if (typeof tabId !== 'number' || typeof openerTabId !== 'number' || openerTabId < 0) return;
    this.openerOf.set(tabId, openerTabId);
    if (!this.createdAt.has(tabId)) this.createdAt.set(tabId, this.now());
    this.save();
  }

  /**
   * The watched page in `tabId` called `window.open` (page-handlers.ts, from the page hook through its relay): what
   * waited for this report (a popup's navigation the browser told first) is tried again.
   */
  openedByPage(tabId: number): void {
    const calls = (this.windowOpens.get(tabId) ?? []).filter((at) => this.now() - at <= WINDOW_OPEN_PAIRING_MS.before).slice(-20);
    this.windowOpens.set(tabId, [...calls, this.now()]);
    this.save();
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
    this.parked.set(openerTabId, [...waiting, { at: this.now(), retry }]);
  }

  /** The tab that opened `tabId`, or `tabId` itself when none is known. */
  async of(tabId: number): Promise<number> {
    await this.restored;
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
    this.popups.set(tabId, true);
    this.save();
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
