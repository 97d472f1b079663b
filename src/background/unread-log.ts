/**
 * Token calls a tab's page side knew of but could not read (`page-unread`, protocol/unread.ts), per tab, in
 * `storage.session` beside the exchanges: where they went (origin and path), when, from which kind of context. No
 * body, no query, no header is ever here. Bounded (oldest dropped); a resend (same capture id, same tab) is kept once,
 * and a context seen again (the same service worker on every load) once, with its latest time. The answer comes
 * after the write, so the relay's resend queue loses nothing.
 */
import { STORE_LIMITS } from '../core/limits.js';
import { SerialQueue } from '../core/serial-queue.js';
import type { UnreadToken } from '../protocol/unread.js';
import type { StorageArea } from './store.js';

export const UNREAD_KEY = 'unreadTokens';

interface StoredUnread {
  tabId: number;
  captureId: string | null;
  unread: UnreadToken;
}

const sameContext = (a: UnreadToken, b: UnreadToken) =>
  a.kind === 'context' && b.kind === 'context' && a.context === b.context && a.where === b.where;

export class UnreadLog {
  private readonly queue = new SerialQueue();

  constructor(
    private readonly area: StorageArea,
    readonly capacity: number = STORE_LIMITS.unread,
  ) {}

  private async all(): Promise<StoredUnread[]> {
    const items = await this.area.get([UNREAD_KEY]);
    const kept = items[UNREAD_KEY];
    return Array.isArray(kept) ? (kept as StoredUnread[]) : [];
  }

  /** Keep a checked report for a tab; false when it is a resend, or a context already kept for the tab. */
  add(tabId: number, unread: UnreadToken, captureId: string | null): Promise<boolean> {
    return this.queue.run(async () => {
      const kept = await this.all();
      if (captureId !== null && kept.some((k) => k.tabId === tabId && k.captureId === captureId)) return false;
      const known = kept.findIndex((k) => k.tabId === tabId && sameContext(k.unread, unread));
      const next = known >= 0 ? kept.filter((_, index) => index !== known) : kept;
      next.push({ tabId, captureId, unread });
      await this.area.set({ [UNREAD_KEY]: next.slice(-this.capacity) });
      return known < 0;
    });
  }

  /** One tab's reports, oldest first. */
  async tab(tabId: number | null): Promise<UnreadToken[]> {
    if (tabId === null) return [];
    return (await this.all()).filter((k) => k.tabId === tabId).map((k) => k.unread);
  }

  /** Forget one tab's reports, or all (tabId null). */
  clear(tabId: number | null): Promise<void> {
    return this.queue.run(async () => {
      const kept = tabId === null ? [] : (await this.all()).filter((k) => k.tabId !== tabId);
      await this.area.set({ [UNREAD_KEY]: kept });
    });
  }
}
