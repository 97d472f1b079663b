/**
 * Decoding a response body's bytes to text the way the browser does for the page
 * (an XHR's responseText): byte order mark, then the Content-Type charset, else
 * UTF-8. The Firefox network filter and the page hook both decode with it, so the
 * same response gives the same text (and is stored once).
 */

/** The `charset` parameter of a Content-Type (`text/plain; charset="ISO-8859-1"` gives `ISO-8859-1`), or null. */
export function charsetOf(contentType: string | null): string | null {
  const match = /;\s*charset\s*=\s*(?:"([^"]*)"|([^;\s]*))/i.exec(contentType ?? '');
  const label = (match?.[1] ?? match?.[2] ?? '').trim();
  return label === '' ? null : label;
}

/** The encoding a byte order mark names (the Encoding standard's BOM sniff), or null. */
function bomEncoding(bytes: Uint8Array): string | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  return null;
}

/**
 * Decode a response body: a byte order mark wins, then the Content-Type's
 * charset; UTF-8 when there is none, or when TextDecoder does not know the
 * label (it throws a RangeError for those, and for "replacement"). A token
 * response is JSON or a form, UTF-8 by their specs, so that is the safe default.
 */
export function decodeBody(bytes: Uint8Array, contentType: string | null): string {
  return decoderFor(bomEncoding(bytes) ?? charsetOf(contentType)).decode(bytes);
}

function decoderFor(label: string | null): TextDecoder {
  if (label) {
    try {
      return new TextDecoder(label);
    } catch {
      // An unknown label: fall through to UTF-8.
    }
  }
  return new TextDecoder();
}
