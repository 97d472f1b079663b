/**
 * core/form.ts reads form-encoded bodies and queries as `URLSearchParams` does (the URL Standard's
 * parser, which the reports were built with before): the same pairs for any text, with percent
 * signs, plus signs, invalid and partial escapes, non-ASCII, BOMs and lone surrogates.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { formPairs } from '../../src/core/form.js';

const piece = fc.oneof(
  fc.constantFrom('&', '=', '+', '%', '%2', '%41', '%e2%82%ac', '%E2%82', '%FF', '%C3%A9', '%EF%BB%BF', '%00', '%zz', '%%41', '?'),
  fc.constantFrom('\ufeff', 'é', '😀', '\ud800', '\udc00', '\ud83d', ' ', 'grant_type', 'code', 'a'),
  fc.string({ maxLength: 5 }),
  fc.string({ unit: 'binary', maxLength: 4 }),
);
const formText = fc.array(piece, { maxLength: 16 }).map((parts) => parts.join(''));

/**
 * Whether Node's URLSearchParams leaves the URL Standard on `text`: for a name or value with an escape
 * decodeURIComponent rejects, Node decodes every character to one byte (its querystring.unescapeBuffer),
 * so a non-ASCII character beside it is mangled; browsers (and form.ts) follow the standard.
 */
function nodeMangles(text: string): boolean {
  return text.split('&').some((sequence) =>
    sequence.split(/=(.*)/s).some((part) => {
      if (!/[^\x00-\x7f]/.test(part ?? '') || !(part ?? '').includes('%')) return false;
      try {
        decodeURIComponent((part ?? '').replaceAll('+', ' '));
        return false;
      } catch {
        return true;
      }
    }),
  );
}

test('form text gives the pairs URLSearchParams gives', () => {
  fc.assert(
    fc.property(formText, (text) => {
      fc.pre(!nodeMangles(text));
      assert.deepEqual(formPairs(text), [...new URLSearchParams(text)]);
    }),
    { numRuns: 3000 },
  );
});

test('a non-ASCII character beside an escape that is not UTF-8 is kept, as the URL Standard and browsers keep it', () => {
  // Percent-decoding works on the UTF-8 bytes: é stays é, the lone %E2%82 becomes one U+FFFD (Node 20's URLSearchParams gives "\ufffd\ufffd").
  assert.deepEqual(formPairs('v=\u00e9%E2%82'), [['v', '\u00e9\ufffd']]);
  assert.deepEqual(formPairs('v=\ufeff%E2%82&w=%EF%BB%BF%41'), [
    ['v', '\ufeff\ufffd'],
    ['w', '\ufeffA'],
  ]);
});

test('a token request body: names, values, escapes, plus signs', () => {
  assert.deepEqual(formPairs('?grant_type=authorization_code&code=a%2Bb+c&&redirect_uri=https%3A%2F%2Fapp.test%2Fcb&x&=y&bad=%G1%'), [
    ['grant_type', 'authorization_code'],
    ['code', 'a+b c'],
    ['redirect_uri', 'https://app.test/cb'],
    ['x', ''],
    ['', 'y'],
    ['bad', '%G1%'],
  ]);
});
