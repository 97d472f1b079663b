/**
 * `application/x-www-form-urlencoded` parsing as the URL Standard gives it (section 5.1, the
 * parser `URLSearchParams` runs), for the bodies and queries the core reads: split on `&`, name
 * and value at the first `=`, `+` a space, percent-decoded bytes read as UTF-8 (invalid bytes
 * become U+FFFD, a BOM is kept), lone surrogates U+FFFD. The same pairs as `new URLSearchParams(text)`
 * (a leading `?` dropped too), splitting and decoding with native string and TextDecoder calls
 * where Node 20's decodes character by character in JavaScript (it was ~14 % of building the
 * 70 MB bench HAR's report; docs/BENCHMARKS.md). Browsers' URLSearchParams follow the standard
 * too; Node 20's differs on a name or value with a non-ASCII character beside a percent escape
 * that is not UTF-8 (it mangles the character), where this gives the standard's result.
 * https://url.spec.whatwg.org/#urlencoded-parsing
 */
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const hexValue = (byte: number): number =>
  byte >= 0x30 && byte <= 0x39 ? byte - 0x30 : byte >= 0x41 && byte <= 0x46 ? byte - 0x37 : byte >= 0x61 && byte <= 0x66 ? byte - 0x57 : -1;

/** A name or value: `+` is a space, then percent-decoded (a `%` not followed by two hex digits stays). */
function decodeComponent(text: string): string {
  const spaced = text.includes('+') ? text.replaceAll('+', ' ') : text;
  if (!spaced.includes('%')) return spaced.replace(LONE_SURROGATE, '\ufffd');
  const bytes = encoder.encode(spaced);
  const out = new Uint8Array(bytes.length);
  let length = 0;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i] as number;
    if (byte === 0x25 && i + 2 < bytes.length) {
      const high = hexValue(bytes[i + 1] as number);
      const low = high === -1 ? -1 : hexValue(bytes[i + 2] as number);
      if (low !== -1) {
        out[length++] = high * 16 + low;
        i += 2;
        continue;
      }
    }
    out[length++] = byte;
  }
  return decoder.decode(out.subarray(0, length));
}

/** The name-value pairs of form-encoded `text`, in order, as `[...new URLSearchParams(text)]` gives them. */
export function formPairs(text: string): [string, string][] {
  const pairs: [string, string][] = [];
  const input = text.startsWith('?') ? text.slice(1) : text;
  for (const sequence of input.split('&')) {
    if (sequence === '') continue;
    const equals = sequence.indexOf('=');
    const name = equals === -1 ? sequence : sequence.slice(0, equals);
    const value = equals === -1 ? '' : sequence.slice(equals + 1);
    pairs.push([decodeComponent(name), decodeComponent(value)]);
  }
  return pairs;
}
