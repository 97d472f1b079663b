/**
 * How the exchange store lies in `storage.session`: one key per stored exchange (`x:<n>`, n a sequence number that
 * only grows) and one index per tab (`tab:<tabId>`: the tab's sequence numbers, oldest first). A capture writes its
 * own exchange and its tab's index in one `set` (atomic in the storage area), never the other tabs' exchanges.
 *
 * The indexes say what is stored: an `x:` key no index names (a worker stopped between writing an index and removing
 * the exchanges it let go) and an empty index are left over, removed at the next load; an index entry whose exchange
 * is missing is skipped.
 * A whole-store `exchanges` array (the layout before this one; storage.session goes with the extension version,
 * so only a writer outside the worker can leave one) is taken in at load, oldest first, and its key removed.
 */
import type { CapturedExchange } from '../core/types.js';
import type { CaptureInfo, TabNote } from '../protocol/view-state.js';

/** The worker's storage schema: one captured exchange and how it was captured. */
export interface StoredExchange {
  key: string;
  capture: CaptureInfo;
  exchange: CapturedExchange;
  /** The page side's ids of the captures stored here: a resent capture (same id, same tab) is not stored again. */
  captureIds?: string[];
}

/** The part of `storage.session` the store uses; a Map-backed fake stands in for it in unit tests. */
export interface StorageArea {
  /** `null`: every key. */
  get(keys: string[] | null): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string[]): Promise<void>;
}

export const STORE_KEYS = { dropped: 'dropped', droppedByTab: 'droppedByTab', notes: 'notes', legacy: 'exchanges' } as const;
const EXCHANGE_PREFIX = 'x:';
const TAB_PREFIX = 'tab:';

export const exchangeKeyOf = (n: number): string => `${EXCHANGE_PREFIX}${n}`;
export const tabKeyOf = (tabId: number): string => `${TAB_PREFIX}${tabId}`;

/** What the store holds, in memory: never changed in place (a write makes a new one). */
export interface StoreMirror {
  /** Every stored exchange by sequence number, in ascending order (oldest first). */
  records: ReadonlyMap<number, StoredExchange>;
  /** Each tab's sequence numbers, oldest first. */
  byTab: ReadonlyMap<number, readonly number[]>;
  dropped: number;
  /** How many exchanges each tab let go (its own cap, the store's bound, the quota), as said in that tab's view. */
  droppedByTab: ReadonlyMap<number, number>;
  notes: TabNote[];
  /** The next sequence number. */
  next: number;
}

function isStored(value: unknown): value is StoredExchange {
  const stored = value as StoredExchange | null;
  return (
    typeof stored === 'object' &&
    stored !== null &&
    typeof stored.key === 'string' &&
    typeof stored.capture?.tabId === 'number' &&
    typeof stored.exchange?.url === 'string'
  );
}

