/**
 * Where a view gets its state. The popup and the DevTools panel use the
 * extension's (messages to the worker, live through storage change events);
 * an imported file and the tests hand in plain data through the same interface.
 */
import type { Report } from '../../core/types.js';
import type { ViewState } from '../../protocol/view-state.js';

export interface ViewSource {
  /** The view, with the newest `limit` exchanges in full (all when omitted). */
  load(limit?: number): Promise<ViewState>;
  /** Calls back when the state may have changed; returns the unsubscribe function. */
  subscribe(onChange: () => void): () => void;
  clear(scope: 'tab' | 'all'): Promise<void>;
  /** Ask the user for the site's host permission (needs the click's user gesture). */
  watch(url: string): Promise<boolean>;
  unwatch(pattern: string): Promise<boolean>;
  /** One token's value, fetched only when the user asks to reveal or copy it. */
  revealToken(exchangeId: string, fingerprint: string): Promise<string | null>;
  /** The report to export; token values only with `showTokens`. */
  exportReport(showTokens: boolean): Promise<Report>;
  /** Ask the user for the optional webNavigation permission (needs the click's user gesture); absent where it does not apply. */
  allowFrameNavigations?(): Promise<boolean>;
  /** Set for a view of an imported file: its name. */
  readonly importedFrom?: string;
}
