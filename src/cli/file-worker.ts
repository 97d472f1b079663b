/**
 * A worker thread of the CLI (started by read-inputs.ts): reads the files it is given, one at
 * a time, and answers with what each holds; keeps each HAR's Bearer token table until asked
 * which uses match the issued tokens. Or (entry-pool.ts) reads batches of one large HAR's entries.
 */
import { parentPort } from 'node:worker_threads';
import { type HarStreamResult, matchBearerUses, readEntries } from '../core/har-stream/index.js';
import { InputError } from '../core/input.js';
import { type FromEntryWorker, latin1View, type ToEntryWorker } from './entry-pool.js';
import type { FromWorker, ToWorker } from './read-inputs.js';
import { toReadInput } from './read-inputs.js';
import { fileSource, readSource } from './sources.js';

/** Progress is sent at most this often (ms). */
const PROGRESS_EVERY = 100;

export function serveFileWorker(): void {
  const port = parentPort;
  if (!port) throw new Error('serveFileWorker: not in a worker thread');
  const hars = new Map<number, HarStreamResult>();
  const send = (message: FromWorker | FromEntryWorker) => port.postMessage(message);
  port.on('message', async (message: ToWorker | ToEntryWorker) => {
    try {
      if (message.type === 'entries') {
        send({ type: 'outcomes', id: message.id, outcomes: readEntries(message.batch, latin1View) });
        return;
      }
      if (message.type === 'match') {
        const values = new Set(message.values);
        send({ type: 'matched', uses: [...hars].map(([index, result]) => [index, matchBearerUses(result, values)]) });
        return;
      }
      const { index } = message;
      let last = 0;
      try {
        const input = await readSource(fileSource(message.file, message.cwd), {
          onProgress: (progress) => {
            const now = Date.now();
            if (now - last < PROGRESS_EVERY) return;
            last = now;
            send({ type: 'progress', index, progress });
          },
        });
        if (input.kind === 'har') hars.set(index, input.result);
        send({ type: 'read', index, input: toReadInput(input) });
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        send({ type: 'unreadable', index, message: error.message });
      }
    } catch (error) {
      send({ type: 'crashed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    }
  });
}
