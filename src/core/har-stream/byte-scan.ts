/**
 * Finding where a JSON value ends on the file's bytes, across chunks, without decoding them.
 * Every byte of a multi-byte UTF-8 character is 0x80 or over, so the ASCII bytes that structure
 * JSON (quote, backslash, brackets) are found as they are, and an offset is the file's own byte.
 * String bodies are crossed with `indexOf(0x22)`; between strings only the next quote or bracket
 * is looked for (each position cached until passed), as scan.ts does on text.
 *
 * While crossing, each string's first bytes are looked at for the words that make an entry
 * matter (entry.ts `need`): `"Bearer`, `"DPoP `, `"POST"`, `"base64"` (ASCII case folded).
 * Only a string's opening quote is looked at: a header value, a method and an encoding are
 * strings of their own; an escaped quote inside a body (`\"Bearer`) is not one of them.
 */
import { ScanError } from './scan.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/** Words found at the start of a string of the value crossed (a bit set). */
export const WORD = { bearer: 1, post: 2, base64: 4 } as const;

/** The most bytes a word test looks at after the quote (`base64"`). */
const WORD_BYTES = 7;

const lower = (byte: number | undefined) => (byte === undefined ? -1 : byte | 0x20);

/**
 * The word a string starts with, from the bytes after its opening quote at `q`: a WORD bit, 0 for
 * none, or -1 when the bytes end before it is known. ASCII letters fold as readHar's
 * `/"(?:bearer|dpop |po(?:[sſ]t|[ﬅﬆ])"|base64")/i` folds them (ſ is C5 BF, ﬅ and ﬆ EF AC 85 / 86).
 */
export function wordAt(bytes: ArrayLike<number>, q: number, n: number): number {
  const at = (k: number) => (q + k < n ? bytes[q + k] : undefined);
  // Compares the bytes after the quote with `word` (lower-case letters fold, other bytes exact).
  const starts = (word: readonly number[], from: number): boolean | null => {
    for (let k = 0; k < word.length; k++) {
      const byte = at(from + k);
      if (byte === undefined) return null;
      const want = word[k] as number;
      if ((want >= 0x61 && want <= 0x7a ? byte | 0x20 : byte) !== want) return false;
    }
    return true;
  };
  const first = lower(at(1));
  if (first === -1) return -1;
  if (first === 0x62) {
    const bearer = starts(BEARER_REST, 2);
    if (bearer) return WORD.bearer;
    const base64 = starts(BASE64_REST, 2);
    if (base64) return WORD.base64;
    return bearer === null || base64 === null ? -1 : 0;
  }
  if (first === 0x64) {
    const dpop = starts(DPOP_REST, 2);
    return dpop === null ? -1 : dpop ? WORD.bearer : 0;
  }
  if (first !== 0x70) return 0;
  const o = lower(at(2));
  if (o === -1) return -1;
  if (o !== 0x6f) return 0;
  const third = at(3);
  if (third === undefined) return -1;
  const post =
    (third | 0x20) === 0x73
      ? starts(T_QUOTE, 4)
      : third === 0xc5
        ? starts(LONG_S_T_QUOTE, 4)
        : third === 0xef
          ? starts(LIGATURE, 4)
          : false;
  if (post === null) return -1;
  if (post && third === 0xef) {
    const last = at(6);
    if (last === undefined) return -1;
    return last === QUOTE && (at(5) === 0x85 || at(5) === 0x86) ? WORD.post : 0;
  }
  return post ? WORD.post : 0;
}

const bytesOf = (text: string) => Array.from(text, (c) => c.charCodeAt(0));
const BEARER_REST = bytesOf('earer');
const BASE64_REST = bytesOf('ase64"');
const DPOP_REST = bytesOf('pop ');
const T_QUOTE = bytesOf('t"');
const LONG_S_T_QUOTE = [0xbf, 0x74, QUOTE];
const LIGATURE = [0xac];

/** The number of backslashes right before `end`, not looking before `start`. */
function backslashesBefore(bytes: Uint8Array, end: number, start: number): number {
  let count = 0;
  for (let i = end - 1; i >= start && bytes[i] === BACKSLASH; i--) count++;
  return count;
}

function indexOrEnd(bytes: Uint8Array, byte: number, from: number): number {
  const at = bytes.indexOf(byte, from);
  return at === -1 ? bytes.length : at;
}

/**
 * One JSON value being crossed on bytes: started with `startContainer` (at a `{` or `[`) or
 * `startString` (at a `"`), then fed chunks with `scan` until it says where the value ends.
 * `words` holds the WORD bits of the strings crossed since the start.
 */
