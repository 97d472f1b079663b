/**
 * The popup's first view, asked for before its bundle has loaded (boot.ts): the boot script leaves the request here,
 * the popup's module takes it. Opening the popup is mostly waiting: for the bundle to load and run, then for the
 * worker's answer; asked for first, the answer is made while the bundle loads.
 */
import type { ViewState } from '../../protocol/view-state.js';

export const EARLY_VIEW = Symbol.for('tokenscope.early-view');

export interface EarlyView {
  /** The tab the popup shows (`?tab=ID`, else the active tab). */
  tabId: Promise<number | null>;
  /** The worker's answer to `get-view` for it, `limit` exchanges in full. */
  view: Promise<ViewState>;
  limit: number;
}

/** The early request, once: a second caller (or a page without the boot script) gets null. */
export function takeEarlyView(): EarlyView | null {
  const holder = globalThis as unknown as Record<symbol, EarlyView | undefined>;
  const early = holder[EARLY_VIEW] ?? null;
  delete holder[EARLY_VIEW];
  return early;
}