/** The mirror from every item of the area, and what to tidy: left-over exchange keys, a legacy array taken in. */
export function mirrorOf(items: Record<string, unknown>): { mirror: StoreMirror; leftOver: string[]; legacy: StoredExchange[] } {
  const indexed = new Map<number, number>(); // n -> tabId
  let next = 0;
  for (const [key, value] of Object.entries(items)) {
    if (key.startsWith(EXCHANGE_PREFIX)) next = Math.max(next, Number(key.slice(EXCHANGE_PREFIX.length)) + 1 || 0);
    if (!key.startsWith(TAB_PREFIX) || !Array.isArray(value)) continue;
    const tabId = Number(key.slice(TAB_PREFIX.length));
    if (!Number.isInteger(tabId)) continue;
    for (const n of value) if (Number.isInteger(n) && n >= 0) indexed.set(n, tabId);
  }
  const records = new Map<number, StoredExchange>();
  for (const n of [...indexed.keys()].sort((a, b) => a - b)) {
    const stored = items[exchangeKeyOf(n)];
    if (isStored(stored) && stored.capture.tabId === indexed.get(n)) records.set(n, stored);
    next = Math.max(next, n + 1);
  }
  const leftOver = Object.entries(items)
    .filter(([key, value]) =>
      key.startsWith(EXCHANGE_PREFIX)
        ? !records.has(Number(key.slice(EXCHANGE_PREFIX.length)))
        : key.startsWith(TAB_PREFIX) && !(Array.isArray(value) && value.length > 0),
    )
    .map(([key]) => key);
  if (STORE_KEYS.legacy in items) leftOver.push(STORE_KEYS.legacy);
  const legacyItems = items[STORE_KEYS.legacy];
  const legacy = Array.isArray(legacyItems) ? legacyItems.filter(isStored) : [];
  for (const stored of legacy) records.set(next++, stored);
  const dropped = items[STORE_KEYS.dropped];
  const notes = items[STORE_KEYS.notes];
  return {
    mirror: {
      records,
      byTab: tabsOf(records),
      dropped: typeof dropped === 'number' ? dropped : 0,
      droppedByTab: droppedByTabOf(items[STORE_KEYS.droppedByTab]),
      notes: Array.isArray(notes) ? (notes as TabNote[]) : [],
      next,
    },
    leftOver,
    legacy,
  };
}

/** The per-tab counts as stored (`[[tabId, count], ...]`); anything else reads as none. */
function droppedByTabOf(value: unknown): Map<number, number> {
  const counts = new Map<number, number>();
  if (!Array.isArray(value)) return counts;
  for (const pair of value)
    if (Array.isArray(pair) && Number.isInteger(pair[0]) && Number.isInteger(pair[1]) && pair[1] > 0) counts.set(pair[0], pair[1]);
  return counts;
}

/** The per-tab counts as stored. */
export const droppedByTabItem = (counts: ReadonlyMap<number, number>): Array<[number, number]> => [...counts];

/** Each tab's sequence numbers, oldest first. */
export function tabsOf(records: ReadonlyMap<number, StoredExchange>): Map<number, number[]> {
  const byTab = new Map<number, number[]>();
  for (const [n, stored] of records) {
    const list = byTab.get(stored.capture.tabId);
    if (list) list.push(n);
    else byTab.set(stored.capture.tabId, [n]);
  }
  return byTab;
}

/**
 * The index items for `tabIds` as `records` has them. A tab left with nothing gets an empty index, written in the
 * same `set` as the rest (removing its key instead would be a second call, and a worker stopped between the two
 * would find the old index naming exchanges that are gone from the store); the next load removes the empty key.
 */
export function indexItems(records: ReadonlyMap<number, StoredExchange>, tabIds: Iterable<number>): Record<string, number[]> {
  const byTab = tabsOf(records);
  const items: Record<string, number[]> = {};
  for (const tabId of new Set(tabIds)) items[tabKeyOf(tabId)] = byTab.get(tabId) ?? [];
  return items;
}

/** The stored exchanges in a dump of the area's items, oldest first: for readers outside the worker (tests, benchmarks). */
export function storedExchangesIn(items: Record<string, unknown>): StoredExchange[] {
  return [...mirrorOf(items).mirror.records.values()];
}

/**
 * The items that add `list` after what a dump of the area's items holds, as the worker would have stored them (its
 * exchanges under the next sequence numbers, their tabs' indexes): for writers outside the worker (tests, benchmarks).
 */
export function itemsAdding(items: Record<string, unknown>, list: readonly StoredExchange[]): Record<string, unknown> {
  const { mirror } = mirrorOf(items);
  const records = new Map(mirror.records);
  const added: Record<string, unknown> = {};
  let n = mirror.next;
  for (const stored of list) {
    added[exchangeKeyOf(n)] = stored;
    records.set(n++, stored);
  }
  return {
    ...added,
    ...indexItems(
      records,
      list.map((stored) => stored.capture.tabId),
    ),
  };
}
