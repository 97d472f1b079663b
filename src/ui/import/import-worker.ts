/**
 * The import worker (a Web Worker, `import-worker.js`): reads a picked or dropped file with the
 * core's streaming reader on `File.stream()`, gunzipped with DecompressionStream when it is
 * gzip, and analyzes it, all off the view's main thread: the view keeps answering while a file
 * of any size is read. Only the results are held (at most IMPORT_LIMITS.exchanges exchanges).
 * The view cancels by terminating the worker.
 */
import { InputError } from '../../core/input.js';
import { InputStreamReader } from '../../core/input-stream.js';
import { IMPORT_LIMITS } from '../../core/limits.js';
import { analyzeImport } from './analyze-import.js';
import type { ImportMessage, ImportRequest } from './import-protocol.js';

/** Progress is posted at most this often (ms). */
const PROGRESS_EVERY = 100;

const post = (message: ImportMessage) => (self as unknown as Worker).postMessage(message);

/** Counts the file's bytes as they are read (before any gunzip), for the progress bar. */
function counted(stream: ReadableStream<Uint8Array>, onBytes: (bytes: number) => void): ReadableStream<Uint8Array> {
  let bytes = 0;
  return stream.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        bytes += chunk.length;
        onBytes(bytes);
        controller.enqueue(chunk);
      },
    }),
  );
}

async function isGzip(file: File): Promise<boolean> {
  const head = new Uint8Array(await file.slice(0, 2).arrayBuffer());
  return head[0] === 0x1f && head[1] === 0x8b;
}

async function importFile(file: File): Promise<void> {
  const reader = new InputStreamReader(file.name, new Date().toISOString(), {
    maxExchanges: IMPORT_LIMITS.exchanges,
    maxOtherBytes: IMPORT_LIMITS.otherBytes,
  });
  let read = 0;
  let last = 0;
  const raw = counted(file.stream(), (bytes) => {
    read = bytes;
  });
  const stream = (await isGzip(file))
    ? raw.pipeThrough(new DecompressionStream('gzip') as unknown as TransformStream<Uint8Array, Uint8Array>)
    : raw;
  const chunks = stream.getReader();
  for (;;) {
    let next: ReadableStreamReadResult<Uint8Array>;
    try {
      next = await chunks.read();
    } catch (error) {
      // The file's own errors (gzip data cut off or corrupt): what was read before is kept.
      finish(reader.abort(`the file could not be read to its end (${error instanceof Error ? error.message : String(error)})`));
      return;
    }
    if (next.done) break;
    reader.push(next.value);
    const now = Date.now();
    if (now - last >= PROGRESS_EVERY) {
      last = now;
      post({ type: 'progress', progress: { bytes: read, total: file.size, exchanges: reader.progress().exchanges } });
    }
  }
  finish(reader.end());
}

function finish(input: ReturnType<InputStreamReader['end']>): void {
  post({ type: 'done', imported: analyzeImport(input) });
}

self.onmessage = (event: MessageEvent<ImportRequest>) => {
  importFile(event.data.file).catch((error: unknown) => {
    post({ type: 'failed', message: error instanceof InputError || error instanceof Error ? error.message : String(error) });
  });
};
