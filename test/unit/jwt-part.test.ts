/** jwt-part.ts: a JWT's header and payload decoded fast, always to what jwt-decode (the decoder of record) gives. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { jwtDecode } from 'jwt-decode';
import { decodeJwtPart } from '../../src/core/jwt-part.js';

type Outcome = { value: unknown } | { error: string; name: string; message: string };

function outcome(decode: () => unknown): Outcome {
  try {
    return { value: decode() };
  } catch (error) {
    return { error: (error as Error).constructor.name, name: (error as Error).name, message: (error as Error).message };
  }
}

/** Both parts, each by jwt-decode and by decodeJwtPart: the same value, or the same error class and message. */
function assertSameAsJwtDecode(token: string): void {
  for (const part of [0, 1] as const) {
    const expected = outcome(() => jwtDecode(token, { header: part === 0 }));
    const actual = outcome(() => decodeJwtPart(token, part));
    assert.deepStrictEqual(actual, expected, `part ${part} of ${JSON.stringify(token)}`);
  }
}

const b64url = (bytes: Uint8Array | string) => Buffer.from(bytes).toString('base64url');

/** JSON with any Unicode in keys and strings (astral planes included), as claims from any issuer may hold. */
const claims = fc.dictionary(fc.string({ unit: 'grapheme' }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 8 });
const BASE64URL = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'];
/** Characters a broken or hostile token may carry: base64url, dots, padding, the standard alphabet, spaces, percent, non-ASCII. */
const tokenChar = fc.oneof(fc.constantFrom(...BASE64URL), fc.constantFrom('.', '=', '+', '/', ' ', '\n', '%', 'é', '\u{1F600}'));

describe('decodeJwtPart', () => {
  test('random claims, Unicode included, decode to what jwt-decode gives', () => {
    fc.assert(
      fc.property(claims, claims, fc.string(), (header, payload, signature) => {
        const text = JSON.stringify(payload);
        const token = `${b64url(JSON.stringify(header))}.${b64url(text)}.${b64url(signature)}`;
        assert.deepStrictEqual(decodeJwtPart(token, 1), JSON.parse(text));
        assertSameAsJwtDecode(token);
      }),
      { numRuns: 500 },
    );
  });

  test('random bytes (not UTF-8, not JSON) in either part: the same value or the same error as jwt-decode', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.uint8Array({ maxLength: 64 }), (header, payload) => {
        assertSameAsJwtDecode(`${b64url(header)}.${b64url(payload)}.sig`);
      }),
      { numRuns: 500 },
    );
  });

  test('random strings shaped like broken tokens: the same value or the same error as jwt-decode', () => {
    fc.assert(
      fc.property(fc.array(tokenChar, { maxLength: 80 }), (chars) => assertSameAsJwtDecode(chars.join(''))),
      { numRuns: 1000 },
    );
  });

  test('the edge cases jwt-decode decides itself are decided the same', () => {
    const json = b64url('{"sub":"a"}');
    const cases = [
      '', // no payload
      'eyJhbGciOiJub25lIn0', // header only
      `${json}.${json.slice(0, 1)}`, // a length no base64 has
      `${json}.${json}=.x`, // padding inside the part
      `${json}.${b64url('\uFEFF{"sub":"a"}')}.x`, // a byte-order mark before the JSON
      `${json}.${b64url(new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xe9, 0x22, 0x7d]))}.x`, // Latin-1 `{"a":"é"}`
      `${json}.${b64url(new Uint8Array([0x22, 0xed, 0xa0, 0x80, 0x22]))}.x`, // an encoded surrogate (not UTF-8)
      `${json}.${b64url(new Uint8Array([0x22, 0xc0, 0xaf, 0x22]))}.x`, // an overlong encoding
      `${json}.${b64url('[1,2]')}.x`, // JSON, not an object
      `${json}.${b64url('{"a":1')}.x`, // cut-off JSON
      `${json}..x`, // empty payload
      `${json}.eyJz dWIiOiJhIn0.x`, // a space inside
    ];
    for (const token of cases) assertSameAsJwtDecode(token);
  });

  test('a payload with non-ASCII claims reads as the user wrote them', () => {
    const token = `${b64url('{"alg":"none"}')}.${b64url(JSON.stringify({ name: 'Zoë Ångström', team: '東京', emoji: '\u{1F511}' }))}.`;
    assert.deepStrictEqual(decodeJwtPart(token, 1), { name: 'Zoë Ångström', team: '東京', emoji: '\u{1F511}' });
  });
});
