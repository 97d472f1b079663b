/**
 * One HAR entry: whether its raw JSON text can matter (decided without parsing it), and
 * what it gives once parsed (har.ts's per-entry `toExchange` and `bearerSend`, the same code
 * readHar runs), and an authorization request or redirect.
 */
import { isObject } from '../json.js';
import { WORD } from './byte-scan.js';

/**
 * A cheap necessary condition for readHar to take anything from the entry, from its bytes: the
 * words the scanner saw at the start of its strings (byte-scan.ts `WORD`) and a few tests on the
 * raw text. Without escapes other than \" \\ \b \f \n \r \t, the raw text holds the words as they are:
 * - a Bearer use needs a header value starting `Bearer` or `DPoP ` (readHar's /^(Bearer|DPoP)\s/i folds ASCII only;
 *   a DPoP token is sent as `DPoP <token>`, RFC 9449 s7.1, one space): `WORD.bearer`;
 * - a token request needs the method "POST" in any case (ſ and the ﬅ/ﬆ ligatures upper-case
 *   to S and ST, so "poſt" is a POST to `toUpperCase`): `WORD.post`;
 * - base64 content must be decoded to be judged: `"base64"` (`WORD.base64`) with a textual type (a
 *   candidate request is caught by POST already);
 * - a token-shaped response holds `"access_token":` / `"id_token":` (escaped quotes in the raw
 *   text) or starts `access_token=`;
 * - `\uXXXX` and `\/` can hide any of these words: such entries are parsed;
 * - for the sign-in analysis, `code=`, `error=`, `response_type=` after `?`, `&` or `#`;
 * - for its discovery steps (sign-in/discovery.ts), a `/.well-known/` URL or a 401's `resource_metadata`.
 * The text tests look for ASCII only, so they give the same answer on the entry's bytes read one
 * byte to a character (`ascii`, the CLI's worker threads) as on its decoded text (the default):
 * a byte of a multi-byte character is never an ASCII one, and these regexes fold no other
 * character into ASCII.
 */
const AUTHORIZATION = /[?&#](?:code|error|response_type)=/;
const TEXTUAL = /json|x-www-form-urlencoded|text\/plain|javascript/i;

/** What an entry needs: nothing, its request only (a Bearer use, nothing else), or the whole entry parsed. */
export type Need = 'none' | 'request' | 'whole';

/** How much of the entry must be read, from the words its strings start with and its raw text (made only when needed). */
export function need(words: number, raw: () => string): Need {
  if (words & WORD.post) return 'whole';
  const text = raw();
  if (
    ((words & WORD.base64) !== 0 && TEXTUAL.test(text)) ||
    hasTokenMember(text) ||
    text.includes('\\u') ||
    text.includes('\\/') ||
    AUTHORIZATION.test(text) ||
    isDiscovery(text)
  )
    return 'whole';
  return words & WORD.bearer ? 'request' : 'none';
}

/** A metadata fetch or a 401 naming metadata (RFC 9728, RFC 8414): two `indexOf`s. */
function isDiscovery(text: string): boolean {
  return text.includes('/.well-known/') || text.includes('resource_metadata');
}

/** Whether `word` occurs in `text` at a place `fits` accepts. */
function occurs(text: string, word: string, fits: (at: number) => boolean): boolean {
  for (let at = text.indexOf(word); at !== -1; at = text.indexOf(word, at + 1)) if (fits(at)) return true;
  return false;
}

/** `access_token` or `id_token` followed by `\"` or `=`. */
function hasTokenMember(text: string): boolean {
  return occurs(text, '_token', (at) => {
    const after = text.charCodeAt(at + 6);
    const closes = (after === 0x5c && text.charCodeAt(at + 7) === 0x22) || after === 0x3d;
    return closes && (text.startsWith('access', at - 6) || text.startsWith('id', at - 2));
  });
}

type Json = Record<string, unknown>;

const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** The first header of that name, its value if a string (the Location a redirect gives). */
function firstHeader(headers: unknown, name: string): string | null {
  if (!Array.isArray(headers)) return null;
  for (const header of headers) {
    if (isObject(header) && typeof header.name === 'string' && header.name.toLowerCase() === name) return str(header.value);
  }
  return null;
}

/** An authorization request (`response_type=` in the URL) or a redirect carrying `code=` / `error=`, for the sign-in analysis. */
export interface AuthorizationStep {
  url: string;
  method: string;
  status: number | null;
  /** Where the response sent the browser (`redirectURL`, else the Location header), if anywhere. */
  location: string | null;
  at: string;
}

const AUTHORIZATION_URL = /[?&#](?:response_type|code|error)=/;

export function authorizationStepOf(entry: Json): AuthorizationStep | null {
  const request = isObject(entry.request) ? entry.request : {};
  const response = isObject(entry.response) ? entry.response : {};
  const url = str(request.url) ?? '';
  const location = str(response.redirectURL) || firstHeader(response.headers, 'location');
  if (!AUTHORIZATION_URL.test(url) && !(location && AUTHORIZATION_URL.test(location))) return null;
  return {
    url,
    method: str(request.method)?.toUpperCase() ?? 'GET',
    status: typeof response.status === 'number' && response.status > 0 ? response.status : null,
    location: location || null,
    at: str(entry.startedDateTime) ?? new Date(0).toISOString(),
  };
}
