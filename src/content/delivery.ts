/**
 * The relay's delivery of captures to the worker: a capture is dropped only once the worker answered for it
 * (it answers after the write to storage.session), so a worker stopped mid-flow (idle, update, memory, CDP's
 * ServiceWorker.stopAllWorkers) loses nothing: what it did not answer is sent again, with the same capture id
 * (the worker stores a capture id once). A leaf of the page part: timers and a `deliver` function are all it uses,
 * so a unit test drives it with a fake port that drops messages.
 */

/** What one attempt came to: answered (done), not answered (try again later), or this relay can never deliver again. */
export type Attempt = 'answered' | 'unanswered' | 'orphaned';

export interface DeliveryOptions {
  /** Captures held at most; past it the oldest is given up and counted as lost. */
  capacity?: number;
  /** Attempts per capture before it is given up and counted as lost. */
  maxAttempts?: number;
  /** First wait before a resend; doubled each time up to `maxDelayMs`. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** An attempt that has not settled after this long counts as unanswered. */
  timeoutMs?: number;
  /** Timers (a test passes its own clock). */
  setTimer?: (run: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
}

interface Entry<T> {
  item: T;
  attempts: number;
  inFlight: boolean;
  timer: unknown;
}

export class DeliveryQueue<T> {
  private readonly entries = new Set<Entry<T>>();
  private lostCount = 0;
  private orphaned = false;
  private readonly options: Required<DeliveryOptions>;

  /**
   * @param deliver one attempt to hand `item` to the worker.
   * @param onOrphaned called once, with every item still held, when an attempt says this relay can never deliver again.
   */
  constructor(
    private readonly deliver: (item: T) => Promise<Attempt>,
    private readonly onOrphaned: (held: T[]) => void,
    options: DeliveryOptions = {},
  ) {
    this.options = {
      capacity: 100,
      maxAttempts: 12,
      baseDelayMs: 50,
      maxDelayMs: 2_000,
      timeoutMs: 15_000,
      setTimer: (run, ms) => setTimeout(run, ms),
      clearTimer: (timer) => clearTimeout(timer as ReturnType<typeof setTimeout>),
      ...options,
    };
  }

  /** Captures not yet answered for. */
  get held(): number {
    return this.entries.size;
  }

  /** How many captures were given up since the last call (and start counting again). */
  takeLost(): number {
    const lost = this.lostCount;
    this.lostCount = 0;
    return lost;
  }

  /** Send a capture now, and again until the worker answers for it. */
  push(item: T): void {
    if (this.orphaned) {
      this.onOrphaned([item]);
      return;
    }
    if (this.entries.size >= this.options.capacity) {
      const oldest = this.entries.values().next().value as Entry<T>;
      this.drop(oldest);
      this.lostCount += 1;
    }
    const entry: Entry<T> = { item, attempts: 0, inFlight: false, timer: null };
    this.entries.add(entry);
    this.attempt(entry);
  }

  private drop(entry: Entry<T>): void {
    if (entry.timer !== null) this.options.clearTimer(entry.timer);
    entry.timer = null;
    this.entries.delete(entry);
  }

  private attempt(entry: Entry<T>): void {
    if (!this.entries.has(entry) || entry.inFlight || this.orphaned) return;
    if (entry.timer !== null) this.options.clearTimer(entry.timer);
    entry.timer = null;
    entry.inFlight = true;
    entry.attempts += 1;
    let timeout: unknown = null;
    const timedOut = new Promise<Attempt>((resolve) => {
      timeout = this.options.setTimer(() => resolve('unanswered'), this.options.timeoutMs);
    });
    Promise.race([this.deliver(entry.item).catch((): Attempt => 'unanswered'), timedOut]).then((outcome) => {
      this.options.clearTimer(timeout);
      entry.inFlight = false;
      this.settle(entry, outcome);
    });
  }

  private settle(entry: Entry<T>, outcome: Attempt): void {
    if (outcome === 'orphaned') {
      if (this.orphaned) return;
      this.orphaned = true;
      const held = [...this.entries].map((e) => e.item);
      for (const e of [...this.entries]) this.drop(e);
      this.onOrphaned(held);
      return;
    }
    if (!this.entries.has(entry)) return; // Given up meanwhile (the queue was full).
    if (outcome === 'answered') {
      this.drop(entry);
      // The worker is there: whatever waits for a resend goes now.
      for (const waiting of [...this.entries]) if (waiting.timer !== null) this.attempt(waiting);
      return;
    }
    if (entry.attempts >= this.options.maxAttempts) {
      this.drop(entry);
      this.lostCount += 1;
      return;
    }
    const delay = Math.min(this.options.maxDelayMs, this.options.baseDelayMs * 2 ** (entry.attempts - 1));
    entry.timer = this.options.setTimer(() => {
      entry.timer = null;
      this.attempt(entry);
    }, delay);
  }
}
