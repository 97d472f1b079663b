/**
 * Reading one large HAR on every core: this thread reads the file and finds each entry's extent
 * (the reader's byte scan, the only part that must run in order), worker threads read batches of
 * whole entries (`readEntry`: the cheap tests, then decoding and JSON.parse of the few that
 * matter), and core/har-stream/deferred.ts applies their outcomes in the file's order. Each
 * batch's bytes are moved to its worker, not copied. docs/ARCHITECTURE.md says why the split is
 * made there.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { DeferredOptions, EntryBatch, EntryOutcome } from '../core/har-stream/index.js';

/**
 * A file smaller than this is read in this thread alone. A worker costs ~200 ms of CPU to start (it compiles
 * the CLI's bundle again) and takes about half of the reading off this thread, which reads ~200 MB/s: it
 * pays from about 60 MB on an idle machine (docs/BENCHMARKS.md, `scripts/bench/har-threshold.mjs`).
 */
export const PARALLEL_MIN_BYTES = 64 * 1024 * 1024;

/**
 * Entry workers: one fewer than the cores, at least one. This thread is a reader too (it reads the file,
 * finds the entries, applies the outcomes): on two cores it scans while one worker reads entries.
 */
export function entryWorkers(): number {
  return Math.max(1, availableParallelism() - 1);
}

/**
 * 1 MiB of entries per batch, eight batches out per worker: on a shared machine a thread waits for a core
 * now and then, and a deeper queue keeps the other one busy meanwhile (8 MiB held; docs/BENCHMARKS.md).
 */
export const ENTRY_BATCHES: DeferredOptions = { batchBytes: 1024 * 1024, maxPending: 8 * entryWorkers() };

/** An entry's bytes one byte to a character, natively (Buffer's latin1): what entry.ts's ASCII tests need, without decoding. */
export const latin1View = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');

/** What this thread and an entry worker say to each other. */
export type ToEntryWorker = { type: 'entries'; id: number; batch: EntryBatch };
export type FromEntryWorker = { type: 'outcomes'; id: number; outcomes: (EntryOutcome | null)[] } | { type: 'crashed'; message: string };

export class EntryPool {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, { resolve: (outcomes: (EntryOutcome | null)[]) => void; reject: (error: Error) => void }>();
  private next = 0;

  constructor(url: URL, size: number) {
    for (let i = 0; i < size; i++) {
      const worker = new Worker(url);
      worker.on('message', (message: FromEntryWorker) => this.receive(message));
      worker.on('error', (error) => this.crash(error));
      this.workers.push(worker);
    }
  }

  /** Reads one batch in the next worker (in turn: batches are the same size). */
  read(batch: EntryBatch): Promise<(EntryOutcome | null)[]> {
    const id = this.next++;
    const worker = this.workers[id % this.workers.length] as Worker;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ type: 'entries', id, batch } satisfies ToEntryWorker, [batch.bytes.buffer as ArrayBuffer]);
    });
  }

  private receive(message: FromEntryWorker): void {
    if (message.type === 'crashed') {
      this.crash(new Error(message.message));
      return;
    }
    this.pending.get(message.id)?.resolve(message.outcomes);
    this.pending.delete(message.id);
  }

  private crash(error: Error): void {
    for (const { reject } of this.pending.values()) reject(error);
    this.pending.clear();
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}