export class ByteSkipper {
  words = 0;
  private readonly stack: number[] = [];
  private inString = false;
  /** The previous chunk ended inside a string on an odd run of backslashes: the next byte is escaped. */
  private escaped = false;
  /** The bytes from an opening quote to the end of the previous chunk, when they were too few to tell its word. */
  private pendingWord: number[] | null = null;
  private quote = -1;
  private openBrace = -1;
  private closeBrace = -1;
  private openBracket = -1;
  private closeBracket = -1;

  /** The next `scan` is on another chunk. */
  newChunk(): void {
    this.quote = this.openBrace = this.closeBrace = this.openBracket = this.closeBracket = -1;
  }

  startContainer(code: number): void {
    this.stack.length = 0;
    this.stack.push(code);
    this.inString = false;
    this.escaped = false;
    this.words = 0;
    this.pendingWord = null;
  }

  startString(): void {
    this.stack.length = 0;
    this.inString = true;
    this.escaped = false;
    this.words = 0;
    this.pendingWord = null;
  }

  /** Crosses the rest of a string; returns the index after its closing quote, or -1 (the chunk ended first). */
  private crossString(bytes: Uint8Array, from: number): number {
    let i = from;
    if (this.escaped) {
      if (i >= bytes.length) return -1;
      i++;
      this.escaped = false;
    }
    let quote = bytes.indexOf(QUOTE, i);
    while (quote !== -1 && backslashesBefore(bytes, quote, i) % 2 === 1) quote = bytes.indexOf(QUOTE, quote + 1);
    if (quote === -1) {
      this.escaped = backslashesBefore(bytes, bytes.length, i) % 2 === 1;
      return -1;
    }
    this.inString = false;
    return quote + 1;
  }

  /** The word of a string opened at `q`, or its bytes kept until the next chunk tells it. */
  private word(bytes: Uint8Array, q: number): void {
    // Most strings start with none of b, d, p: told from one byte.
    const first = bytes[q + 1];
    if (first !== undefined) {
      const letter = first | 0x20;
      if (letter !== 0x62 && letter !== 0x64 && letter !== 0x70) return;
    }
    const end = Math.min(bytes.length, q + 1 + WORD_BYTES);
    const found = wordAt(bytes, q, end);
    if (found > 0) this.words |= found;
    else if (found === -1) this.pendingWord = Array.from(bytes.subarray(q, end));
  }

  /** A word whose string started in an earlier chunk, told by the start of this one. */
  private finishWord(bytes: Uint8Array): void {
    const pending = this.pendingWord as number[];
    const need = 1 + WORD_BYTES - pending.length;
    for (let k = 0; k < need && k < bytes.length; k++) pending.push(bytes[k] as number);
    const found = wordAt(pending, 0, pending.length);
    if (found === -1 && pending.length < 1 + WORD_BYTES) return;
    this.pendingWord = null;
    if (found > 0) this.words |= found;
  }

  /**
   * Scans `bytes` from `from` (never before where the previous scan of the same chunk ended; call
   * `newChunk` for another chunk). Returns the index just past the end of the value, or -1 when the
   * chunk ended first (call again with the next chunk, from 0). Throws ScanError on a bracket that
   * does not match.
   */
  scan(bytes: Uint8Array, from: number): number {
    if (this.pendingWord && from === 0) this.finishWord(bytes);
    const n = bytes.length;
    const stack = this.stack;
    let i = from;
    for (;;) {
      if (this.inString) {
        i = this.crossString(bytes, i);
        if (i === -1) return -1;
        if (stack.length === 0) return i;
      }
      if (this.quote < i) this.quote = indexOrEnd(bytes, QUOTE, i);
      if (this.openBrace < i) this.openBrace = indexOrEnd(bytes, OPEN_BRACE, i);
      if (this.closeBrace < i) this.closeBrace = indexOrEnd(bytes, CLOSE_BRACE, i);
      if (this.openBracket < i) this.openBracket = indexOrEnd(bytes, OPEN_BRACKET, i);
      if (this.closeBracket < i) this.closeBracket = indexOrEnd(bytes, CLOSE_BRACKET, i);
      const next = Math.min(this.quote, this.openBrace, this.closeBrace, this.openBracket, this.closeBracket);
      if (next >= n) return -1;
      const code = bytes[next] as number;
      i = next + 1;
      if (code === QUOTE) {
        this.inString = true;
        this.word(bytes, next);
      } else if (code === OPEN_BRACE || code === OPEN_BRACKET) {
        stack.push(code);
      } else {
        const open = stack.pop();
        if (open !== (code === CLOSE_BRACE ? OPEN_BRACE : OPEN_BRACKET)) {
          throw new ScanError(
            open === undefined
              ? `unexpected "${String.fromCharCode(code)}"`
              : `"${String.fromCharCode(code)}" closes a "${String.fromCharCode(open)}"`,
            next,
          );
        }
        if (stack.length === 0) return i;
      }
    }
  }
}
