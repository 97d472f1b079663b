/**
 * Which stored exchanges make room for new ones. The cap is per tab (a busy watched tab lets go of its own oldest, never
 * another tab's), with a safety bound over the whole store (tabs x per tab) and the session storage quota: past those,
 * the least recently active tab (the one whose newest exchange is oldest) lets go of its oldest first.
 */
import type { StoredExchange } from './store-layout.js';

/** Exchanges let go, oldest first, as [sequence number, exchange]. */
export type LetGo = Array<[number, StoredExchange]>;

/** Take `tabId`'s oldest out of `records` (in place) until it holds at most `perTab`. */
export function trimTab(records: Map<number, StoredExchange>, tabId: number, perTab: number): LetGo {
  const mine = [...records].filter(([, stored]) => stored.capture.tabId === tabId);
  const gone = mine.slice(0, Math.max(0, mine.length - perTab));
  for (const [n] of gone) records.delete(n);
  return gone;
}

/** Take `count` exchanges out of `records` (in place), each the oldest of the least recently active tab. */
export function trimLeastActive(records: Map<number, StoredExchange>, count: number): LetGo {
  const byTab = new Map<number, number[]>();
  for (const [n, stored] of records) {
    const list = byTab.get(stored.capture.tabId);
    if (list) list.push(n);
    else byTab.set(stored.capture.tabId, [n]);
  }
  // Tabs by their newest exchange, least recently active first; a tab is emptied before the next one is touched.
  const tabs = [...byTab.values()].sort((a, b) => (a.at(-1) as number) - (b.at(-1) as number));
  const gone: LetGo = [];
  for (const list of tabs)
    for (const n of list) {
      if (gone.length >= count) break;
      gone.push([n, records.get(n) as StoredExchange]);
      records.delete(n);
    }
  return gone;
}

/** Every tab at most `perTab`, then the whole store at most `total`: what the store lets go to take `records` in. */
export function trimAll(records: Map<number, StoredExchange>, perTab: number, total: number): LetGo {
  const tabIds = new Set([...records.values()].map((stored) => stored.capture.tabId));
  const gone = [...tabIds].flatMap((tabId) => trimTab(records, tabId, perTab));
  gone.push(...trimLeastActive(records, records.size - total));
  return gone.sort(([a], [b]) => a - b);
}

/** How many exchanges of each tab were let go, counted on from `before`. */
export function countLetGo(before: ReadonlyMap<number, number>, gone: LetGo): Map<number, number> {
  const counts = new Map(before);
  for (const [, stored] of gone) counts.set(stored.capture.tabId, (counts.get(stored.capture.tabId) ?? 0) + 1);
  return counts;
}
