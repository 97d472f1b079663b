/**
 * Entries read elsewhere, applied in order: a HarSink for the reader that does not read entries
 * itself. The reader finds each entry's extent on the bytes (the only sequential work: where an
 * entry ends depends on every byte before it); this copies whole entries into batches and hands
 * each batch to `readBatch` (the CLI's worker threads run collect.ts `readEntry` on it), and keeps,
 * per batch, everything else the reader said in between (elements counted, resets, faults). When a
 * batch's outcomes are back and every earlier batch is applied, its events are replayed into an
 * `EntryCollector` in the file's order: the result is the one the reader gives reading the entries
 * itself, byte for byte (caps, notes, where reading stopped; a property test holds it to that).
 * Pure: no threads here, only promises.
 */
import { EntryCollector, type EntryOutcome, readEntry } from './collect.js';
import type { HarSink } from './sink.js';
import type { AsciiView, HarStreamResult } from './result.js';

/** Whole entries, one after another, for `readEntry`. */
export interface EntryBatch {
  bytes: Uint8Array;
  /** Each entry's end in `bytes` (it starts where the previous one ends, the first at 0). */
  ends: number[];
  /** Each entry's words (byte-scan.ts `WORD`). */
  words: number[];
}

/** Reads a batch: one outcome per entry, in order. */
export type ReadBatch = (batch: EntryBatch) => Promise<(EntryOutcome | null)[]>;

type Event =
  | { kind: 'element' }
  | { kind: 'enter' }
  | { kind: 'entry'; start: number }
  | { kind: 'oversized'; members: Map<string, string>; start: number; bytes: number; max: number }
  | { kind: 'reset' }
  | { kind: 'fail'; offset: number; message: string };

interface OpenBatch {
  buffer: Uint8Array;
  used: number;
  ends: number[];
  words: number[];
  events: Event[];
}

export interface DeferredOptions {
  /** Bytes of entries per batch (an entry larger than this is a batch of its own). */
  batchBytes?: number;
  /** Batches handed out and not applied yet, past which `ready()` waits. */
  maxPending?: number;
  maxExchanges?: number;
}

export class DeferredEntries implements HarSink {
  readonly result: HarStreamResult;
  private readonly collector: EntryCollector;
  private readonly batchBytes: number;
  private readonly maxPending: number;
  private open: OpenBatch;
  /** Every batch handed out so far, applied in order. */
  private applied: Promise<void> = Promise.resolve();
  private pending = 0;
  private waiting: (() => void)[] = [];
  /** What the reader said last about log.entries, until every batch is applied (then the collector says it). */
  private readerFound = false;
  private settled = false;
  /** A batch could not be read: nothing waits any more (settle() rejects). */
  private broken = false;

  constructor(
    private readonly readBatch: ReadBatch,
    options: DeferredOptions = {},
  ) {
    this.collector = new EntryCollector(options.maxExchanges ?? Number.POSITIVE_INFINITY);
    this.result = this.collector.result;
    this.batchBytes = options.batchBytes ?? 4 * 1024 * 1024;
    this.maxPending = options.maxPending ?? 4;
    this.open = this.newBatch(this.batchBytes);
  }

  element(): void {
    this.open.events.push({ kind: 'element' });
  }

  enter(): void {
    this.readerFound = true;
    this.open.events.push({ kind: 'enter' });
  }

  entry(bytes: Uint8Array, start: number, words: number): boolean {
    if (this.open.used + bytes.length > this.open.buffer.length) {
      this.flush();
      this.open = this.newBatch(Math.max(this.batchBytes, bytes.length));
    }
    const batch = this.open;
    batch.buffer.set(bytes, batch.used);
    batch.used += bytes.length;
    batch.ends.push(batch.used);
    batch.words.push(words);
    batch.events.push({ kind: 'entry', start });
    if (batch.used >= this.batchBytes) {
      this.flush();
      this.open = this.newBatch(this.batchBytes);
    }
    return true;
  }

  oversized(members: Map<string, string>, start: number, bytes: number, max: number): void {
    this.open.events.push({ kind: 'oversized', members, start, bytes, max });
  }

  reset(): void {
    this.readerFound = false;
    this.open.events.push({ kind: 'reset' });
  }

  fail(offset: number, message: string): void {
    this.open.events.push({ kind: 'fail', offset, message });
  }

  isHar(): boolean {
    return this.settled ? this.collector.foundEntries : this.readerFound;
  }

  /** Resolves when fewer than `maxPending` batches are out: the caller reads on. */
  ready(): Promise<void> {
    if (this.pending < this.maxPending || this.broken) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Hands out what is left and resolves when every batch is applied (rejects if a batch could not be read). */
  async settle(): Promise<void> {
    this.flush();
    this.open = this.newBatch(0);
    await this.applied;
    this.settled = true;
  }

  private newBatch(size: number): OpenBatch {
    return { buffer: new Uint8Array(size), used: 0, ends: [], words: [], events: [] };
  }

  /** Hands out the open batch (reading starts now) and queues its replay after the batches before it. */
  private flush(): void {
    const batch = this.open;
    if (batch.events.length === 0) return;
    const outcomes: Promise<(EntryOutcome | null)[]> =
      batch.ends.length === 0
        ? Promise.resolve([])
        : this.readBatch({ bytes: batch.buffer.subarray(0, batch.used), ends: batch.ends, words: batch.words });
    this.pending++;
    // A batch that fails leaves the rest unapplied: settle() rejects with its error.
    outcomes.catch(() => {
      this.broken = true;
      for (const resume of this.waiting.splice(0)) resume();
    });
    this.applied = this.applied.then(async () => {
      const list = await outcomes;
      this.replay(batch.events, list);
      this.pending--;
      this.waiting.shift()?.();
    });
  }

  private replay(events: Event[], outcomes: (EntryOutcome | null)[]): void {
    const collector = this.collector;
    let next = 0;
    for (const event of events) {
      if (event.kind === 'element') collector.element();
      else if (event.kind === 'enter') collector.enter();
      else if (event.kind === 'entry') collector.apply(outcomes[next++] ?? null, event.start);
      else if (event.kind === 'oversized') collector.readOversized(event.members, event.start, event.bytes, event.max);
      else if (event.kind === 'reset') collector.reset();
      else collector.fail(event.offset, event.message);
    }
  }
}

/** Reads every entry of a batch (what a worker thread runs): one outcome per entry, in order. */
export function readEntries(batch: EntryBatch, ascii?: AsciiView): (EntryOutcome | null)[] {
  const outcomes: (EntryOutcome | null)[] = [];
  let start = 0;
  batch.ends.forEach((end, k) => {
    outcomes.push(readEntry(batch.bytes.subarray(start, end), batch.words[k] as number, ascii));
    start = end;
  });
  return outcomes;
}
