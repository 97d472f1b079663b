/**
 * The streaming HAR reader: fed the file in chunks (bytes, split anywhere; or text, encoded to
 * UTF-8), it walks `{ "log": { "entries": [ ... ] } }` with a small state machine over the bytes,
 * finds each entry's extent without decoding it (byte-scan.ts), and hands each whole entry's bytes
 * to a sink: the `EntryCollector` reads it at once (collect.ts: decoded and JSON.parsed only if
 * its bytes say it can matter), or the CLI's worker threads read it (deferred.ts) and the
 * collector applies their outcomes in order. It holds one entry at a time (capped), the
 * exchanges, and the distinct Bearer token values; never the document.
 */
import { ByteSkipper, ScanError } from './byte-scan.js';
import { oversizedEntry } from './oversize.js';
import type { HarStreamOptions, HarStreamResult } from './result.js';
import { DirectSink, type HarSink } from './sink.js';

export const MAX_ENTRY_CHARS = 64 * 1024 * 1024;

enum S {
  Root,
  KeyOrEnd,
  Key,
  KeyString,
  Colon,
  Value,
  AfterMember,
  ElementOrEnd,
  Element,
  AfterElement,
  Skip,
  Scalar,
  Entry,
  Done,
  Failed,
}

const SCALAR = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)$/;
const isSpace = (c: number | undefined) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
const isDelimiter = (c: number) => isSpace(c) || c === 0x2c || c === 0x7d || c === 0x5d;
const BOM = [0xef, 0xbb, 0xbf];
const MAX_KEY_BYTES = 256;
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

export class HarStreamReader {
  private readonly skipper = new ByteSkipper();
  private readonly maxEntryBytes: number;
  private readonly sink: HarSink;
  private readonly result: HarStreamResult;
  private state = S.Root;
  /** 0: the root object; 1: log. */
  private level = 0;
  /** Where a skipped value returns: AfterMember or AfterElement. */
  private after = S.AfterMember;
  private key: number[] = [];
  private scalar: number[] = [];
  /** Elements of log.entries so far (as the sink counts them), for messages. */
  private elements = 0;
  /** The current chunk starts at this byte of the input. */
  private chunkStart = 0;
  // The entry being read: its pieces (copies) from earlier chunks, where it starts in the current chunk.
  private pieces: Uint8Array[] = [];
  private entryBytes = 0;
  private entryFrom = 0;
  private entryStartByte = 0;
  private oversized: Map<string, string> | null = null;

  constructor(options: HarStreamOptions = {}, sink?: HarSink) {
    this.maxEntryBytes = options.maxEntryChars ?? MAX_ENTRY_CHARS;
    this.sink = sink ?? new DirectSink(options.maxExchanges ?? Number.POSITIVE_INFINITY, options.asciiView);
    this.result = this.sink.result;
  }

  /** Feeds the next chunk: bytes (UTF-8, split anywhere) or text. Do not mix the two. */
  push(chunk: Uint8Array | string): void {
    if (this.state === S.Failed) return;
    const bytes = typeof chunk === 'string' ? encoder.encode(chunk) : chunk;
    const start = this.result.bytes;
    this.result.bytes += bytes.length;
    if (bytes.length === 0) return;
    this.chunkStart = start;
    try {
      this.process(bytes);
    } catch (error) {
      if (!(error instanceof ScanError)) throw error;
      this.fail(start + error.at, `malformed JSON: ${error.message}`);
    }
  }

  /** Whether the input is a HAR: reading got inside a root `log.entries` array (a later duplicate member can undo it). */
  isHar(): boolean {
    return this.sink.isHar();
  }

  /** How far reading got. */
  progress(): { bytes: number; entries: number; exchanges: number } {
    return { bytes: this.result.bytes, entries: this.result.entries, exchanges: this.result.exchanges.length };
  }

  /** Stops reading (a cancel): the result of what was read, with `message` as the error. */
  abort(message = 'reading was cancelled'): HarStreamResult {
    this.fail(this.result.bytes, message);
    return this.end();
  }

  /** No more input: the result (with an error if the HAR is cut off or is not a HAR). */
  end(): HarStreamResult {
    if (this.state !== S.Done && this.state !== S.Failed) {
      const where =
        this.state === S.Entry
          ? `inside entry ${this.elements} (counting from 1; it starts at byte ${this.entryStartByte})`
          : 'before the end of the document';
      this.fail(this.result.bytes, `the HAR is cut off: it ends ${where}`);
    } else if (this.state === S.Done && !this.sawEntries) {
      this.fail(0, 'not a HAR file: no log.entries array');
    }
    this.state = S.Failed;
    return this.result;
  }

