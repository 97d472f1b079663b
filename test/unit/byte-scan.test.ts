/**
 * The HAR reader's one scanner (core/har-stream/byte-scan.ts) on random JSON: strings full of
 * quotes, backslashes, brackets, non-ASCII and the words that make an entry matter, written
 * compact or pretty, cut into random chunks (inside a string, an escape, a multi-byte character,
 * a word): the value ends exactly where JSON.stringify's text ends, the words found are those
 * the reader's text test finds on each string's own text, and a bracket that does not match is
 * named at its byte. What is left of an entry too large to hold (members.ts, on the same scanner)
 * gives back each complete member's own text.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { ByteSkipper, ScanError, WORD } from '../../src/core/har-stream/byte-scan.js';
import { completeMembers } from '../../src/core/har-stream/members.js';

const encoder = new TextEncoder();

/** Strings made of the pieces that trip a scanner up. */
const nasty = fc
  .array(
    fc.oneof(
      fc.constantFrom('"', '\\', '\\"', '\\\\', '{', '}', '[', ']', ':', ',', ' ', '\n', '\u0000', 'é', '😀', '\ud800', 'ſ', 'ﬅ'),
      fc.constantFrom('Bearer ', 'bEaReR', 'DPoP ', 'dpop', 'POST', 'poſt', 'poﬆ', 'base64', 'BASE64', 'be', 'ba', 'po', 'dp'),
      fc.string({ maxLength: 6 }),
    ),
    { maxLength: 12 },
  )
  .map((parts) => parts.join(''));

/** Strings that start with a word, so that words are found often. */
const worded = fc
  .tuple(fc.constantFrom('Bearer ', 'dpop ', 'POST', 'poſt', 'poﬅ', 'base64', 'Base64', 'bear', 'pos'), nasty)
  .map(([a, b]) => a + b);
/** Strings past the bytes crossed one by one, so that their quotes and escapes are found by `indexOf`. */
const long = fc.tuple(fc.string({ minLength: 40, maxLength: 64 }), nasty, nasty).map(([a, b, c]) => `${b}${a}${c}`);
const anyString = fc.oneof(nasty, worded, long);

const { tree } = fc.letrec((tie) => ({
  tree: fc.oneof({ depthSize: 'small' }, tie('leaf'), tie('array'), tie('object')),
  leaf: fc.oneof(anyString, fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null)),
  array: fc.array(tie('tree'), { maxLength: 5 }),
  object: fc.dictionary(anyString, tie('tree'), { maxKeys: 5 }),
}));
const container = fc.oneof(fc.array(tree, { maxLength: 6 }), fc.dictionary(anyString, tree, { maxKeys: 6 }));

