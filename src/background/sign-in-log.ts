/**
 * The front-channel steps pages reported (`page-sign-in-step`), per tab, in `storage.session` beside the
 * exchanges: raw URLs (a code, a state) stay in session storage only, as exchanges hold tokens there; the
 * core fingerprints them in every report. Laid out like the exchange store (store-layout.ts): one key per tab
 * (`signInSteps:<tabId>`), so a step rewrites its own tab's steps only and a view reads one key. Bounded per tab
 * (its oldest dropped) and in tabs (the tab whose last step is oldest, by a sequence number every step carries); a step resent by the relay (same capture id,
 * same tab) is stored once, and the answer comes after the write, so the relay's resend queue loses nothing.
 * A whole-log `signInSteps` array (the layout before this one) is read as it is and split per tab at the next add.
 */
import { STORE_LIMITS } from '../core/limits.js';
import { SerialQueue } from '../core/serial-queue.js';
import type { SignInStep } from '../core/sign-in/types.js';
import type { StorageArea } from './store-layout.js';

/** The key of the log before it was split per tab. */
export const SIGN_IN_STEPS_KEY = 'signInSteps';
const tabKey = (tabId: number) => `${SIGN_IN_STEPS_KEY}:${tabId}`;

export interface StoredSignInStep {
  tabId: number;
  captureId: string | null;
  step: SignInStep;
  /** Order across tabs (the oldest is dropped first); absent on a step from the old layout. */
  n?: number;
}

const stepsIn = (value: unknown): StoredSignInStep[] => (Array.isArray(value) ? (value as StoredSignInStep[]) : []);

export class SignInLog {
  private readonly queue = new SerialQueue();

  constructor(
    private readonly area: StorageArea,
    /** Steps kept per tab: another tab's steps, however many, never push out this tab's. */
    readonly capacity: number = STORE_LIMITS.signInSteps,
    /** Tabs kept: past them, the tab whose last step is oldest goes whole. */
    readonly tabs: number = STORE_LIMITS.signInTabs,
  ) {}

  /** Whether a storage change event touches the log. */
  touches(changes: Record<string, unknown>): boolean {
    return Object.keys(changes).some((key) => key === SIGN_IN_STEPS_KEY || key.startsWith(`${SIGN_IN_STEPS_KEY}:`));
  }

  /** Every tab's steps, oldest first in each, the old layout's split in; and every key the log has in storage. */
  private async all(): Promise<{ byTab: Map<number, StoredSignInStep[]>; keys: string[] }> {
    const items = await this.area.get(null);
    const keys = Object.keys(items).filter((key) => this.touches({ [key]: true }));
    const steps = keys.filter((key) => key !== SIGN_IN_STEPS_KEY).flatMap((key) => stepsIn(items[key]));
    let next = Math.max(-1, ...steps.map((s) => s.n ?? -1)) + 1;
    for (const old of stepsIn(items[SIGN_IN_STEPS_KEY])) steps.push({ ...old, n: next++ });
    steps.sort((a, b) => (a.n ?? 0) - (b.n ?? 0));
    const byTab = new Map<number, StoredSignInStep[]>();
    for (const s of steps) byTab.set(s.tabId, [...(byTab.get(s.tabId) ?? []), s]);
    return { byTab, keys };
  }

  /** Keep a checked step for a tab; false when it is a resend of one already kept. */
  add(tabId: number, step: SignInStep, captureId: string | null): Promise<boolean> {
    return this.queue.run(async () => {
      const { byTab, keys } = await this.all();
      const mine = byTab.get(tabId) ?? [];
      if (captureId !== null && mine.some((s) => s.captureId === captureId)) return false;
      const every = [...byTab.values()].flat();
      const n = Math.max(-1, ...every.map((s) => s.n ?? -1)) + 1;
      byTab.set(tabId, [...mine, { tabId, captureId, step, n }]);
      const changed = new Set([tabId]);
      // Past the capacity, this tab's oldest steps go: one tab (a page reporting steps in a loop) never erases another's.
      byTab.set(tabId, (byTab.get(tabId) ?? []).slice(-this.capacity));
      // Past the tab bound, the tab whose last step is oldest goes whole.
      const lastStep = (steps: StoredSignInStep[]) => steps[steps.length - 1]?.n ?? -1;
      const byAge = [...byTab.entries()].filter(([, steps]) => steps.length > 0).sort((a, b) => lastStep(a[1]) - lastStep(b[1]));
      for (const [old] of byAge.slice(0, Math.max(0, byAge.length - this.tabs))) {
        byTab.set(old, []);
        changed.add(old);
      }
      const legacy = keys.includes(SIGN_IN_STEPS_KEY);
      const items = Object.fromEntries([...(legacy ? byTab.keys() : changed)].map((id) => [tabKey(id), byTab.get(id) ?? []]));
      await this.area.set(items);
      const emptied = Object.keys(items).filter((key) => (items[key] ?? []).length === 0);
      if (legacy || emptied.length > 0) await this.area.remove([...emptied, ...(legacy ? [SIGN_IN_STEPS_KEY] : [])]).catch(() => undefined);
      return true;
    });
  }

  /** One tab's steps, oldest first. */
  async tab(tabId: number | null): Promise<SignInStep[]> {
    if (tabId === null) return [];
    const items = await this.area.get([tabKey(tabId), SIGN_IN_STEPS_KEY]);
    const old = stepsIn(items[SIGN_IN_STEPS_KEY]).filter((s) => s.tabId === tabId);
    return [...old, ...stepsIn(items[tabKey(tabId)])].map((s) => s.step);
  }

  /** Forget one tab's steps, or every step (tabId null). */
  clear(tabId: number | null): Promise<void> {
    return this.queue.run(async () => {
      if (tabId !== null) {
        const items = await this.area.get([SIGN_IN_STEPS_KEY]);
        const old = stepsIn(items[SIGN_IN_STEPS_KEY]);
        await this.area.remove([tabKey(tabId)]);
        if (old.some((s) => s.tabId === tabId)) await this.area.set({ [SIGN_IN_STEPS_KEY]: old.filter((s) => s.tabId !== tabId) });
        return;
      }
      await this.area.remove((await this.all()).keys);
    });
  }
}
