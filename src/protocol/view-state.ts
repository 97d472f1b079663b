/** What the worker tells a view about one tab. Views render it; they never re-derive analysis. */
import type { CaptureSource, Report } from '../core/types.js';
import type { UnreadToken } from './unread.js';

/** How sure Tokenscope is that an exchange happened as reported. */
export type Verification = 'verified' | 'page-reported' | 'devtools' | 'imported';

/** Where and how an exchange was captured, kept beside the report's contract fields. */
export interface CaptureInfo {
  tabId: number;
  /** Origin of the page (the watched site) the exchange came from. */
  site: string;
  seenBy: CaptureSource[];
  verification: Verification;
}

export interface TabNote {
  tabId: number;
  at: string;
  message: string;
}

/** Everything a view needs for one tab, computed by the worker (views never re-derive analysis). */
export interface ViewState {
  tabId: number | null;
  tabUrl: string | null;
  /** Origin of the tab's page, when it is a web page. */
  site: string | null;
  isWatched: boolean;
  watchedSites: string[];
  /**
   * The tab's report; its `exchanges` are the newest `limit` ones, its `signIns` those they belong to and every
   * sign-in with a front channel; its `summary` counts them all. The export (`export-report`) has everything.
   */
  report: Report;
  /** How many exchanges the tab has in all. */
  totalExchanges: number;
  /** Capture info per exchange id of `report`. */
  captures: Record<string, CaptureInfo>;
  /** Exchanges of this tab the store let go (past its per-tab capacity, or the store's bound over all tabs). */
  dropped: number;
  /** Exchanges the store keeps per tab. */
  capacity: number;
  notes: TabNote[];
  /**
   * Hosts not watched where a token call of this tab was missed (a call seen and not read, or a code that came back
   * with no exchange after it): offer to watch them. Empty when everything was captured.
   */
  suggestedHosts: string[];
  /**
   * Whether the worker may read where frames and popups of watched sites navigate (the optional `webNavigation`
   * permission, background/navigations.ts): the authorization requests of hidden iframes and login popups. Absent
   * where it does not apply (a view of an imported file).
   */
  frameNavigations?: 'granted' | 'not-granted';
  /**
   * Token calls of this tab seen and not read, and contexts of its page whose token calls cannot be seen
   * (oldest first); absent where nothing reports them (an imported file).
   */
  unread?: UnreadToken[];
  /** Other tabs with captured exchanges. */
  otherTabs: Array<{ tabId: number; site: string; exchanges: number; high: number }>;
}
