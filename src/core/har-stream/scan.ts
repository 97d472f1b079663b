/**
 * Finding where a JSON value ends, across chunks, without a character loop over its
 * content: string bodies are crossed with `indexOf('"')`, and between strings only the
 * next quote or bracket is looked for (`indexOf` again, each position cached until passed).
 * A character loop in JavaScript costs several nanoseconds a character; `indexOf` runs
 * natively at a fraction of that, and a HAR is mostly string content (bodies, headers).
 *
 * What is checked: strings are closed, brackets nest and match. What is not: the
 * grammar between them (commas, colons, numbers); an entry that matters is JSON.parse'd,
 * which checks the rest.
 */

export class ScanError extends Error {
  constructor(
    message: string,
    /** Index in the text handed to `scan`. */
    readonly at: number,
  ) {
    super(message);
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;

/** The number of backslashes right before `end`, not looking before `start`. */
function backslashesBefore(text: string, end: number, start: number): number {
  let count = 0;
  for (let i = end - 1; i >= start && text.charCodeAt(i) === BACKSLASH; i--) count++;
  return count;
}

/**
 * One JSON value being crossed: started with `startContainer` (at a `{` or `[`) or
 * `startString` (at a `"`), then fed text with `scan` until it says where the value ends.
 */
export class ValueSkipper {
  /** Open brackets, innermost last (`{` or `[` as char codes). */
  private readonly stack: number[] = [];
  private inString = false;
  /** The previous text ended inside a string on an odd run of backslashes: the next character is escaped. */
  private escaped = false;
  // The next position of each structural character at or after where scanning got to (the
  // text's length when there is none), kept across calls on the same text (`newText` forgets
  // them): a character absent from a chunk is looked for once per chunk, not once per entry.
  private quote = -1;
  private openBrace = -1;
  private closeBrace = -1;
  private openBracket = -1;
  private closeBracket = -1;

  /** The next `scan` is on another text (or goes back in this one). */
  newText(): void {
    this.quote = this.openBrace = this.closeBrace = this.openBracket = this.closeBracket = -1;
  }

  startContainer(code: number): void {
    this.stack.length = 0;
    this.stack.push(code);
    this.inString = false;
    this.escaped = false;
  }

  startString(): void {
    this.stack.length = 0;
    this.inString = true;
    this.escaped = false;
  }

  /** Crosses the rest of a string; returns the index after its closing quote, or -1 (the text ended first). */
  private crossString(text: string, from: number): number {
    let i = from;
    if (this.escaped) {
      if (i >= text.length) return -1;
      i++;
      this.escaped = false;
    }
    let quote = text.indexOf('"', i);
    while (quote !== -1 && backslashesBefore(text, quote, i) % 2 === 1) quote = text.indexOf('"', quote + 1);
    if (quote === -1) {
      this.escaped = backslashesBefore(text, text.length, i) % 2 === 1;
      return -1;
    }
    this.inString = false;
    return quote + 1;
  }

  /**
   * Scans `text` from `from` (never before where the previous scan of the same text ended;
   * call `newText` for another text). Returns the index just past the end of the value, or -1 when
   * the text ended first (call again with the next text, from 0). Throws ScanError on a
   * bracket that does not match.
   */
  scan(text: string, from: number): number {
    const n = text.length;
    const stack = this.stack;
    let i = from;
    for (;;) {
      if (this.inString) {
        i = this.crossString(text, i);
        if (i === -1) return -1;
        if (stack.length === 0) return i;
      }
      if (this.quote < i) this.quote = indexOrEnd(text, '"', i);
      if (this.openBrace < i) this.openBrace = indexOrEnd(text, '{', i);
      if (this.closeBrace < i) this.closeBrace = indexOrEnd(text, '}', i);
      if (this.openBracket < i) this.openBracket = indexOrEnd(text, '[', i);
      if (this.closeBracket < i) this.closeBracket = indexOrEnd(text, ']', i);
      const next = Math.min(this.quote, this.openBrace, this.closeBrace, this.openBracket, this.closeBracket);
      if (next >= n) return -1;
      const code = text.charCodeAt(next);
      i = next + 1;
      if (code === QUOTE) {
        this.inString = true;
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

function indexOrEnd(text: string, char: string, from: number): number {
  const at = text.indexOf(char, from);
  return at === -1 ? text.length : at;
}

/** UTF-8 length of `text` (lone surrogates count 3, as TextEncoder writes U+FFFD). */
export function utf8Length(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) continue;
    if (code < 0x800) bytes += 1;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 2;
      i++;
    } else bytes += 2;
  }
  return bytes;
}

/** The UTF-8 length of text that is known to start at a character boundary, fast when it is ASCII. */
export function utf8LengthFast(text: string): number {
  // One native pass in the common all-ASCII case.
  return /[^\x00-\x7f]/.test(text) ? utf8Length(text) : text.length;
}

/**
 * How many bytes at the end of what was pushed so far TextDecoder holds back (the start of
 * a multi-byte character not complete yet). `tail` is the last up-to-3 bytes pushed.
 */
export function heldBack(tail: readonly number[]): number {
  for (let k = 1; k <= tail.length; k++) {
    const lead = tail[tail.length - k] as number;
    if (lead >= 0x80 && lead < 0xc0) continue; // continuation byte: look further back
    // As the WHATWG UTF-8 decoder: only a valid lead whose bytes so far are valid continuations is held back
    // (an invalid lead such as 0xC0, or 0xE0 0x80, is replaced at once).
    const need = lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 1;
    if (need <= k) return 0;
    const second = tail[tail.length - k + 1];
    if (second === undefined) return k;
    const lower = lead === 0xe0 ? 0xa0 : lead === 0xf0 ? 0x90 : 0x80;
    const upper = lead === 0xed ? 0x9f : lead === 0xf4 ? 0x8f : 0xbf;
    return second >= lower && second <= upper ? k : 0;
  }
  return 0;
}
