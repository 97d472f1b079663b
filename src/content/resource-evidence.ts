/**
 * Wire evidence that costs pages nothing: the document's own Resource Timing entries, read in the relay's isolated
 * world. The browser's loader records an entry for every fetch and XHR the document makes; page scripts cannot
 * create one (a `PerformanceResourceTiming` is made only by a real request) nor reach the relay's observer. So an
 * entry with the reported URL, made by fetch or XHR at the reported time, shows that the document did send that
 * request: the exchange is not made up. It does not prove the method or the bodies (the page hook reports those),
 * as the webRequest wire log it replaces did not prove the response either. A page can only hide its own entries.
 *
 * An observer (not the page's buffer, which holds 250 entries and which the page can clear) keeps the newest
 * fetch/XHR entries; it is fed in batches by the browser, off the page's call path. It observes only while it is
 * needed: from the moment the page hook says a request it follows goes out (`expect`) until its capture has come
 * (`settled`) and `GRACE_MS` passed, so the page's other requests (an app's API calls) cost no observer callback. In
 * a document the relay entered late (injected into a tab open before the site was watched: the page may call a
 * `fetch` it kept from before the hook) it observes all along, so those token requests too are seen and said unread.
 *
 * The same entries say when a token request was made and never captured (the "seen, not readable" state): an entry
 * whose URL passes the hook's token-endpoint test that no exchange claimed within `UNREAD_AFTER_MS` is handed to
 * `onUnread` (its URL and time only). Resource Timing gives no method, so a GET to such a URL counts too.
 */
import { isTokenEndpointUrl } from '../core/candidate.js';

interface Seen {
  url: string;
  /** Epoch milliseconds. */
  at: number;
  used: boolean;
}

/** Kept entries; a token exchange is reported moments after its entry is made. */
const KEEP = 200;
/** How far the hook's clock reading may be from the entry's start. */
const WINDOW_MS = 2_000;
/** How long to wait for an entry the browser has not delivered yet. */
const WAIT_MS = 500;
/** How long after its entry a token request's capture may take to arrive (the entry is made when the response ends). */
export const UNREAD_AFTER_MS = 5_000;
/** How long the observer stays on after the last followed request's capture came. */
const GRACE_MS = 2_000;
/** A followed request whose capture never came (the hook followed a Request whose body was no token request) counts this long. */
const PENDING_MS = 60_000;
/** Entries taken lately, by start time and URL: a buffered re-read after a pause must not take them again. */
const TAKEN_KEPT = 1_000;

/** A token-endpoint request no capture claimed: where, when, and whether it was made before the relay started. */
export interface UnclaimedRequest {
  url: string;
  at: number;
  beforeWatching: boolean;
}

export class ResourceEvidence {
  private readonly seen: Seen[] = [];
  private observer: PerformanceObserver | null = null;
  private readonly waiters = new Set<() => void>();
  private readonly startedAt = performance.timeOrigin + performance.now();
  /** Followed requests gone out whose capture has not come (on-demand observation lasts while there are any). */
  private pending = 0;
  private lastActivity = 0;
  private checkTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly taken = new Set<string>();

  /**
   * `continuous`: observe all along (a relay that entered its document late), else only around followed requests.
   * Either way the entries already in the page's buffer are read at once (`buffered`): requests made before the relay.
   */
  constructor(
    private readonly onUnread: (request: UnclaimedRequest) => void = () => {},
    private readonly continuous = true,
  ) {
    this.start();
    if (!continuous) this.scheduleCheck();
  }

  private start(): void {
    if (this.observer) return;
    try {
      this.observer = new PerformanceObserver((list) => this.take(list.getEntries()));
      // buffered: what the page's buffer holds already (before watching; a request that went out just before `expect`).
      this.observer.observe({ type: 'resource', buffered: true });
    } catch {
      this.observer = null; // No Resource Timing here: every exchange stays page-reported.
    }
  }

  /** A followed request goes out: observe until its capture came (`settled`). */
  expect(): void {
    this.pending += 1;
    this.lastActivity = Date.now();
    if (this.continuous) return;
    this.start();
    this.scheduleCheck();
  }

  /** A followed request's capture came (vouched for or not). */
  settled(): void {
    this.pending = Math.max(0, this.pending - 1);
    this.lastActivity = Date.now();
  }

  /** On demand: stop observing once nothing is pending and `GRACE_MS` passed. */
  private scheduleCheck(): void {
    if (this.checkTimer !== null) return;
    this.checkTimer = setTimeout(() => {
      this.checkTimer = null;
      const quiet = Date.now() - this.lastActivity;
      if (this.pending > 0 && quiet >= PENDING_MS) this.pending = 0;
      if (this.pending > 0 || quiet < GRACE_MS) {
        this.scheduleCheck();
        return;
      }
      if (this.observer) this.take(this.observer.takeRecords());
      this.observer?.disconnect();
      this.observer = null;
    }, GRACE_MS);
  }

  private take(entries: PerformanceEntryList): void {
    for (const entry of entries) {
      const type = (entry as PerformanceResourceTiming).initiatorType;
      if (type !== 'fetch' && type !== 'xmlhttprequest') continue;
      const key = `${entry.startTime} ${entry.name}`;
      if (this.taken.has(key)) continue; // Read again from the buffer after a pause.
      this.taken.add(key);
      if (this.taken.size > TAKEN_KEPT) this.taken.delete(this.taken.values().next().value as string);
      const seen = { url: entry.name, at: performance.timeOrigin + entry.startTime, used: false };
      this.seen.push(seen);
      if (isTokenEndpointUrl(seen.url)) this.expectCapture(seen);
    }
    if (this.seen.length > KEEP) this.seen.splice(0, this.seen.length - KEEP);
    for (const wake of this.waiters) wake();
  }

  /** A token request's entry: if no exchange claims it in time, it was seen and not read. */
  private expectCapture(seen: Seen): void {
    setTimeout(() => {
      if (seen.used) return;
      seen.used = true; // Said once.
      this.onUnread({ url: seen.url, at: seen.at, beforeWatching: seen.at < this.startedAt });
    }, UNREAD_AFTER_MS);
  }

  private match(url: string, startedAt: number): boolean {
    if (this.observer) this.take(this.observer.takeRecords());
    const found = this.seen.find((s) => !s.used && s.url === url && Math.abs(s.at - startedAt) < WINDOW_MS);
    if (found) found.used = true;
    return found !== undefined;
  }

  /** `wasSent` without waiting: only the entries the browser has delivered (or queued for the observer) by now. */
  sentNow(url: string, startedAt: number): boolean {
    return this.observer !== null && Number.isFinite(startedAt) && this.match(url, startedAt);
  }

  /** Whether the document made a fetch/XHR to `url` at about `startedAt` (each entry vouches for one exchange). */
  async wasSent(url: string, startedAt: number): Promise<boolean> {
    if (!this.observer || !Number.isFinite(startedAt)) return false;
    if (this.match(url, startedAt)) return true;
    // The hook can be a moment ahead of the observer: wait for the next batch, briefly.
    const deadline = Date.now() + WAIT_MS;
    while (Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.waiters.delete(wake);
          resolve();
        };
        this.waiters.add(wake);
        setTimeout(wake, 100);
      });
      if (this.match(url, startedAt)) return true;
    }
    return false;
  }
}
