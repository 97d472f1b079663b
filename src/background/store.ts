/**
 * The exchange store: `storage.session` only (in memory, gone with the browser
 * session, never on disk), bounded, oldest dropped with a count. It must live
 * in storage, not in module variables: MV3 stops an idle worker after ~30 s.
 *
 * Writes are serialized through one queue so two messages arriving together
 * cannot overwrite each other's exchange. The dedupe key is made here too, beside the merge that applies it.
 *
 * The worker keeps what it last read or wrote in memory (a snapshot never changed in place) with a per-tab
 * index, so a view or a badge reads one tab without a storage round trip; a write by anyone else (a storage
 * change event with a foreign revision) makes it read storage again.
 */
import { STORE_LIMITS } from '../core/limits.js';
import { SerialQueue } from '../core/serial-queue.js';
import { sha256Hex } from '../core/sha256.js';
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
  get(keys: string[]): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string[]): Promise<void>;
}

export const DEFAULT_CAPACITY: number = STORE_LIMITS.exchanges;
const SAME_EXCHANGE_MS = 30_000;
const KEYS = { exchanges: 'exchanges', dropped: 'dropped', notes: 'notes', rev: 'rev' } as const;

export interface StoreState {
  exchanges: StoredExchange[];
  dropped: number;
  notes: TabNote[];
}

/**
 * The same exchange from two sources has the same key: method, URL and response body (or its
 * absence). Each source has its own clock, so time is left out; the store tells two exchanges with
 * the same key apart by how far apart they happened.
 */
export function exchangeKey(exchange: CapturedExchange): string {
  return sha256Hex(`${exchange.method} ${exchange.url}\n${exchange.response.body ?? '(no body)'}`).slice(0, 24);
}

const RANK = { verified: 3, devtools: 2, imported: 1, 'page-reported': 0 } as const;

export class ExchangeStore {
  private readonly queue = new SerialQueue();
  private readonly changeListeners = new Set<() => void>();
  /** Each write carries a revision, so a storage change event can be told apart as this store's own. */
  private readonly instance = Math.random().toString(36).slice(2);
  private revision = 0;
  private readonly ownRevisions: string[] = [];

  constructor(
    private readonly area: StorageArea,
    readonly capacity = DEFAULT_CAPACITY,
  ) {}

  /** Whether a `rev` seen in a storage change event is one this store wrote. */
  isOwnRevision(rev: unknown): boolean {
    return typeof rev === 'string' && this.ownRevisions.includes(rev);
  }

  /** Called after every change this store makes (whichever source added the exchange). */
  onChange(listener: () => void): void {
    this.changeListeners.add(listener);
  }

  private write(items: Record<string, unknown>): Promise<void> {
    const rev = `${this.instance}-${++this.revision}`;
    this.ownRevisions.push(rev);
    if (this.ownRevisions.length > 50) this.ownRevisions.shift();
    return this.area.set({ ...items, [KEYS.rev]: rev });
  }

  /** One write at a time; listeners hear of every one, failed or not. */
  private serialize<T>(task: () => Promise<T>): Promise<T> {
    return this.queue.run(task).finally(() => {
      for (const listener of this.changeListeners) listener();
    });
  }

  /** What storage holds, as last read or written by this store; `forget` drops it. */
  private snapshot: StoreState | null = null;
  private tabIndex: { of: StoreState; byTab: Map<number, StoredExchange[]> } | null = null;

  /** Someone else wrote the store's keys: read storage again next time. */
  forget(): void {
    this.snapshot = null;
  }

  private remember(state: StoreState): void {
    this.snapshot = state;
  }

  /** The whole store. Do not change what it returns: it is the store's own snapshot. */
  async read(): Promise<StoreState> {
    if (this.snapshot) return this.snapshot;
    const items = await this.area.get([KEYS.exchanges, KEYS.dropped, KEYS.notes]);
    const state = {
      exchanges: Array.isArray(items[KEYS.exchanges]) ? (items[KEYS.exchanges] as StoredExchange[]) : [],
      dropped: typeof items[KEYS.dropped] === 'number' ? (items[KEYS.dropped] as number) : 0,
      notes: Array.isArray(items[KEYS.notes]) ? (items[KEYS.notes] as TabNote[]) : [],
    };
    this.remember(state);
    return state;
  }

  /** Every tab with stored exchanges, and its exchanges oldest first (the per-tab index). Do not change what it returns. */
  async tabs(): Promise<ReadonlyMap<number, readonly StoredExchange[]>> {
    const state = await this.read();
    if (this.tabIndex?.of === state) return this.tabIndex.byTab;
    const byTab = new Map<number, StoredExchange[]>();
    for (const stored of state.exchanges) {
      const list = byTab.get(stored.capture.tabId);
      if (list) list.push(stored);
      else byTab.set(stored.capture.tabId, [stored]);
    }
    this.tabIndex = { of: state, byTab };
    return byTab;
  }

