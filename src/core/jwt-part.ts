/**
 * One part of a JWT (header or payload) decoded as jwt-decode decodes it, without its slow path.
 *
 * jwt-decode (the decoder of record) turns base64url into a string with
 * `decodeURIComponent(atob(...).replace(/(.)/g, ...))`: a regular expression callback and a
 * percent-escape per byte, which is most of the time a large HAR's report takes in decoding.
 * Here the base64url is decoded to bytes and the bytes read as UTF-8 with `TextDecoder` (a web
 * API in browsers, workers and Node). Only the common case is taken here: the part is all
 * base64url characters, its bytes are valid UTF-8 and its JSON parses. Anything else (a missing
 * part, a stray character, a length no base64 has, bytes that are not UTF-8, text that is not
 * JSON) goes to jwt-decode itself, so its result and its error are exactly jwt-decode's.
 *
 * @see [RFC 7515 s2 (base64url)](https://www.rfc-editor.org/rfc/rfc7515.html#section-2)
 * @see [jwt-decode 4.0.0 lib/index.ts](https://github.com/auth0/jwt-decode/blob/v4.0.0/lib/index.ts)
 */
import { jwtDecode } from 'jwt-decode';

/** 6-bit value of each base64url character by char code, -1 for any other. */
const SEXTETS = new Int8Array(128).fill(-1);
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
for (let i = 0; i < ALPHABET.length; i++) SEXTETS[ALPHABET.charCodeAt(i)] = i;

// Fatal: bytes that are not UTF-8 throw (jwt-decode then falls back to Latin-1); ignoreBOM: a
// leading U+FEFF is kept, as decodeURIComponent keeps it.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The bytes of unpadded base64url `text[start, end)`, or null when a character is not base64url or the length is not one base64 has. */
function base64UrlBytes(text: string, start: number, end: number): Uint8Array | null {
  const length = end - start;
  if (length % 4 === 1) return null;
  const bytes = new Uint8Array(Math.floor((length * 3) / 4));
  let bits = 0;
  let held = 0;
  let at = 0;
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    const sextet = code < 128 ? (SEXTETS[code] as number) : -1;
    if (sextet < 0) return null;
    bits = (bits << 6) | sextet;
    held += 6;
    if (held >= 8) {
      held -= 8;
      bytes[at++] = (bits >> held) & 0xff;
    }
  }
  // Leftover bits (under a byte) are dropped, as atob drops them.
  return bytes;
}

/** The text of one part, or null when jwt-decode must decide (it may take another path or throw). */
function partText(token: string, part: 0 | 1): string | null {
  const firstDot = token.indexOf('.');
  let start = 0;
  let end = firstDot < 0 ? token.length : firstDot;
  if (part === 1) {
    if (firstDot < 0) return null;
    start = firstDot + 1;
    const secondDot = token.indexOf('.', start);
    end = secondDot < 0 ? token.length : secondDot;
  }
  const bytes = base64UrlBytes(token, start, end);
  if (bytes === null) return null;
  try {
    return utf8.decode(bytes);
  } catch {
    return null;
  }
}

/**
 * The JSON of a JWT's header (`part` 0) or payload (`part` 1): the value jwt-decode returns for
 * `jwtDecode(token, { header: part === 0 })`, and jwt-decode's own `InvalidTokenError` when it throws.
 */
export function decodeJwtPart(token: string, part: 0 | 1): unknown {
  const text = partText(token, part);
  if (text !== null) {
    try {
      return JSON.parse(text);
    } catch {
      // jwt-decode words the error.
    }
  }
  return jwtDecode(token, { header: part === 0 });
}
