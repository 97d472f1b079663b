/**
 * The streaming HAR reader: fed the file in chunks (bytes or text, split anywhere), it walks
 * `{ "log": { "entries": [ ... ] } }` with a small state machine, finds each entry's extent
 * without parsing it (scan.ts), JSON.parses only the entries whose raw text can matter
 * (entry.ts) and drops the rest. It holds one entry at a time (capped), the exchanges, and
 * the distinct Bearer token values; never the document.
 */
import { EntryCollector } from './collect.js';
import { oversizedEntry } from './oversize.js';
import type { HarStreamOptions, HarStreamResult } from './result.js';
import { Replacements } from './replacements.js';
import { heldBack, ScanError, utf8Length, utf8LengthFast, ValueSkipper } from './scan.js';

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
const DELIMITER = /[\s,}\]]/;
const isSpace = (c: string | undefined) => c === ' ' || c === '\n' || c === '\r' || c === '\t';

export class HarStreamReader {
  private readonly decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  private readonly skipper = new ValueSkipper();
  private readonly maxEntryChars: number;
  private readonly collector: EntryCollector;
  private readonly result: HarStreamResult;
  private state = S.Root;
  /** 0: the root object; 1: log. */
  private level = 0;
  /** Where a skipped value returns: AfterMember or AfterElement. */
  private after = S.AfterMember;
  private key = '';
  private scalar = '';
  private foundEntries = false;
  // Byte accounting: the current text starts at byte `textStart`.
  private tail: number[] = [];
  private held = 0;
  private textStart = 0;
  private text = '';
  /** UTF-16 units decoded before the current text, and where the decoder replaced bad bytes (replacements.ts). */
  private textUnit = 0;
  private unitsFed = 0;
  private readonly replacements = new Replacements();
  // The entry being read.
  private pieces: string[] = [];
  private entryChars = 0;
  private entryStart = 0;
  /** Where the entry started: in which text (starting at which byte), at which index. Made a byte offset only when needed. */
  private entryAt = { text: '', textStart: 0, index: 0, unit: 0 };
  private oversized: Map<string, string> | null = null;

  constructor(options: HarStreamOptions = {}) {
    this.maxEntryChars = options.maxEntryChars ?? MAX_ENTRY_CHARS;
    this.collector = new EntryCollector(options.maxExchanges ?? Number.POSITIVE_INFINITY);
    this.result = this.collector.result;
  }

  /** Feeds the next chunk: bytes (UTF-8, split anywhere) or text. Do not mix the two. */
  push(chunk: Uint8Array | string): void {
    if (this.state === S.Failed) return;
    if (typeof chunk === 'string') {
      const start = this.result.bytes;
      this.result.bytes += utf8LengthFast(chunk);
      this.feed(chunk, start);
      return;
    }
    const start = this.result.bytes - this.held;
    const before = this.tail.slice(this.tail.length - this.held);
    this.result.bytes += chunk.length;
    const last = chunk.subarray(Math.max(0, chunk.length - 3));
    this.tail = [...this.tail, ...last].slice(-3);
    this.held = heldBack(this.tail);
    const text = this.decoder.decode(chunk, { stream: true });
    // The bytes this text came from: those held back before, and this chunk but what is held back now.
    const held = this.held;
    this.replacements.record(() => Uint8Array.from([...before, ...chunk.subarray(0, chunk.length - held)]), text, this.unitsFed);
    this.feed(text, start);
  }

  /** Whether the input is a HAR: reading got inside a root `log.entries` array (a later duplicate member can undo it). */
  isHar(): boolean {
    return this.foundEntries;
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
    const rest = this.decoder.decode();
    const held = this.tail.slice(this.tail.length - this.held);
    this.replacements.record(() => Uint8Array.from(held), rest, this.unitsFed);
    if (rest) this.feed(rest, this.result.bytes - this.held);
    if (this.state !== S.Done && this.state !== S.Failed) {
      const where =
        this.state === S.Entry
          ? `inside entry ${this.result.entries} (counting from 1; it starts at byte ${this.startByteOfEntry()})`
          : 'before the end of the document';
      this.fail(this.result.bytes, `the HAR is cut off: it ends ${where}`);
    } else if (this.state === S.Done && !this.foundEntries) {
      this.fail(0, 'not a HAR file: no log.entries array');
    }
    this.state = S.Failed;
    return this.result;
  }