  /** Scanner-side: whether the last log.entries member seen was an array (the sink says it for the input). */
  private sawEntries = false;
  /** Bytes of a BOM seen at the start of the input. */
  private bom = 0;

  private fail(offset: number, message: string): void {
    if (this.state === S.Failed) return;
    this.state = S.Failed;
    this.pieces = [];
    this.sink.fail(offset, message);
  }

  /** The character at `i` as the old text reader named it (its first UTF-16 unit), for messages. */
  private unexpected(bytes: Uint8Array, i: number, expected: string): void {
    const found = i >= bytes.length ? 'the end' : JSON.stringify(decoder.decode(bytes.subarray(i, i + 4))[0]);
    this.fail(this.chunkStart + i, `malformed JSON: expected ${expected}, found ${found}`);
  }

  /** The state machine over one chunk; returns when the chunk is used up or reading failed. */
  private process(bytes: Uint8Array): void {
    let i = 0;
    const n = bytes.length;
    while (i < n && this.state !== S.Failed) {
      if (this.state === S.Entry) i = this.entry(bytes, i);
      else if (this.state === S.Skip) i = this.skip(bytes, i);
      else if (this.state === S.KeyString) i = this.keyString(bytes, i);
      else if (this.state === S.Scalar) i = this.scalarBytes(bytes, i);
      else if (this.state === S.Root && this.chunkStart + i === this.bom && bytes[i] === BOM[this.bom]) {
        this.bom++;
        i++;
      } else if (this.state === S.Root && this.bom > 0 && this.bom < 3) {
        // A BOM cut short: the decoder made U+FFFD of it, which is not "{".
        this.fail(0, 'not a HAR file: the document is not a JSON object');
      } else if (isSpace(bytes[i])) i++;
      else i = this.token(bytes, i);
    }
  }

  /** One structural character outside entries, strings and skipped values. */
  private token(bytes: Uint8Array, i: number): number {
    const c = bytes[i];
    switch (this.state) {
      case S.Root:
        if (c !== 0x7b) {
          this.fail(this.chunkStart + i, 'not a HAR file: the document is not a JSON object');
          return i;
        }
        this.state = S.KeyOrEnd;
        return i + 1;
      case S.KeyOrEnd:
      case S.Key:
        if (c === 0x22) {
          this.key = [];
          this.skipper.startString();
          this.state = S.KeyString;
          return i + 1;
        }
        if (c === 0x7d && this.state === S.KeyOrEnd) return this.closeObject(i);
        this.unexpected(bytes, i, 'a member name');
        return i;
      case S.Colon:
        if (c !== 0x3a) this.unexpected(bytes, i, '":"');
        else this.state = S.Value;
        return i + 1;
      case S.Value:
        return this.memberValue(bytes, i);
      case S.AfterMember:
        if (c === 0x2c) this.state = S.Key;
        else if (c === 0x7d) return this.closeObject(i);
        else this.unexpected(bytes, i, '"," or "}"');
        return i + 1;
      case S.ElementOrEnd:
      case S.Element:
        if (c === 0x5d && this.state === S.ElementOrEnd) {
          this.state = S.AfterMember;
          return i + 1;
        }
        this.elements++;
        this.sink.element();
        if (c === 0x7b) return this.startEntry(bytes, i);
        return this.startSkip(bytes, i, S.AfterElement);
      case S.AfterElement:
        if (c === 0x2c) this.state = S.Element;
        else if (c === 0x5d) this.state = S.AfterMember;
        else this.unexpected(bytes, i, '"," or "]"');
        return i + 1;
      default:
        this.unexpected(bytes, i, 'nothing after the end of the document');
        return i;
    }
  }

  private closeObject(i: number): number {
    if (this.level === 1) {
      this.level = 0;
      this.state = S.AfterMember;
    } else this.state = S.Done;
    return i + 1;
  }

  /** A member name, read across chunks (names past 256 bytes are not ones this reader looks for). */
  private keyString(bytes: Uint8Array, i: number): number {
    const end = this.skipper.scan(bytes, i);
    const stop = end === -1 ? bytes.length : end - 1;
    if (this.key.length <= MAX_KEY_BYTES)
      for (let k = i; k < stop && this.key.length <= MAX_KEY_BYTES; k++) this.key.push(bytes[k] as number);
    if (end === -1) return bytes.length;
    this.state = S.Colon;
    return end;
  }

