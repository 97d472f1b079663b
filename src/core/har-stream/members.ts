/** The complete top-level members of the start of a JSON object: what is left of an entry too large to hold. */
import { ScanError, ValueSkipper } from './scan.js';

const WHITESPACE = /[^ \t\n\r]/g;

function skipWhitespace(text: string, from: number): number {
  WHITESPACE.lastIndex = from;
  return WHITESPACE.exec(text) ? WHITESPACE.lastIndex - 1 : text.length;
}

/** The end of the value starting at `from`, or -1 when `text` ends before it does (or it is not JSON). */
function valueEnd(text: string, from: number, skipper: ValueSkipper): number {
  const first = text[from];
  if (first === '{' || first === '[') {
    skipper.startContainer(first.charCodeAt(0));
    return skipper.scan(text, from + 1);
  }
  if (first === '"') {
    skipper.startString();
    return skipper.scan(text, from + 1);
  }
  const scalar = /^(?:-?\d[\d.eE+-]*|true|false|null)(?=[\s,}\]])/.exec(text.slice(from, from + 64));
  return scalar ? from + scalar[0].length : -1;
}

/**
 * `text` starts with `{` and may be cut anywhere: the members of that object that are
 * complete in it, as key -> raw JSON text of the value (later duplicates win, as in JSON.parse).
 */
export function completeMembers(text: string): { values: Map<string, string>; complete: boolean } {
  const members = new Map<string, string>();
  let complete = false;
  const skipper = new ValueSkipper();
  let i = skipWhitespace(text, 1);
  try {
    while (text[i] === '"') {
      const keyEnd = valueEnd(text, i, skipper);
      if (keyEnd === -1) break;
      const key = JSON.parse(text.slice(i, keyEnd)) as string;
      i = skipWhitespace(text, keyEnd);
      if (text[i] !== ':') break;
      const start = skipWhitespace(text, i + 1);
      const end = valueEnd(text, start, skipper);
      if (end === -1) break;
      members.set(key, text.slice(start, end));
      i = skipWhitespace(text, end);
      if (text[i] === '}') complete = skipWhitespace(text, i + 1) === text.length;
      if (text[i] !== ',') break;
      i = skipWhitespace(text, i + 1);
    }
  } catch (error) {
    if (!(error instanceof ScanError || error instanceof SyntaxError)) throw error;
  }
  return { values: members, complete };
}