  /** One tab's exchanges, oldest first. Do not change what it returns. */
  async tab(tabId: number | null): Promise<readonly StoredExchange[]> {
    return tabId === null ? [] : ((await this.tabs()).get(tabId) ?? []);
  }

  /** Write `state` (the store's keys), and keep it as the snapshot once written. */
  private async commit(state: StoreState, keys: Array<keyof StoreState>): Promise<void> {
    const items: Record<string, unknown> = {};
    for (const key of keys) items[KEYS[key]] = state[key];
    try {
      await this.write(items);
    } catch (error) {
      this.forget();
      throw error;
    }
    this.remember(state);
  }

  /**
   * Add an exchange; the same exchange seen by a second source (same key, same
   * tab) is stored once, with both sources and the stronger verification; a
   * capture resent by the page side (one of its capture ids, same tab) is not stored again.
   */
  add(stored: StoredExchange): Promise<{ added: boolean; dropped: number }> {
    return this.serialize(async () => {
      const state = await this.read();
      const ids = stored.captureIds ?? [];
      const resent =
        ids.length > 0 &&
        state.exchanges.some((e) => e.capture.tabId === stored.capture.tabId && e.captureIds?.some((id) => ids.includes(id)));
      if (resent) return { added: false, dropped: 0 };
      // Two sources report the same exchange within moments of each other. One source never reports an exchange twice,
      // so the same key again from the same source (two identical failures, the same error a minute later) is a new exchange.
      const at = Date.parse(stored.exchange.startedAt);
      const twinIndex = state.exchanges.findIndex(
        (e) =>
          e.key === stored.key &&
          e.capture.tabId === stored.capture.tabId &&
          Math.abs(Date.parse(e.exchange.startedAt) - at) <= SAME_EXCHANGE_MS &&
          !e.capture.seenBy.some((source) => stored.capture.seenBy.includes(source)),
      );
      const exchanges = [...state.exchanges];
      const twin = exchanges[twinIndex];
      if (twin) {
        exchanges[twinIndex] = merge(twin, stored);
        await this.commit({ ...state, exchanges }, ['exchanges']);
        return { added: false, dropped: 0 };
      }
      exchanges.push(stored);
      let dropped = Math.max(0, exchanges.length - this.capacity);
      exchanges.splice(0, dropped);
      // storage.session has a quota (10 MB in Chromium): past it, drop the oldest half and try again.
      for (;;) {
        try {
          await this.commit({ ...state, exchanges, dropped: state.dropped + dropped }, ['exchanges', 'dropped']);
          break;
        } catch (error) {
          if (exchanges.length <= 1) throw error;
          const half = Math.ceil(exchanges.length / 2);
          exchanges.splice(0, half);
          dropped += half;
        }
      }
      return { added: true, dropped };
    });
  }

  addNote(note: TabNote): Promise<void> {
    return this.serialize(async () => {
      const state = await this.read();
      await this.commit({ ...state, notes: [...state.notes, note].slice(-STORE_LIMITS.notes) }, ['notes']);
    });
  }

  /** Clear one tab's exchanges and notes, or everything (tabId null). Returns how many exchanges went. */
  clear(tabId: number | null): Promise<number> {
    return this.serialize(async () => {
      const state = await this.read();
      if (tabId === null) {
        await this.commit({ exchanges: [], notes: [], dropped: 0 }, ['exchanges', 'notes', 'dropped']);
        return state.exchanges.length;
      }
      const kept = state.exchanges.filter((e) => e.capture.tabId !== tabId);
      await this.commit({ ...state, exchanges: kept, notes: state.notes.filter((n) => n.tabId !== tabId) }, ['exchanges', 'notes']);
      return state.exchanges.length - kept.length;
    });
  }
}

/** The same exchange from a second source: both sources, the stronger verification, every capture id. A new object. */
function merge(twin: StoredExchange, stored: StoredExchange): StoredExchange {
  // What the network layer delivered (the Firefox filter) is the exchange of record, whoever reported first.
  const exchange = stored.capture.seenBy.includes('filter') && !twin.capture.seenBy.includes('filter') ? stored.exchange : twin.exchange;
  const verification =
    RANK[stored.capture.verification] > RANK[twin.capture.verification] ? stored.capture.verification : twin.capture.verification;
  const captureIds = [...new Set([...(twin.captureIds ?? []), ...(stored.captureIds ?? [])])];
  return {
    ...twin,
    exchange,
    capture: { ...twin.capture, seenBy: [...new Set([...twin.capture.seenBy, ...stored.capture.seenBy])], verification },
    ...(captureIds.length > 0 ? { captureIds } : {}),
  };
}
