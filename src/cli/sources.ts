/**
 * Where the CLI's input comes from: a file or stdin, as a stream of byte chunks, gunzipped
 * on the way when it starts with gzip's magic bytes (a `.har.gz`, or gzip on stdin). Nothing
 * is ever read whole: the core's InputStreamReader takes the chunks.
 */
import { closeSync, createReadStream, openSync, readSync, statSync } from 'node:fs';
import { relative } from 'node:path';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { InputError } from '../core/input.js';
import type { DeferredEntries } from '../core/har-stream/index.js';
import { latin1View } from './entry-pool.js';
import { type InputStreamOptions, InputStreamReader, type StreamedInput } from '../core/input-stream.js';

/** Bytes a file read hands the reader at a time. The reader scans bytes and decodes no chunk (only the
 * entries that matter), so a chunk is never a string: 1 MiB reads cost a sixteenth of the system calls
 * of 64 KiB ones (chosen when each chunk was decoded, to keep its string out of V8's large-object space). */
const CHUNK_BYTES = 1024 * 1024;

export interface Source {
  /** What messages call it: the path as given, or "stdin". */
  name: string;
  /** What the report calls it (SARIF locations): relative to the working directory. */
  label: string;
  /** Bytes to read, if known (not for stdin or gzip): for the progress line. */
  size: number | null;
  /** The capture time a raw token response gets. */
  startedAt: string;
  chunks: () => AsyncIterable<Uint8Array>;
}

export interface Progress {
  bytes: number;
  entries: number;
  exchanges: number;
}

/** A file to read (a FILE argument other than "-"). Throws InputError when it cannot be opened. */
export function fileSource(file: string, cwd: string): Source {
  try {
    const stats = statSync(file);
    if (stats.isDirectory()) throw new InputError(`${file} is a directory`);
    const common = { name: file, label: relative(cwd, file) || file, startedAt: stats.mtime.toISOString() };
    const stream = () => createReadStream(file, { highWaterMark: CHUNK_BYTES });
    // A pipe (`<(...)`, a FIFO) cannot be read twice: gzip is told from its first chunks instead.
    if (!stats.isFile()) return { ...common, size: null, chunks: () => gunzipIfGzip(stream()) };
    const head = Buffer.alloc(2);
    const fd = openSync(file, 'r');
    const read = readSync(fd, head, 0, 2, 0);
    closeSync(fd);
    const gzipped = isGzip(head.subarray(0, read));
    return {
      ...common,
      size: gzipped ? null : stats.size,
      chunks: () => (gzipped ? stream().pipe(createGunzip({ chunkSize: CHUNK_BYTES })) : stream()),
    };
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new InputError(`cannot read ${file}: ${reason}`);
  }
}

/** Standard input ("-"), gunzipped if it is gzip. */
export function stdinSource(stdin: () => AsyncIterable<Uint8Array>, startedAt: string): Source {
  return { name: 'stdin', label: 'stdin', size: null, startedAt, chunks: () => gunzipIfGzip(stdin()) };
}

function isGzip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** The chunks as they are, or gunzipped when the first ones start with gzip's magic bytes. */
async function* gunzipIfGzip(source: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  const iterator = source[Symbol.asyncIterator]();
  const first: Uint8Array[] = [];
  let length = 0;
  let done = false;
  while (length < 2 && !done) {
    const next = await iterator.next();
    if (next.done) done = true;
    else {
      first.push(next.value);
      length += next.value.length;
    }
  }
  const head = Buffer.concat(first);
  async function* all(): AsyncIterable<Uint8Array> {
    if (head.length > 0) yield head;
    if (done) return;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  }
  if (!isGzip(head)) {
    yield* all();
    return;
  }
  yield* Readable.from(all()).pipe(createGunzip({ chunkSize: CHUNK_BYTES }));
}

/**
 * Reads one source to its end. A HAR that breaks off (cut short, malformed, a gzip stream
 * that ends early or is corrupt) gives what was read before, with the error; anything else
 * that cannot be read throws InputError.
 */
export async function readSource(
  source: Source,
  options: InputStreamOptions & {
    onProgress?: (progress: Progress) => void;
    /** Entries read elsewhere (entry-pool.ts): reading waits while it has enough to do. */
    deferred?: DeferredEntries;
  } = {},
): Promise<StreamedInput> {
  const { deferred } = options;
  const reader = new InputStreamReader(source.name, source.startedAt, { asciiView: latin1View, ...options }, deferred);
  const settle = () => (deferred as DeferredEntries).settle();
  const chunks = source.chunks()[Symbol.asyncIterator]();
  for (;;) {
    let next: IteratorResult<Uint8Array>;
    try {
      next = await chunks.next();
    } catch (error) {
      // Only the source's own errors (a read error, gzip data that ends early): the reader's are bugs.
      const code = (error as NodeJS.ErrnoException).code;
      const message = (error as Error).message;
      const why = typeof code === 'string' && code.startsWith('Z_') ? `the gzip data is cut off or corrupt (${message})` : message;
      return deferred ? reader.abortSettled(settle, why) : reader.abort(why);
    }
    if (next.done) return deferred ? reader.endSettled(settle) : reader.end();
    reader.push(next.value);
    options.onProgress?.(reader.progress());
    if (deferred) await deferred.ready();
  }
}