  private feed(text: string, startByte: number): void {
    if (text === '' || this.state === S.Failed) return;
    this.text = text;
    this.textStart = startByte;
    this.textUnit = this.unitsFed;
    this.unitsFed += text.length;
    this.replacements.forget(this.state === S.Entry ? this.entryAt.unit : this.textUnit);
    this.skipper.newText();
    try {
      this.process(text, 0);
    } catch (error) {
      if (!(error instanceof ScanError)) throw error;
      this.fail(this.byteAt(error.at), `malformed JSON: ${error.message}`);
    }
  }

  private byteAt(index: number): number {
    return this.textStart + utf8Length(this.text.slice(0, index)) - this.replacements.deficit(this.textUnit, this.textUnit + index);
  }

  private fail(offset: number, message: string): void {
    if (this.state === S.Failed) return;
    this.state = S.Failed;
    this.pieces = [];
    this.result.error = { offset, message };
    const { exchanges, entries } = this.result;
    this.result.notes.push(
      `Reading stopped at byte ${offset} (${message}); the ${exchanges.length} exchange(s) of the ${entries} entries before it were read.`,
    );
  }

  private unexpected(text: string, i: number, expected: string): void {
    const found = text[i] === undefined ? 'the end' : JSON.stringify(text[i]);
    this.fail(this.byteAt(i), `malformed JSON: expected ${expected}, found ${found}`);
  }

  /** The state machine over one text; returns when the text is used up or reading failed. */
  private process(text: string, from: number): void {
    let i = from;
    while (i < text.length && this.state !== S.Failed) {
      if (this.state === S.Entry) i = this.entry(text, i);
      else if (this.state === S.Skip) i = this.skip(text, i);
      else if (this.state === S.KeyString) i = this.keyString(text, i);
      else if (this.state === S.Scalar) i = this.scalarChars(text, i);
      else if (isSpace(text[i]) || (i === 0 && this.state === S.Root && text[0] === '\uFEFF' && this.textStart === 0)) i++;
      else i = this.token(text, i);
    }
  }

