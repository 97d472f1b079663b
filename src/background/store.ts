/**
 * The exchange store: `storage.session` only (in memory, gone with the browser
 * session, never on disk), bounded per tab (store-eviction.ts: a busy tab lets go of its own oldest, never another
 * tab's), each tab's let-go exchanges counted for its view. It must live
 * in storage, not in module variables: MV3 stops an idle worker after ~30 s.
 *
 * One key per exchange and one index per tab (store-layout.ts): a capture writes its own exchange and its tab's
 * index, whatever else is stored. Writes are serialized through one queue so two messages arriving together
 * cannot overwrite each other's index. The dedupe key is made here too, beside the merge that applies it.
 *
 * The worker keeps what it last read or wrote in memory (a mirror never changed in place) with a per-tab
 * index, so a view or a badge reads one tab without a storage round trip. The worker is the only writer of these
 * keys: it does not listen to storage changes (each write's change event, old and new values, would cross to the
 * worker again: ~5 % of a token request's time on a watched page in the page-overhead benchmark). A writer from
 * outside (the browser tests seeding a full store) restarts the worker after writing, which reads storage anew.
 *
 * Group commit (store-batch.ts): the changes of the tasks that run close together go to storage in one write, and
 * each task is answered only once that write is done.
 */
import { STORE_EXCHANGE_TABS, STORE_LIMITS } from '../core/limits.js';
import { SerialQueue } from '../core/serial-queue.js';
import { sha256Hex } from '../core/sha256.js';
import type { CapturedExchange } from '../core/types.js';
import type { CaptureEvidence } from '../protocol/page-exchange.js';
import type { TabNote } from '../protocol/view-state.js';
import { GroupCommit } from './store-batch.js';
import { countLetGo, type LetGo, trimAll, trimLeastActive, trimTab } from './store-eviction.js';
import {
  droppedByTabItem,
  exchangeKeyOf,
  indexItems,
  mirrorOf,
  STORE_KEYS,
  type StorageArea,
  type StoredExchange,
  type StoreMirror,
  tabsOf,
} from './store-layout.js';

export type { StorageArea, StoredExchange } from './store-layout.js';
export { WRITE_BATCH_MS } from './store-batch.js';

