/**
 * Reading every FILE: one in this thread, several in parallel on the machine's cores (worker
 * threads, each taking the next file as it finishes one), results kept in argument order.
 * Bearer uses are matched by value against the tokens issued in *all* the inputs, so each
 * reader keeps its table of Bearer tokens until every input is read: then the issued values
 * go to each, and only the matching uses come back, hashed.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { DeferredEntries, type HarStreamResult, issuedTokenValues, matchBearerUses } from '../core/har-stream/index.js';
import { InputError } from '../core/input.js';
import type { StreamedInput } from '../core/input-stream.js';
import type { SignInStep } from '../core/sign-in/types.js';
import type { BearerUse, CapturedExchange } from '../core/types.js';
import { ENTRY_BATCHES, EntryPool, entryWorkers, PARALLEL_MIN_BYTES } from './entry-pool.js';
import { type Progress, readSource, type Source } from './sources.js';

/** A read input as it crosses threads: a HAR without its Bearer token table. */
export type ReadInput =
  | {
      kind: 'har';
      exchanges: CapturedExchange[];
      signInSteps: SignInStep[];
      notes: string[];
      error: HarStreamResult['error'];
      entries: number;
      bytes: number;
    }
  | Exclude<StreamedInput, { kind: 'har' }>;

/** What a worker thread and this thread say to each other. */
export type ToWorker = { type: 'read'; index: number; file: string; cwd: string } | { type: 'match'; values: string[] };
export type FromWorker =
  | { type: 'progress'; index: number; progress: Progress }
  | { type: 'read'; index: number; input: ReadInput }
  | { type: 'unreadable'; index: number; message: string }
  | { type: 'matched'; uses: [number, BearerUse[]][] }
  | { type: 'crashed'; message: string };

/** A HAR's result as it crosses threads. */
export function toReadInput(input: StreamedInput): ReadInput {
  if (input.kind !== 'har') return input;
  const { exchanges, signInSteps, notes, error, entries, bytes } = input.result;
  return { kind: 'har', exchanges, signInSteps, notes, error, entries, bytes };
}

export interface InputsRead {
  /** In argument order. */
  inputs: ReadInput[];
  /** Every Bearer use (of every HAR) of a token some input issued. */
  bearerUses: BearerUse[];
}

/** Where each source is read: here, or by a pool of workers; `file` sources only go to workers. */
interface ReadPlan {
  sources: Source[];
  /** Paths of the sources workers may read (null: read here, e.g. stdin). */
  files: (string | null)[];
  cwd: string;
  workerUrl: URL | null;
  onProgress: (index: number, progress: Progress) => void;
}

/** Reads every source; throws InputError (the first in argument order) when one cannot be read. */
export async function readInputs(plan: ReadPlan): Promise<InputsRead> {
  const inputs: (ReadInput | undefined)[] = [];
  const failures: (string | undefined)[] = [];
  const local = new Map<number, HarStreamResult>();
  const parallel = plan.files.filter((file) => file !== null);
  const workers = plan.workerUrl && parallel.length > 1 ? Math.min(parallel.length, availableParallelism()) : 0;
  const pool = workers > 1 ? new WorkerPool(plan.workerUrl as URL, workers, plan) : null;

  const readHere = async (index: number) => {
    const source = plan.sources[index] as Source;
    // One large file (not several at once: then each is one worker's) is read on every core.
    const entryPool =
      plan.workerUrl && !pool && (source.size ?? 0) >= PARALLEL_MIN_BYTES ? new EntryPool(plan.workerUrl, entryWorkers()) : null;
    try {
      const deferred = entryPool ? new DeferredEntries((batch) => entryPool.read(batch), ENTRY_BATCHES) : undefined;
      const input = await readSource(source, { onProgress: (progress) => plan.onProgress(index, progress), deferred });
      if (input.kind === 'har') local.set(index, input.result);
      inputs[index] = toReadInput(input);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      failures[index] = error.message;
    } finally {
      await entryPool?.close();
    }
  };
  const jobs = plan.sources.map((_, index) =>
    pool && plan.files[index] !== null ? pool.read(index, plan.files[index] as string) : readHere(index),
  );
  try {
    await Promise.all(jobs);
    for (const [index, result] of pool?.results ?? []) {
      if (result.kind === 'read') inputs[index] = result.input;
      else failures[index] = result.message;
    }
    const failure = failures.find((message) => message !== undefined);
    if (failure !== undefined) throw new InputError(failure);
    const read = inputs as ReadInput[];
    const values = issuedTokenValues(read.flatMap((input) => ('exchanges' in input ? input.exchanges : [])));
    const matched = new Map<number, BearerUse[]>(pool ? await pool.match(values) : []);
    for (const [index, result] of local) matched.set(index, matchBearerUses(result, values));
    const bearerUses = [...matched.entries()].sort(([a], [b]) => a - b).flatMap(([, uses]) => uses);
    return { inputs: read, bearerUses };
  } finally {
    await pool?.close();
  }
}

/** Worker threads reading files, each taking the next file when it finishes one; each keeps its HARs' Bearer tables for `match`. */
class WorkerPool {
  readonly results = new Map<number, { kind: 'read'; input: ReadInput } | { kind: 'unreadable'; message: string }>();
  private readonly idle: Worker[] = [];
  private readonly all: Worker[] = [];
  private readonly waiting: (() => void)[] = [];
  private readonly pending = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();

  constructor(
    url: URL,
    size: number,
    private readonly plan: ReadPlan,
  ) {
    for (let i = 0; i < size; i++) {
      const worker = new Worker(url);
      worker.on('message', (message: FromWorker) => this.receive(worker, message));
      worker.on('error', (error) => this.crash(error));
      this.all.push(worker);
      this.idle.push(worker);
    }
  }

  async read(index: number, file: string): Promise<void> {
    while (this.idle.length === 0) await new Promise<void>((resolve) => this.waiting.push(resolve));
    const worker = this.idle.pop() as Worker;
    await new Promise<void>((resolve, reject) => {
      this.pending.set(index, { resolve, reject });
      worker.postMessage({ type: 'read', index, file, cwd: this.plan.cwd } satisfies ToWorker);
    });
  }

  private receive(worker: Worker, message: FromWorker): void {
    if (message.type === 'progress') this.plan.onProgress(message.index, message.progress);
    else if (message.type === 'crashed') this.crash(new Error(message.message));
    else if (message.type === 'read' || message.type === 'unreadable') {
      this.results.set(
        message.index,
        message.type === 'read' ? { kind: 'read', input: message.input } : { kind: 'unreadable', message: message.message },
      );
      this.pending.get(message.index)?.resolve();
      this.pending.delete(message.index);
      this.idle.push(worker);
      this.waiting.shift()?.();
    }
  }

  private crash(error: Error): void {
    for (const { reject } of this.pending.values()) reject(error);
    this.pending.clear();
  }

  /** Each worker's matching Bearer uses, by input index. */
  async match(values: Set<string>): Promise<[number, BearerUse[]][]> {
    const list = [...values];
    const answers = await Promise.all(
      this.all.map(
        (worker) =>
          new Promise<[number, BearerUse[]][]>((resolve, reject) => {
            const listener = (message: FromWorker) => {
              if (message.type !== 'matched') return;
              worker.off('message', listener);
              resolve(message.uses);
            };
            worker.on('message', listener);
            worker.once('error', reject);
            worker.postMessage({ type: 'match', values: list } satisfies ToWorker);
          }),
      ),
    );
    return answers.flat();
  }

  async close(): Promise<void> {
    await Promise.all(this.all.map((worker) => worker.terminate()));
  }
}