/** The words of one string as readHar's text test finds them on its JSON text (escapes are not folded). */
function wordsOf(value: string): number {
  const raw = JSON.stringify(value);
  let words = 0;
  if (/^"(?:bearer|dpop )/i.test(raw)) words |= WORD.bearer;
  if (/^"po(?:[sſ]t|[ﬅﬆ])"/i.test(raw)) words |= WORD.post;
  if (/^"base64"/i.test(raw)) words |= WORD.base64;
  return words;
}

function allWords(value: unknown): number {
  if (typeof value === 'string') return wordsOf(value);
  if (Array.isArray(value)) return value.reduce((bits: number, item) => bits | allWords(item), 0);
  if (value && typeof value === 'object')
    return Object.entries(value).reduce((bits, [key, item]) => bits | wordsOf(key) | allWords(item), 0);
  return 0;
}

/** `bytes` cut at the given points (sorted, deduplicated, inside the bytes). */
function cut(bytes: Uint8Array, points: number[]): { chunk: Uint8Array; offset: number }[] {
  const at = [...new Set(points.map((p) => p % (bytes.length + 1)))].sort((a, b) => a - b);
  const pieces: { chunk: Uint8Array; offset: number }[] = [];
  let from = 0;
  for (const to of [...at, bytes.length]) {
    if (to > from) pieces.push({ chunk: bytes.slice(from, to), offset: from });
    from = Math.max(from, to);
  }
  return pieces;
}

/** Scans the value at the start of `bytes` (chunked at `points`): its end as an offset in `bytes`, and the words. */
function scanChunked(bytes: Uint8Array, points: number[]): { end: number; words: number } {
  const skipper = new ByteSkipper();
  const first = bytes[0] as number;
  if (first === 0x22) skipper.startString();
  else skipper.startContainer(first);
  const pieces = cut(bytes.subarray(1), points);
  for (const { chunk, offset } of pieces) {
    const end = skipper.scan(chunk, 0);
    if (end !== -1) return { end: 1 + offset + end, words: skipper.words };
  }
  return { end: -1, words: skipper.words };
}

const layout = fc.constantFrom(undefined, 1, 2, '\t');
const points = fc.array(fc.nat({ max: 4096 }), { maxLength: 40 });
const after = fc.constantFrom('', ',', ']', '}', ',{"a":"]"}', '\n]}');

test('a value ends where its JSON text ends, with the words of its strings, however the bytes are cut', () => {
  fc.assert(
    fc.property(fc.oneof(container, anyString), layout, after, points, (value, indent, rest, split) => {
      const text = JSON.stringify(value, null, indent);
      const bytes = encoder.encode(text + rest);
      const { end, words } = scanChunked(bytes, split);
      assert.equal(end, encoder.encode(text).length);
      // A string's words are told at its opening quote: a value that is one string started past it.
      assert.equal(words, typeof value === 'string' ? 0 : allWords(value));
    }),
    { numRuns: 1500 },
  );
});

test('a value cut off before its end is not ended, at any cut', () => {
  fc.assert(
    fc.property(container, layout, fc.nat(), points, (value, indent, at, split) => {
      const bytes = encoder.encode(JSON.stringify(value, null, indent));
      const cutOff = bytes.subarray(0, 1 + (at % (bytes.length - 1)));
      assert.equal(scanChunked(cutOff, split).end, -1);
    }),
    { numRuns: 500 },
  );
});

test('a closing bracket that does not match is named at its byte', () => {
  fc.assert(
    fc.property(container, layout, points, (value, indent, split) => {
      const bytes = encoder.encode(JSON.stringify(value, null, indent));
      const last = bytes.length - 1;
      bytes[last] = bytes[last] === 0x5d ? 0x7d : 0x5d; // "]" for "}" and back
      const skipper = new ByteSkipper();
      skipper.startContainer(bytes[0] as number);
      const error = (() => {
        for (const { chunk, offset } of cut(bytes.subarray(1), split)) {
          try {
            if (skipper.scan(chunk, 0) !== -1) return null;
          } catch (caught) {
            assert.ok(caught instanceof ScanError);
            return { at: 1 + offset + caught.at, message: caught.message };
          }
        }
        return null;
      })();
      assert.equal(error?.at, last);
      assert.match(error?.message ?? '', /closes a/);
    }),
    { numRuns: 500 },
  );
});

test('the members complete at any cut of an object are its own, each value as its own JSON text', () => {
  const object = fc.dictionary(anyString, tree, { minKeys: 1, maxKeys: 6 });
  fc.assert(
    fc.property(object, layout, fc.nat(), (generated, indent, at) => {
      const text = JSON.stringify(generated, null, indent);
      const value = JSON.parse(text) as Record<string, unknown>;
      const bytes = encoder.encode(text);
      const whole = completeMembers(bytes);
      assert.equal(whole.complete, true);
      assert.deepEqual(
        [...whole.values].map(([key, raw]) => [key, JSON.parse(raw)]),
        Object.entries(value),
      );
      const prefix = completeMembers(bytes.subarray(0, 1 + (at % bytes.length)));
      const keys = Object.keys(value);
      assert.deepEqual([...prefix.values.keys()], keys.slice(0, prefix.values.size));
      for (const [key, raw] of prefix.values) assert.deepEqual(JSON.parse(raw), value[key]);
    }),
    { numRuns: 500 },
  );
});
