/**
 * The exchange store: `storage.session` only (in memory, gone with the browser
 * session, never on disk), bounded, oldest dropped with a count. It must live
 * in storage, not in module variables: MV3 stops an idle worker after ~30 s.
 *
 * Writes are serialized through one queue so two messages arriving together
 * cannot overwrite each other's exchange. The dedupe key is made here too, beside the merge that applies it.
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

  async read(): Promise<StoreState> {
    const items = await this.area.get([KEYS.exchanges, KEYS.dropped, KEYS.notes]);
    return {
      exchanges: Array.isArray(items[KEYS.exchanges]) ? (items[KEYS.exchanges] as StoredExchange[]) : [],
      dropped: typeof items[KEYS.dropped] === 'number' ? (items[KEYS.dropped] as number) : 0,
      notes: Array.isArray(items[KEYS.notes]) ? (items[KEYS.notes] as TabNote[]) : [],
    };
  }

  /**
   * Add an exchange; the same exchange seen by a second source (same key, same
   * tab) is stored once, with both sources and the stronger verification.
   */
  add(stored: StoredExchange): Promise<{ added: boolean; dropped: number }> {
    return this.serialize(async () => {
      const state = await this.read();
      // Two sources report the same exchange within moments of each other. One source never reports an exchange twice,
      // so the same key again from the same source (two identical failures, the same error a minute later) is a new exchange.
      const at = Date.parse(stored.exchange.startedAt);
      const twin = state.exchanges.find(
        (e) =>
          e.key === stored.key &&
          e.capture.tabId === stored.capture.tabId &&
          Math.abs(Date.parse(e.exchange.startedAt) - at) <= SAME_EXCHANGE_MS &&
          !e.capture.seenBy.some((source) => stored.capture.seenBy.includes(source)),
      );
      if (twin) {
        // What the network layer delivered (the Firefox filter) is the exchange of record, whoever reported first.
        if (stored.capture.seenBy.includes('filter') && !twin.capture.seenBy.includes('filter')) twin.exchange = stored.exchange;
        twin.capture.seenBy = [...new Set([...twin.capture.seenBy, ...stored.capture.seenBy])];
        if (RANK[stored.capture.verification] > RANK[twin.capture.verification]) twin.capture.verification = stored.capture.verification;
        await this.write({ [KEYS.exchanges]: state.exchanges });
        return { added: false, dropped: 0 };
      }
      state.exchanges.push(stored);
      let dropped = Math.max(0, state.exchanges.length - this.capacity);
      state.exchanges.splice(0, dropped);
      // storage.session has a quota (10 MB in Chromium): past it, drop the oldest half and try again.
      for (;;) {
        try {
          await this.write({ [KEYS.exchanges]: state.exchanges, [KEYS.dropped]: state.dropped + dropped });
          break;
        } catch (error) {
          if (state.exchanges.length <= 1) throw error;
          const half = Math.ceil(state.exchanges.length / 2);
          state.exchanges.splice(0, half);
          dropped += half;
        }
      }
      return { added: true, dropped };
    });
  }

  addNote(note: TabNote): Promise<void> {
    return this.serialize(async () => {
      const { notes } = await this.read();
      notes.push(note);
      await this.write({ [KEYS.notes]: notes.slice(-STORE_LIMITS.notes) });
    });
  }

  /** Clear one tab's exchanges and notes, or everything (tabId null). Returns how many exchanges went. */
  clear(tabId: number | null): Promise<number> {
    return this.serialize(async () => {
      const state = await this.read();
      if (tabId === null) {
        await this.write({ [KEYS.exchanges]: [], [KEYS.notes]: [], [KEYS.dropped]: 0 });
        return state.exchanges.length;
      }
      const kept = state.exchanges.filter((e) => e.capture.tabId !== tabId);
      await this.write({ [KEYS.exchanges]: kept, [KEYS.notes]: state.notes.filter((n) => n.tabId !== tabId) });
      return state.exchanges.length - kept.length;
    });
  }
}