/** Exchanges kept per tab. */
export const DEFAULT_CAPACITY: number = STORE_LIMITS.exchanges;
const SAME_EXCHANGE_MS = 30_000;
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
  /** What storage holds, as last read or written by this store; `forget` drops it. */
  private mirror: StoreMirror | null = null;
  /** The mirror as the readers see it, made once per mirror. */
  private shown: { of: StoreMirror; state: StoreState; byTab: Map<number, StoredExchange[]> } | null = null;

  /**
   * `capacity`: exchanges kept per tab; `tabLimit`: how many tabs' worth the whole store holds at most (the least recently
   * active tab's oldest go first past it).
   */
  constructor(
    private readonly area: StorageArea,
    readonly capacity = DEFAULT_CAPACITY,
    readonly tabLimit: number = STORE_EXCHANGE_TABS,
    /** Group commit's wait (`WRITE_BATCH_MS` in the worker); 0 still joins the tasks queued together. */
    batchMs = 0,
  ) {
    this.commit = new GroupCommit(area, batchMs, () => this.forget());
  }

  /** The writes of the tasks, grouped (store-batch.ts). */
  private readonly commit: GroupCommit;

  /** The bound over the whole store. */
  get total(): number {
    return this.capacity * this.tabLimit;
  }

  /** The items that record `gone` as let go, counted per tab and over the store. */
  private static letGoItems(mirror: StoreMirror, gone: LetGo): { items: Record<string, unknown>; droppedByTab: Map<number, number> } {
    const droppedByTab = countLetGo(mirror.droppedByTab, gone);
    return {
      items: { [STORE_KEYS.dropped]: mirror.dropped + gone.length, [STORE_KEYS.droppedByTab]: droppedByTabItem(droppedByTab) },
      droppedByTab,
    };
  }

  /** Called after every change this store makes (whichever source added the exchange). */
  onChange(listener: () => void): void {
    this.changeListeners.add(listener);
  }

  /**
   * One task at a time over the mirror; its writes join the open batch (group commit) and it resolves once they are
   * stored. Listeners hear of every task, failed or not.
   */
  private serialize<T>(task: () => Promise<T>, direct = false): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      void this.queue.run(async () => {
        this.commit.begin(direct);
        let result: T;
        try {
          if (!this.mirror) await this.commit.flushed; // A load reads what the batches before it wrote.
          result = await task();
        } catch (error) {
          this.forget(); // What storage holds after a failed write is not known here: read it again.
          this.notify();
          reject(error);
          return;
        } finally {
          this.commit.end();
        }
        const joined = this.commit.joined({
          settle: () => {
            this.notify();
            resolve(result);
          },
          rerun: () => this.serialize(task, true).then(resolve, reject),
        });
        if (!joined) {
          this.notify();
          resolve(result);
        }
      });
    });
  }

  private notify(): void {
    for (const listener of this.changeListeners) listener();
  }

  /** Read storage again next time (after a failed write, whose outcome is not known here). */
  forget(): void {
    this.mirror = null;
    this.commit.invalidate();
  }

  /** The mirror, read from storage when there is none; a legacy array and left-over keys are tidied then. In the queue only. */
  private async load(): Promise<StoreMirror> {
    if (this.mirror) return this.mirror;
    // A read may load: its tidying is written at once, not in a batch a read would not wait for.
    return this.commit.direct(() => this.loadNow());
  }

  private async loadNow(): Promise<StoreMirror> {
    const { mirror, leftOver, legacy } = mirrorOf(await this.area.get(null));
    let loaded = mirror;
    if (legacy.length > 0) {
      const records = new Map(mirror.records);
      const gone = trimAll(records, this.capacity, this.total);
      const added = [...records].filter(([, stored]) => legacy.includes(stored));
      const items: Record<string, unknown> = Object.fromEntries(added.map(([n, stored]) => [exchangeKeyOf(n), stored]));
      Object.assign(
        items,
        indexItems(
          records,
          [...added, ...gone].map(([, stored]) => stored.capture.tabId),
        ),
      );
      const counted = ExchangeStore.letGoItems(mirror, gone);
      await this.commit.set({ ...items, ...counted.items });
      loaded = { ...mirror, records, byTab: tabsOf(records), dropped: mirror.dropped + gone.length, droppedByTab: counted.droppedByTab };
      leftOver.push(...gone.filter(([n]) => n < mirror.next - legacy.length).map(([n]) => exchangeKeyOf(n)));
    }
    this.mirror = loaded;
    await this.commit.remove(leftOver);
    return loaded;
  }

  private view(mirror: StoreMirror): { state: StoreState; byTab: Map<number, StoredExchange[]> } {
    if (this.shown?.of === mirror) return this.shown;
    const byTab = new Map<number, StoredExchange[]>();
    for (const [tabId, list] of mirror.byTab)
      byTab.set(
        tabId,
        list.map((n) => mirror.records.get(n) as StoredExchange),
      );
    const state = { exchanges: [...mirror.records.values()], dropped: mirror.dropped, notes: mirror.notes };
    this.shown = { of: mirror, state, byTab };
    return this.shown;
  }

  private async current(): Promise<StoreMirror> {
    return this.mirror ?? (await this.queue.run(() => this.load()));
  }

  /** The whole store, oldest first. Do not change what it returns: it is the store's own snapshot. */
  async read(): Promise<StoreState> {
    return this.view(await this.current()).state;
  }

  /** Every tab with stored exchanges, and its exchanges oldest first (the per-tab index). Do not change what it returns. */
  async tabs(): Promise<ReadonlyMap<number, readonly StoredExchange[]>> {
    return this.view(await this.current()).byTab;
  }

  /** One tab's exchanges, oldest first. Do not change what it returns. */
  async tab(tabId: number | null): Promise<readonly StoredExchange[]> {
    return tabId === null ? [] : ((await this.tabs()).get(tabId) ?? []);
  }

  /**
   * Add an exchange; the same exchange seen by a second source (same key, same
   * tab) is stored once, with both sources and the stronger verification; a
   * capture resent by the page side (one of its capture ids, same tab) is not stored again.
   * `evidence`: the relay's Resource Timing evidence for captures of the same tab it sent before (see `verify`), applied
   * in the same write. Resolves once the exchange (or the merge) and the upgrades are in storage.
   */
  add(stored: StoredExchange, evidence: readonly CaptureEvidence[] = []): Promise<{ added: boolean; dropped: number }> {
    return this.serialize(async () => {
      let mirror = await this.load();
      const upgraded = upgrades(mirror, stored.capture.tabId, evidence);
      const upgradeItems = Object.fromEntries([...upgraded].map(([n, e]) => [exchangeKeyOf(n), e]));
      if (upgraded.size > 0) mirror = { ...mirror, records: new Map([...mirror.records, ...upgraded]) };
      const mine = (mirror.byTab.get(stored.capture.tabId) ?? []).map((n) => [n, mirror.records.get(n) as StoredExchange] as const);
      const ids = stored.captureIds ?? [];
      if (ids.length > 0 && mine.some(([, e]) => e.captureIds?.some((id) => ids.includes(id)))) {
        if (upgraded.size > 0) {
          await this.commit.set(upgradeItems);
          this.mirror = mirror;
        }
        return { added: false, dropped: 0 };
      }
      // Two sources report the same exchange within moments of each other. One source never reports an exchange twice,
      // so the same key again from the same source (two identical failures, the same error a minute later) is a new exchange.
      const at = Date.parse(stored.exchange.startedAt);
      const twin = mine.find(
        ([, e]) =>
          e.key === stored.key &&
          Math.abs(Date.parse(e.exchange.startedAt) - at) <= SAME_EXCHANGE_MS &&
          !e.capture.seenBy.some((source) => stored.capture.seenBy.includes(source)),
      );
      if (twin) {
        const [n, kept] = twin;
        const merged = merge(kept, stored);
        await this.commit.set({ ...upgradeItems, [exchangeKeyOf(n)]: merged });
        this.mirror = { ...mirror, records: new Map(mirror.records).set(n, merged) };
        return { added: false, dropped: 0 };
      }
      return this.append(mirror, stored, upgradeItems);
    });
  }

  /**
   * A new exchange under the next sequence number; its tab's oldest let go past the per-tab capacity, the least
   * recently active tab's oldest past the store's bound or the storage quota.
   */
  private async append(
    mirror: StoreMirror,
    stored: StoredExchange,
    alongside: Record<string, StoredExchange> = {},
  ): Promise<{ added: true; dropped: number }> {
    const n = mirror.next;
    const records = new Map(mirror.records).set(n, stored);
    const gone = trimTab(records, stored.capture.tabId, this.capacity);
    gone.push(...trimLeastActive(records, records.size - this.total));
    // storage.session has a quota (10 MB in Chromium): past it, let half go (freeing their keys) and try again.
    for (;;) {
      try {
        // Upgraded exchanges dropped meanwhile (past the capacity or the quota) are not written back.
        const kept = Object.fromEntries(Object.entries(alongside).filter(([key]) => !gone.some(([k]) => exchangeKeyOf(k) === key)));
        const items = {
          ...kept,
          [exchangeKeyOf(n)]: stored,
          ...indexItems(
            records,
            [stored, ...gone.map(([, e]) => e)].map((e) => e.capture.tabId),
          ),
        };
        await this.commit.set(gone.length > 0 ? { ...items, ...ExchangeStore.letGoItems(mirror, gone).items } : items);
        break;
      } catch (error) {
        if (records.size <= 1) throw error;
        gone.push(...trimLeastActive(records, Math.ceil(records.size / 2)));
        await this.commit.remove(gone.map(([k]) => exchangeKeyOf(k)));
      }
    }
    this.mirror = {
      records,
      byTab: tabsOf(records),
      dropped: mirror.dropped + gone.length,
      droppedByTab: countLetGo(mirror.droppedByTab, gone),
      notes: mirror.notes,
      next: n + 1,
    };
    await this.commit.remove(gone.map(([k]) => exchangeKeyOf(k)));
    return { added: true, dropped: gone.length };
  }

  /** How many exchanges of this tab the store let go (its cap, the store's bound, the quota) since it was last cleared. */
  async droppedIn(tabId: number | null): Promise<number> {
    return tabId === null ? 0 : ((await this.current()).droppedByTab.get(tabId) ?? 0);
  }

  /**
   * The relay's later evidence for captures (`page-evidence`, or carried by a later capture): each exchange stored in
   * `tabId` under one of the capture ids, with that URL and start, becomes `verified` when it was less; all of them in
   * one write. Anything else (an unknown or another tab's id, another request) changes nothing. Resolves to how many
   * were upgraded.
   */
  verify(tabId: number, evidence: readonly CaptureEvidence[]): Promise<number> {
    return this.serialize(async () => {
      const mirror = await this.load();
      const upgraded = upgrades(mirror, tabId, evidence);
      if (upgraded.size === 0) return 0;
      await this.commit.set(Object.fromEntries([...upgraded].map(([n, e]) => [exchangeKeyOf(n), e])));
      this.mirror = { ...mirror, records: new Map([...mirror.records, ...upgraded]) };
      return upgraded.size;
    });
  }

  addNote(note: TabNote): Promise<void> {
    return this.serialize(async () => {
      const mirror = await this.load();
      const notes = [...mirror.notes, note].slice(-STORE_LIMITS.notes);
      await this.commit.set({ [STORE_KEYS.notes]: notes });
      this.mirror = { ...mirror, notes };
    });
  }

  /** Clear one tab's exchanges and notes, or everything (tabId null). Returns how many exchanges went. */
  clear(tabId: number | null): Promise<number> {
    return this.serialize(async () => {
      const mirror = await this.load();
      const records = new Map(mirror.records);
      const gone = [...records].filter(([, e]) => tabId === null || e.capture.tabId === tabId);
      for (const [n] of gone) records.delete(n);
      const notes = tabId === null ? [] : mirror.notes.filter((note) => note.tabId !== tabId);
      // The emptied indexes first, in one write: from then on, storage holds none of the cleared exchanges.
      const items: Record<string, unknown> = {
        ...indexItems(records, tabId === null ? mirror.byTab.keys() : [tabId]),
        [STORE_KEYS.notes]: notes,
      };
      const droppedByTab = new Map(tabId === null ? [] : mirror.droppedByTab);
      if (tabId !== null) droppedByTab.delete(tabId);
      items[STORE_KEYS.droppedByTab] = droppedByTabItem(droppedByTab);
      if (tabId === null) items[STORE_KEYS.dropped] = 0;
      await this.commit.set(items);
      this.mirror = { ...mirror, records, byTab: tabsOf(records), notes, dropped: tabId === null ? 0 : mirror.dropped, droppedByTab };
      await this.commit.remove([...gone.map(([n]) => exchangeKeyOf(n)), ...Object.keys(items).filter((key) => key.startsWith('tab:'))]);
      return gone.length;
    });
  }
}

/**
 * The exchanges of `tabId` that the relay's evidence upgrades to `verified`: each named by one of its capture ids, with
 * the evidence's URL and start exactly, and less than verified now. New objects, by sequence number.
 */
function upgrades(mirror: StoreMirror, tabId: number, evidence: readonly CaptureEvidence[]): Map<number, StoredExchange> {
  const upgraded = new Map<number, StoredExchange>();
  if (evidence.length === 0) return upgraded;
  const byId = new Map(evidence.map((e) => [e.captureId, e]));
  for (const n of mirror.byTab.get(tabId) ?? []) {
    const kept = mirror.records.get(n) as StoredExchange;
    const found = kept.captureIds?.map((id) => byId.get(id)).find((e) => e !== undefined);
    if (!found || kept.exchange.url !== found.url || Date.parse(kept.exchange.startedAt) !== found.startedAt) continue;
    if (RANK[kept.capture.verification] >= RANK.verified) continue;
    upgraded.set(n, { ...kept, capture: { ...kept.capture, verification: 'verified' } });
  }
  return upgraded;
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
