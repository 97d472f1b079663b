/** The complete top-level members of the start of a JSON object: what is left of an entry too large to hold. */
import { ByteSkipper, ScanError } from './byte-scan.js';

const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
const SCALAR = /^(?:-?\d[\d.eE+-]*|true|false|null)(?=[\s,}\]])/;

const isSpace = (byte: number | undefined) => byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;

function skipWhitespace(bytes: Uint8Array, from: number): number {
  let i = from;
  while (isSpace(bytes[i])) i++;
  return Math.min(i, bytes.length);
}

/** The end of the value starting at `from`, or -1 when `bytes` end before it does (or it is not JSON). */
function valueEnd(bytes: Uint8Array, from: number, skipper: ByteSkipper): number {
  const first = bytes[from];
  if (first === 0x7b || first === 0x5b) {
    skipper.startContainer(first);
    return skipper.scan(bytes, from + 1);
  }
  if (first === 0x22) {
    skipper.startString();
    return skipper.scan(bytes, from + 1);
  }
  // A scalar is ASCII: its bytes are its characters.
  const scalar = SCALAR.exec(decoder.decode(bytes.subarray(from, from + 64)));
  return scalar ? from + scalar[0].length : -1;
}

/**
 * `bytes` (UTF-8) start with `{` and may be cut anywhere: the members of that object that are
 * complete in them, as key -> raw JSON text of the value (later duplicates win, as in JSON.parse).
 * Each piece is decoded on its own, which gives what decoding the whole would: every piece
 * starts and ends at an ASCII byte, where UTF-8 decoding starts afresh.
 */
export function completeMembers(bytes: Uint8Array): { values: Map<string, string>; complete: boolean } {
  const members = new Map<string, string>();
  let complete = false;
  const skipper = new ByteSkipper();
  let i = skipWhitespace(bytes, 1);
  try {
    while (bytes[i] === 0x22) {
      const keyEnd = valueEnd(bytes, i, skipper);
      if (keyEnd === -1) break;
      const key = JSON.parse(decoder.decode(bytes.subarray(i, keyEnd))) as string;
      i = skipWhitespace(bytes, keyEnd);
      if (bytes[i] !== 0x3a) break;
      const start = skipWhitespace(bytes, i + 1);
      const end = valueEnd(bytes, start, skipper);
      if (end === -1) break;
      members.set(key, decoder.decode(bytes.subarray(start, end)));
      i = skipWhitespace(bytes, end);
      if (bytes[i] === 0x7d) complete = skipWhitespace(bytes, i + 1) === bytes.length;
      if (bytes[i] !== 0x2c) break;
      i = skipWhitespace(bytes, i + 1);
    }
  } catch (error) {
    if (!(error instanceof ScanError || error instanceof SyntaxError)) throw error;
  }
  return { values: members, complete };
}
