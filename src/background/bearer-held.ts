/**
 * Bearer uses whose token is not stored yet, held per tab until its exchange lands. A page calls its API in the same
 * task as the grant's answer arrives (MSAL's `/me`, the Globus SDK's Transfer call after `refreshTokens()`); the use
 * then reaches the worker before the exchange that issued the token, and the page reports each token once per host:
 * dropped, it was never seen again. Held in `storage.session` (a worker stopped in between keeps them), bounded: the
 * newest `PER_TAB` per tab, `TABS` tabs (the oldest tab's go first). A held use that never matches (a token the page
 * got elsewhere) just waits there until it is pushed out.
 */
import { SerialQueue } from '../core/serial-queue.js';
import type { BearerUse } from '../core/types.js';
import type { StorageArea } from './store.js';

export const HELD_PER_TAB = 100;
const TABS = 50;

type Held = Record<string, BearerUse[]>;

/**
 * The same token, URL and method; a resource server's nonce challenge and the retry with its nonce (RFC 9449 s9) are
 * uses of their own beside the first call, so the report can join them.
 */
const sameUse = (a: BearerUse, b: BearerUse) =>
  a.fingerprint === b.fingerprint &&
  a.url === b.url &&
  a.method === b.method &&
  a.challenge === b.challenge &&
  (a.proof?.nonce === true) === (b.proof?.nonce === true);

/**
 * Bearer uses kept per tab under one `storage.session` key: the held ones (`bearerHeld`, 100 a tab) and, with the same
 * bounds per tab, the recorded ones (`bearerUses`, bearer.ts): one tab's uses never push out another's.
 */
export class TabUses {
  private readonly queue = new SerialQueue();
  /** What storage holds, as last read or written here (this is the only writer of its key). */
  private mirror: Held | null = null;

  constructor(
    private readonly area: StorageArea,
    private readonly key = 'bearerHeld',
    private readonly perTab = HELD_PER_TAB,
  ) {}

  private async load(): Promise<Held> {
    if (this.mirror) return this.mirror;
    const value = (await this.area.get([this.key]))[this.key];
    // An older build kept one list across tabs: not read (storage.session ends with the browser session anyway).
    this.mirror = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Held) : {};
    return this.mirror;
  }

  private async save(held: Held): Promise<void> {
    await this.area.set({ [this.key]: held });
    this.mirror = held;
  }

  /** Keep uses for `tabId` (each once: the same token, URL and method again is not kept twice). Resolves to how many this tab pushed out. */
  add(tabId: number, uses: readonly BearerUse[]): Promise<number> {
    return this.queue.run(async () => {
      const held = { ...(await this.load()) };
      const key = String(tabId);
      const mine = held[key] ?? [];
      const fresh = uses.filter((use, i) => !mine.some((u) => sameUse(u, use)) && uses.findIndex((u) => sameUse(u, use)) === i);
      if (fresh.length === 0) return 0;
      delete held[key]; // Re-added last: the tabs' order is their last use's.
      const all = [...mine, ...fresh];
      held[key] = all.slice(-this.perTab);
      const tabs = Object.keys(held);
      for (const gone of tabs.slice(0, Math.max(0, tabs.length - TABS))) delete held[gone];
      await this.save(held);
      return all.length - (held[key]?.length ?? 0);
    });
  }

  /** Hold a use for `tabId` (once). */
  async hold(tabId: number, use: BearerUse): Promise<void> {
    await this.add(tabId, [use]);
  }

  /** Every tab's uses. */
  async all(): Promise<BearerUse[]> {
    const held = await this.queue.run(() => this.load());
    return Object.values(held).flat();
  }

  /** Whether anything is held (cheap once loaded: a capture asks after every store). */
  async any(): Promise<boolean> {
    const held = await this.queue.run(() => this.load());
    return Object.keys(held).length > 0;
  }

  /** Take out every held use whose token is in `fingerprints` (any tab: a use seen in any tab counts for all), with its tab. */
  take(fingerprints: ReadonlySet<string>): Promise<{ tabId: number; use: BearerUse }[]> {
    return this.queue.run(async () => {
      const held = await this.load();
      const taken: { tabId: number; use: BearerUse }[] = [];
      const kept: Held = {};
      for (const [tab, uses] of Object.entries(held)) {
        const left: BearerUse[] = [];
        for (const use of uses) {
          if (fingerprints.has(use.fingerprint)) taken.push({ tabId: Number(tab), use });
          else left.push(use);
        }
        if (left.length > 0) kept[tab] = left;
      }
      if (taken.length > 0) await this.save(kept);
      return taken;
    });
  }

  /** Drop one tab's held uses, or all (null). */
  clear(tabId: number | null): Promise<void> {
    return this.queue.run(async () => {
      const held = { ...(await this.load()) };
      if (tabId === null) for (const tab of Object.keys(held)) delete held[tab];
      else delete held[String(tabId)];
      await this.save(held);
    });
  }
}
