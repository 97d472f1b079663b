/**
 * Any input, read in chunks: a HAR of any size goes through the streaming reader and is never
 * held whole; anything else (an exported report, one exchange, a raw token response) is held
 * until its end, up to a cap, and read by `readInput` as before. Which one it is shows as the
 * chunks come: once the reader is inside `log.entries`, the bytes held so far are dropped.
 * Pure: the CLI feeds it from files, stdin and gunzip, the import worker from `File.stream()`.
 */
import { type HarSink, type HarStreamOptions, HarStreamReader, type HarStreamResult } from './har-stream/index.js';
import { type Input, InputError, readInput } from './input.js';

/** Input that is not a HAR is held whole to be read: past this many bytes it is refused. */
export const MAX_OTHER_INPUT_BYTES = 256 * 1024 * 1024;

export type StreamedInput = { kind: 'har'; result: HarStreamResult } | Exclude<Input, { kind: 'har' }>;

export interface InputStreamOptions extends HarStreamOptions {
  maxOtherBytes?: number;
}

export class InputStreamReader {
  private readonly har: HarStreamReader;
  private readonly maxOtherBytes: number;
  /** The bytes so far, while the input may still be something other than a HAR; null once it is one (or too large). */
  private held: Uint8Array[] | null = [];
  private heldBytes = 0;
  private tooLarge = false;

  constructor(
    private readonly name: string,
    private readonly startedAt: string,
    options: InputStreamOptions = {},
    /** Where entries go (default: read at once): deferred.ts `DeferredEntries` to read them elsewhere, then `endSettled`. */
    sink?: HarSink,
  ) {
    this.har = new HarStreamReader(options, sink);
    this.maxOtherBytes = options.maxOtherBytes ?? MAX_OTHER_INPUT_BYTES;
  }

  push(chunk: Uint8Array): void {
    this.har.push(chunk);
    if (this.held === null) return;
    if (this.har.isHar()) {
      this.held = null;
      return;
    }
    this.heldBytes += chunk.length;
    if (this.heldBytes > this.maxOtherBytes) {
      this.held = null;
      this.tooLarge = true;
      return;
    }
    // A copy: the source may reuse its buffer.
    this.held.push(chunk.slice());
  }

  progress(): { bytes: number; entries: number; exchanges: number } {
    return this.har.progress();
  }

  /** Stops (a cancel): what was read, as a HAR cut short, or an InputError for anything else. */
  abort(message = 'reading was cancelled'): StreamedInput {
    return this.abortedWith(this.har.abort(message), message);
  }

  /** `abort` when entries are read elsewhere: `settle` resolves once every entry read is applied. */
  async abortSettled(settle: () => Promise<void>, message = 'reading was cancelled'): Promise<StreamedInput> {
    const result = this.har.abort(message);
    await settle();
    return this.abortedWith(result, message);
  }

  private abortedWith(result: HarStreamResult, message: string): StreamedInput {
    if (this.har.isHar()) return { kind: 'har', result };
    throw new InputError(`${this.name}: ${message}`);
  }

  /** The end of the input. Throws InputError for input that cannot be read at all. */
  end(): StreamedInput {
    return this.concluded(this.har.end());
  }

  /** `end` when entries are read elsewhere: `settle` resolves once every entry read is applied. */
  async endSettled(settle: () => Promise<void>): Promise<StreamedInput> {
    const result = this.har.end();
    await settle();
    return this.concluded(result);
  }

  private concluded(result: HarStreamResult): StreamedInput {
    if (this.har.isHar()) return { kind: 'har', result };
    if (this.tooLarge || this.held === null) {
      throw new InputError(
        `${this.name} is not a HAR file (${result.error?.message ?? 'no log.entries array'}) and, at over ${Math.round(this.maxOtherBytes / 1024 / 1024)} MB, too large to read as a report or a token response`,
      );
    }
    const bytes = new Uint8Array(this.heldBytes);
    let at = 0;
    for (const piece of this.held) {
      bytes.set(piece, at);
      at += piece.length;
    }
    this.held = null;
    const input = readInput(new TextDecoder().decode(bytes), this.name, this.startedAt);
    // The stream reader finds every log.entries JSON.parse finds: a HAR never gets here.
    if (input.kind === 'har') throw new Error(`${this.name}: a HAR the stream reader missed`);
    return input;
  }
}

/** Reads a whole input from an async source of byte chunks. */
export async function readInputStream(
  source: AsyncIterable<Uint8Array>,
  name: string,
  startedAt: string,
  options: InputStreamOptions & {
    onProgress?: (progress: { bytes: number; entries: number; exchanges: number }) => void;
    signal?: AbortSignal;
  } = {},
): Promise<StreamedInput> {
  const reader = new InputStreamReader(name, startedAt, options);
  for await (const chunk of source) {
    if (options.signal?.aborted) return reader.abort();
    reader.push(chunk);
    options.onProgress?.(reader.progress());
  }
  return reader.end();
}
