/**
 * The front-channel steps pages reported (`page-sign-in-step`), per tab, in `storage.session` beside the
 * exchanges: raw URLs (a code, a state) stay in session storage only, as exchanges hold tokens there; the
 * core fingerprints them in every report. Bounded (oldest dropped); a step resent by the relay (same capture
 * id, same tab) is stored once, and the answer comes after the write, so the relay's resend queue loses nothing.
 */
import { STORE_LIMITS } from '../core/limits.js';
import { SerialQueue } from '../core/serial-queue.js';
import type { SignInStep } from '../core/sign-in/types.js';
import type { StorageArea } from './store.js';

export const SIGN_IN_STEPS_KEY = 'signInSteps';

export interface StoredSignInStep {
  tabId: number;
  captureId: string | null;
  step: SignInStep;
}

export class SignInLog {
  private readonly queue = new SerialQueue();

  constructor(
    private readonly area: StorageArea,
    readonly capacity: number = STORE_LIMITS.signInSteps,
  ) {}

  private async all(): Promise<StoredSignInStep[]> {
    const items = await this.area.get([SIGN_IN_STEPS_KEY]);
    const steps = items[SIGN_IN_STEPS_KEY];
    return Array.isArray(steps) ? (steps as StoredSignInStep[]) : [];
  }

  /** Keep a checked step for a tab; false when it is a resend of one already kept. */
  add(tabId: number, step: SignInStep, captureId: string | null): Promise<boolean> {
    return this.queue.run(async () => {
      const steps = await this.all();
      if (captureId !== null && steps.some((s) => s.tabId === tabId && s.captureId === captureId)) return false;
      steps.push({ tabId, captureId, step });
      await this.area.set({ [SIGN_IN_STEPS_KEY]: steps.slice(-this.capacity) });
      return true;
    });
  }

  /** One tab's steps, oldest first. */
  async tab(tabId: number | null): Promise<SignInStep[]> {
    if (tabId === null) return [];
    return (await this.all()).filter((s) => s.tabId === tabId).map((s) => s.step);
  }

  /** Forget one tab's steps, or every step (tabId null). */
  clear(tabId: number | null): Promise<void> {
    return this.queue.run(async () => {
      const kept = tabId === null ? [] : (await this.all()).filter((s) => s.tabId !== tabId);
      await this.area.set({ [SIGN_IN_STEPS_KEY]: kept });
    });
  }
}
