/**
 * Finding where a JSON value ends on the file's bytes, across chunks, without decoding them: the
 * one scanner of the HAR reader (entries, skipped values, member names, and what is left of an
 * entry too large to hold, members.ts). Every byte of a multi-byte UTF-8 character is 0x80 or
 * over, so the ASCII bytes that structure JSON (quote, backslash, brackets) are found as they are,
 * and an offset is the file's own byte.
 *
 * Between strings, one loop over the bytes (a pretty-printed HAR has a few whitespace and
 * punctuation bytes between its strings); a string's first bytes are crossed in the same way
 * and a longer string's rest with `indexOf(0x22)` (native), an escaped quote told by the
 * backslashes before it.
 *
 * What is checked: strings are closed, brackets nest and match. What is not: the grammar
 * between them (commas, colons, numbers); an entry that matters is JSON.parse'd, which checks
 * the rest.
 *
 * While crossing, each string's first bytes are looked at for the words that make an entry
 * matter (entry.ts `need`): `"Bearer`, `"DPoP `, `"POST"`, `"base64"` (ASCII case folded).
 * Only a string's opening quote is looked at: a header value, a method and an encoding are
 * strings of their own; an escaped quote inside a body (`\"Bearer`) is not one of them.
 */

/** A bracket that does not match: where (an index in the bytes handed to `scan`) and what. */
export class ScanError extends Error {
  constructor(
    message: string,
    /** Index in the bytes handed to `scan`. */
    readonly at: number,
  ) {
    super(message);
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
/** `{`; `[` (0x5b) is the same byte but for bit 0x20: `(byte | 0x20) === OPEN` is either. */
const OPEN = 0x7b;
/** `}`; `]` (0x5d) likewise. A closing bracket is its opening one plus 2. */
const CLOSE = 0x7d;
/** Bytes of a string crossed one by one before `indexOf` crosses the rest (most names and header values are shorter). */
const SHORT = 48;

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
    const n = bytes.length;
    let i = from;
    if (this.escaped) {
      if (i >= n) return -1;
      i++;
      this.escaped = false;
    }
    // Short strings (names, most header values) byte by byte; longer ones by indexOf.
    const near = Math.min(n, i + SHORT);
    while (i < near) {
      const c = bytes[i] as number;
      if (c === QUOTE) {
        this.inString = false;
        return i + 1;
      }
      i += c === BACKSLASH ? 2 : 1;
    }
    if (i > n) {
      this.escaped = true;
      return -1;
    }
    let quote = bytes.indexOf(QUOTE, i);
    while (quote !== -1 && backslashesBefore(bytes, quote, i) % 2 === 1) quote = bytes.indexOf(QUOTE, quote + 1);
    if (quote === -1) {
      this.escaped = backslashesBefore(bytes, n, i) % 2 === 1;
      return -1;
    }
    this.inString = false;
    return quote + 1;
  }

  /** The word of a string opened at `q`, or its bytes kept until the next chunk tells it. */
  private word(bytes: Uint8Array, q: number): void {
    // Most strings are told from their first two bytes: b then e or a, d then p, p then o start the words.
    if (q + 2 < bytes.length) {
      const first = (bytes[q + 1] as number) | 0x20;
      const second = (bytes[q + 2] as number) | 0x20;
      if (first === 0x62) {
        if (second !== 0x65 && second !== 0x61) return;
      } else if (first === 0x64) {
        if (second !== 0x70) return;
      } else if (first !== 0x70 || second !== 0x6f) return;
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
   * Scans `bytes` from `from`. Returns the index just past the end of the value, or -1 when the
   * chunk ended first (call again with the next chunk, from 0). Throws ScanError on a bracket that
   * does not match.
   */
  scan(bytes: Uint8Array, from: number): number {
    if (this.pendingWord && from === 0) this.finishWord(bytes);
    const n = bytes.length;
    const stack = this.stack;
    let i = from;
    if (this.inString) {
      i = this.crossString(bytes, i);
      if (i === -1) return -1;
      if (stack.length === 0) return i;
    }
    while (i < n) {
      const code = bytes[i] as number;
      i++;
      if (code === QUOTE) {
        this.inString = true;
        this.word(bytes, i - 1);
        i = this.crossString(bytes, i);
        if (i === -1) return -1;
        if (stack.length === 0) return i;
      } else if ((code | 0x20) === OPEN) {
        stack.push(code);
      } else if ((code | 0x20) === CLOSE) {
        const open = stack.pop();
        if (open !== code - 2) {
          throw new ScanError(
            open === undefined
              ? `unexpected "${String.fromCharCode(code)}"`
              : `"${String.fromCharCode(code)}" closes a "${String.fromCharCode(open)}"`,
            i - 1,
          );
        }
        if (stack.length === 0) return i;
      }
    }
    return -1;
  }
}