  /** The value of a member of the root object or of log: log and entries are walked, the rest skipped. */
  private memberValue(bytes: Uint8Array, i: number): number {
    let name: string | null = null;
    try {
      name = this.key.length <= MAX_KEY_BYTES ? (JSON.parse(`"${decoder.decode(Uint8Array.from(this.key))}"`) as string) : null;
    } catch {
      this.unexpected(bytes, i, 'a valid member name');
      return i;
    }
    const c = bytes[i];
    if (this.level === 0 && name === 'log') {
      // JSON.parse keeps the last of duplicate members: a later "log" replaces what an earlier one gave.
      this.resetEntries();
      if (c === 0x7b) {
        this.level = 1;
        this.state = S.KeyOrEnd;
        return i + 1;
      }
    } else if (this.level === 1 && name === 'entries') {
      this.resetEntries();
      if (c === 0x5b) {
        this.sawEntries = true;
        this.sink.enter();
        this.state = S.ElementOrEnd;
        return i + 1;
      }
    }
    return this.startSkip(bytes, i, S.AfterMember);
  }

  private resetEntries(): void {
    this.sink.reset();
    this.elements = 0;
    this.sawEntries = false;
  }

  private startSkip(bytes: Uint8Array, i: number, after: S): number {
    const c = bytes[i] as number;
    this.after = after;
    if (c === 0x7b || c === 0x5b) this.skipper.startContainer(c);
    else if (c === 0x22) this.skipper.startString();
    else {
      this.scalar = [];
      this.state = S.Scalar;
      return i;
    }
    this.state = S.Skip;
    return i + 1;
  }

  private skip(bytes: Uint8Array, i: number): number {
    const end = this.skipper.scan(bytes, i);
    if (end === -1) return bytes.length;
    this.state = this.after;
    return end;
  }

  private scalarBytes(bytes: Uint8Array, i: number): number {
    let j = i;
    while (j < bytes.length && !isDelimiter(bytes[j] as number)) j++;
    for (let k = i; k < j && this.scalar.length < 80; k++) this.scalar.push(bytes[k] as number);
    if (j === bytes.length) return j;
    const scalar = decoder.decode(Uint8Array.from(this.scalar));
    if (!SCALAR.test(scalar)) {
      this.fail(this.chunkStart + i, `malformed JSON: ${JSON.stringify(scalar.slice(0, 20))} is not a JSON value`);
      return j;
    }
    this.state = this.after;
    return j;
  }

  private startEntry(bytes: Uint8Array, i: number): number {
    this.pieces = [];
    this.entryBytes = 0;
    this.entryFrom = i;
    this.entryStartByte = this.chunkStart + i;
    this.oversized = null;
    this.skipper.startContainer(0x7b);
    this.state = S.Entry;
    return this.entry(bytes, i + 1);
  }

  /** Crosses the entry being read; at its end, hands it to the sink. */
  private entry(bytes: Uint8Array, i: number): number {
    const end = this.skipper.scan(bytes, i);
    if (end === -1) {
      this.keep(bytes.subarray(this.entryFrom));
      this.entryFrom = 0;
      return bytes.length;
    }
    this.state = S.AfterElement;
    const last = bytes.subarray(this.entryFrom, end);
    if (this.oversized) {
      this.entryBytes += last.length;
      this.sink.oversized(this.oversized, this.entryStartByte, this.entryBytes, this.maxEntryBytes);
      this.oversized = null;
    } else {
      const whole = this.pieces.length === 0 ? last : join([...this.pieces, last], this.entryBytes + last.length);
      this.pieces = [];
      if (!this.sink.entry(whole, this.entryStartByte, this.skipper.words)) this.state = S.Failed;
    }
    return end;
  }

  /** Holds a piece of the entry (a copy: the source may reuse its buffer), or past the cap only the members complete so far. */
  private keep(piece: Uint8Array): void {
    this.entryBytes += piece.length;
    if (this.oversized) return;
    this.pieces.push(piece.slice());
    if (this.entryBytes > this.maxEntryBytes) {
      this.oversized = oversizedEntry.members(join(this.pieces, this.entryBytes));
      this.pieces = [];
    }
  }
}

function join(pieces: Uint8Array[], length: number): Uint8Array {
  const whole = new Uint8Array(length);
  let at = 0;
  for (const piece of pieces) {
    whole.set(piece, at);
    at += piece.length;
  }
  return whole;
}

export type { AsciiView, HarStreamError, HarStreamOptions, HarStreamResult } from './result.js';

/** A streaming HAR reader: `push` chunks, then `end()` for the result. */
export function createHarStreamReader(options: HarStreamOptions = {}): HarStreamReader {
  return new HarStreamReader(options);
}
