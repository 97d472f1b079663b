/**
 * Group commit for the exchange store (store.ts): the changes of the tasks that run within `WRITE_BATCH_MS` of each
 * other go to storage in one `set` (and one `remove`), and each task is answered only once that write is done, so a
 * capture is still acknowledged after it is stored (content/delivery.ts resends what is not). A page making token
 * requests one after another pays one storage write, and one change event in every extension context, for several
 * captures instead of one each (issue 26: the write was about half of what a capture cost). A batch whose write fails
 * is not lost: its tasks run again, one write each (`direct`), so the store's quota handling sees its own write fail.
 */
import type { StorageArea } from './store-layout.js';

/** How long the worker's store lets the first change of a batch wait for others to join it before the batch is written. */
export const WRITE_BATCH_MS = 40;
/** Tasks in one batch at most: past this the batch is written at once. */
export const WRITE_BATCH_TASKS = 64;

/** A task that wrote into a batch and waits for it to be stored; run again (one write of its own) if the batch fails. */
export interface Batched {
  rerun: () => void;
  settle: () => void;
}

/**
 * The changes of the tasks run since the batch opened, merged: the last `set` of a key wins; keys removed are removed
 * after the `set` (an index emptied and then removed is written empty first, as one task alone would).
 */
interface WriteBatch {
  set: Record<string, unknown>;
  remove: Set<string>;
  tasks: Batched[];
  /** The generation when the batch opened: a batch made on a mirror since forgotten is never written. */
  generation: number;
  timer: ReturnType<typeof setTimeout> | null;
}

/** The store's writes, grouped. The store runs one task at a time and brackets each with `begin` and `end`. */
export class GroupCommit {
  /** The batch taking writes now, if one is open. */
  private batch: WriteBatch | null = null;
  /** Whether the running task wrote into `batch`. */
  private wroteInBatch = false;
  /** Whether the running task writes at once (a failed batch's task, run again, or a load's tidying). */
  private runningDirect = false;
  /** Bumped by `invalidate`: a batch opened before is not written. */
  private generation = 0;
  /** The batches' writes, in order: a load, or a task writing at once, waits for them. */
  flushed: Promise<void> = Promise.resolve();

  /** `failed` hears that a batch's write failed (what storage holds is then not known). */
  constructor(
    private readonly area: StorageArea,
    private readonly batchMs: number,
    private readonly failed: () => void,
  ) {}

  /** A task starts; `direct`: its writes go to storage at once. */
  begin(direct: boolean): void {
    this.wroteInBatch = false;
    this.runningDirect = direct;
  }

  end(): void {
    this.runningDirect = false;
  }

  /** Run `work` with its writes made at once (after the batches before it), whatever the running task is. */
  async direct<T>(work: () => Promise<T>): Promise<T> {
    await this.flushed;
    const direct = this.runningDirect;
    this.runningDirect = true;
    try {
      return await work();
    } finally {
      this.runningDirect = direct;
    }
  }

  /** After a task: when it wrote into the open batch, `task` waits for that batch (true); otherwise false. */
  joined(task: Batched): boolean {
    const batch = this.batch;
    if (!this.wroteInBatch || !batch) return false;
    batch.tasks.push(task);
    if (batch.tasks.length >= WRITE_BATCH_TASKS) this.flush(batch);
    return true;
  }

  /** Storage is to be read again: the open batch is not written. */
  invalidate(): void {
    this.generation += 1;
  }

  async set(items: Record<string, unknown>): Promise<void> {
    if (this.runningDirect) {
      await this.flushed;
      return this.area.set(items);
    }
    const batch = this.open();
    for (const key of Object.keys(items)) batch.remove.delete(key);
    Object.assign(batch.set, items);
  }

  /** Remove keys nothing names any more; a failure leaves them over for the next load to tidy. */
  async remove(keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    if (this.runningDirect) {
      await this.flushed;
      await this.area.remove(keys).catch(() => undefined);
      return;
    }
    const batch = this.open();
    for (const key of keys) batch.remove.add(key);
  }

  private open(): WriteBatch {
    this.wroteInBatch = true;
    if (this.batch) return this.batch;
    const batch: WriteBatch = { set: {}, remove: new Set(), tasks: [], generation: this.generation, timer: null };
    batch.timer = setTimeout(() => this.flush(batch), this.batchMs);
    this.batch = batch;
    return batch;
  }

  /** Write a batch (after the ones before it); its tasks resolve once it is stored, or run again one by one if it fails. */
  private flush(batch: WriteBatch): void {
    if (this.batch === batch) this.batch = null;
    if (batch.timer !== null) clearTimeout(batch.timer);
    batch.timer = null;
    const written = this.flushed.then(async () => {
      if (batch.generation !== this.generation) throw new Error('the store was read again: this batch is not written');
      if (Object.keys(batch.set).length > 0) await this.area.set(batch.set);
      if (batch.remove.size > 0) await this.area.remove([...batch.remove]).catch(() => undefined);
    });
    this.flushed = written.catch(() => undefined);
    written.then(
      () => {
        for (const task of batch.tasks) task.settle();
      },
      () => {
        // What storage holds now is not known here: read it again, and each task writes on its own.
        this.failed();
        for (const task of batch.tasks) task.rerun();
      },
    );
  }
}
