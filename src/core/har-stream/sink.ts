/** Where the streaming reader sends what it finds: an interface, and the sink that reads each entry at once. */
import { EntryCollector, readEntry } from './collect.js';
import type { AsciiView, HarStreamResult } from './result.js';

/**
 * Where the reader sends what it finds, in the file's order. The `EntryCollector` is one (entries
 * read at once); deferred.ts's `DeferredEntries` is the other (entries read elsewhere, then applied).
 */
export interface HarSink {
  readonly result: HarStreamResult;
  /** An element of log.entries starts. */
  element(): void;
  /** log.entries starts. */
  enter(): void;
  /** A whole entry: its bytes (valid only during the call), the byte it starts at, the words byte-scan.ts saw. False: stop reading. */
  entry(bytes: Uint8Array, start: number, words: number): boolean;
  /** An entry over the cap: its members complete when it crossed it. */
  oversized(members: Map<string, string>, start: number, bytes: number, max: number): void;
  /** A later "log" or "entries" member replaces what an earlier one gave. */
  reset(): void;
  fail(offset: number, message: string): void;
  /** Whether the input is a HAR (reading got inside a root log.entries array). */
  isHar(): boolean;
}

/** Reads each entry as it is found. */
export class DirectSink extends EntryCollector implements HarSink {
  constructor(
    maxExchanges: number,
    private readonly ascii: AsciiView | undefined,
  ) {
    super(maxExchanges);
  }
  entry(bytes: Uint8Array, start: number, words: number): boolean {
    return this.apply(readEntry(bytes, words, this.ascii), start);
  }
  oversized(members: Map<string, string>, start: number, bytes: number, max: number): void {
    this.readOversized(members, start, bytes, max);
  }
  isHar(): boolean {
    return this.foundEntries;
  }
}
