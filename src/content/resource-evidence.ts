/**
 * Wire evidence that costs pages nothing: the document's own Resource Timing entries, read in the relay's isolated
 * world. The browser's loader records an entry for every fetch and XHR the document makes; page scripts cannot
 * create one (a `PerformanceResourceTiming` is made only by a real request) nor reach the relay's observer. So an
 * entry with the reported URL, made by fetch or XHR at the reported time, shows that the document did send that
 * request: the exchange is not made up. It does not prove the method or the bodies (the page hook reports those),
 * as the webRequest wire log it replaces did not prove the response either. A page can only hide its own entries.
 *
 * An observer (not the page's buffer, which holds 250 entries and which the page can clear) keeps the newest
 * fetch/XHR entries; it is fed in batches by the browser, off the page's call path.
 */

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

export class ResourceEvidence {
  private readonly seen: Seen[] = [];
  private observer: PerformanceObserver | null = null;
  private readonly waiters = new Set<() => void>();

  constructor() {
    try {
      this.observer = new PerformanceObserver((list) => this.take(list.getEntries()));
      this.observer.observe({ type: 'resource', buffered: true });
    } catch {
      this.observer = null; // No Resource Timing here: every exchange stays page-reported.
    }
  }

  private take(entries: PerformanceEntryList): void {
    for (const entry of entries) {
      const type = (entry as PerformanceResourceTiming).initiatorType;
      if (type !== 'fetch' && type !== 'xmlhttprequest') continue;
      this.seen.push({ url: entry.name, at: performance.timeOrigin + entry.startTime, used: false });
    }
    if (this.seen.length > KEEP) this.seen.splice(0, this.seen.length - KEEP);
    for (const wake of this.waiters) wake();
  }

  private match(url: string, startedAt: number): boolean {
    if (this.observer) this.take(this.observer.takeRecords());
    const found = this.seen.find((s) => !s.used && s.url === url && Math.abs(s.at - startedAt) < WINDOW_MS);
    if (found) found.used = true;
    return found !== undefined;
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