  /** One structural character outside entries, strings and skipped values. */
  private token(text: string, i: number): number {
    const c = text[i];
    switch (this.state) {
      case S.Root:
        if (c !== '{') {
          this.fail(this.byteAt(i), 'not a HAR file: the document is not a JSON object');
          return i;
        }
        this.state = S.KeyOrEnd;
        return i + 1;
      case S.KeyOrEnd:
      case S.Key:
        if (c === '"') {
          this.key = '';
          this.skipper.startString();
          this.state = S.KeyString;
          return i + 1;
        }
        if (c === '}' && this.state === S.KeyOrEnd) return this.closeObject(i);
        this.unexpected(text, i, 'a member name');
        return i;
      case S.Colon:
        if (c !== ':') this.unexpected(text, i, '":"');
        else this.state = S.Value;
        return i + 1;
      case S.Value:
        return this.memberValue(text, i);
      case S.AfterMember:
        if (c === ',') this.state = S.Key;
        else if (c === '}') return this.closeObject(i);
        else this.unexpected(text, i, '"," or "}"');
        return i + 1;
      case S.ElementOrEnd:
      case S.Element:
        if (c === ']' && this.state === S.ElementOrEnd) {
          this.state = S.AfterMember;
          return i + 1;
        }
        this.result.entries++;
        if (c === '{') return this.startEntry(text, i);
        return this.startSkip(text, i, S.AfterElement);
      case S.AfterElement:
        if (c === ',') this.state = S.Element;
        else if (c === ']') this.state = S.AfterMember;
        else this.unexpected(text, i, '"," or "]"');
        return i + 1;
      default:
        this.unexpected(text, i, 'nothing after the end of the document');
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

  /** A member name, read across chunks (names past 256 characters are not ones this reader looks for). */
  private keyString(text: string, i: number): number {
    const end = this.skipper.scan(text, i);
    const part = text.slice(i, end === -1 ? text.length : end - 1);
    if (this.key.length < 256) this.key += part.slice(0, 257 - this.key.length);
    if (end === -1) return text.length;
    this.state = S.Colon;
    return end;
  }

  /** The value of a member of the root object or of log: log and entries are walked, the rest skipped. */
  private memberValue(text: string, i: number): number {
    let name: string | null = null;
    try {
      name = this.key.length <= 256 ? (JSON.parse(`"${this.key}"`) as string) : null;
    } catch {
      this.unexpected(text, i, 'a valid member name');
      return i;
    }
    const c = text[i];
    if (this.level === 0 && name === 'log') {
      // JSON.parse keeps the last of duplicate members: a later "log" replaces what an earlier one gave.
      this.resetEntries();
      if (c === '{') {
        this.level = 1;
        this.state = S.KeyOrEnd;
        return i + 1;
      }
    } else if (this.level === 1 && name === 'entries') {
      this.resetEntries();
      if (c === '[') {
        this.foundEntries = true;
        this.state = S.ElementOrEnd;
        return i + 1;
      }
    }
    return this.startSkip(text, i, S.AfterMember);
  }

  private resetEntries(): void {
    this.collector.reset();
    this.foundEntries = false;
  }

  private startSkip(text: string, i: number, after: S): number {
    const c = text[i] as string;
    this.after = after;
    if (c === '{' || c === '[') this.skipper.startContainer(c.charCodeAt(0));
    else if (c === '"') this.skipper.startString();
    else {
      this.scalar = '';
      this.state = S.Scalar;
      return i;
    }
    this.state = S.Skip;
    return i + 1;
  }

  private skip(text: string, i: number): number {
    const end = this.skipper.scan(text, i);
    if (end === -1) return text.length;
    this.state = this.after;
    return end;
  }

  private scalarChars(text: string, i: number): number {
    let j = i;
    while (j < text.length && !DELIMITER.test(text[j] as string)) j++;
    if (this.scalar.length < 64) this.scalar += text.slice(i, Math.min(j, i + 64));
    if (j === text.length) return j;
    if (!SCALAR.test(this.scalar)) {
      this.fail(this.byteAt(i), `malformed JSON: ${JSON.stringify(this.scalar.slice(0, 20))} is not a JSON value`);
      return j;
    }
    this.state = this.after;
    return j;
  }

  private startEntry(text: string, i: number): number {
    this.pieces = [];
    this.entryChars = 0;
    this.entryStart = i;
    this.entryAt = { text: this.text, textStart: this.textStart, index: i, unit: this.textUnit + i };
    this.oversized = null;
    this.skipper.startContainer(0x7b);
    this.state = S.Entry;
    // Crossed now, even if the text ends right after the "{": the piece kept starts at it.
    return this.entry(text, i + 1);
  }

  private startByteOfEntry(): number {
    const { text, textStart, index, unit } = this.entryAt;
    return textStart + utf8Length(text.slice(0, index)) - this.replacements.deficit(unit - index, unit);
  }

  /** Crosses the entry being read; at its end, reads it if it can matter. */
  private entry(text: string, i: number): number {
    const end = this.skipper.scan(text, i);
    if (end === -1) {
      this.keep(text.slice(this.entryStart));
      this.entryStart = 0;
      return text.length;
    }
    this.state = S.AfterElement;
    const last = text.slice(this.entryStart, end);
    if (this.oversized) {
      this.entryChars += last.length;
      this.readOversized();
    } else {
      const whole = this.pieces.length === 0 ? last : this.pieces.join('') + last;
      this.pieces = [];
      this.read(whole);
    }
    return end;
  }

  /** Holds a piece of the entry, or (past the cap) keeps only the members complete so far. */
  private keep(piece: string): void {
    this.entryChars += piece.length;
    if (this.oversized) return;
    this.pieces.push(piece);
    if (this.entryChars > this.maxEntryChars) {
      this.oversized = oversizedEntry.members(this.pieces.join(''));
      this.pieces = [];
    }
  }

  private readOversized(): void {
    const where = `Entry ${this.result.entries} (at byte ${this.startByteOfEntry()}, ${this.entryChars} characters)`;
    this.collector.readOversized(this.oversized as Map<string, string>, `${where} is over the ${this.maxEntryChars}-character limit`);
    this.oversized = null;
  }

  private read(text: string): void {
    const fault = this.collector.read(text);
    if (fault)
      this.fail(
        this.startByteOfEntry() + fault.at - this.replacements.deficit(this.entryAt.unit, this.entryAt.unit + fault.unit),
        `malformed JSON in entry ${this.result.entries} (counting from 1): ${fault.message}`,
      );
  }
}

export type { HarStreamError, HarStreamOptions, HarStreamResult } from './result.js';

/** A streaming HAR reader: `push` chunks, then `end()` for the result. */
export function createHarStreamReader(options: HarStreamOptions = {}): HarStreamReader {
  return new HarStreamReader(options);
}
