/**
 * Making untrusted values safe to print. Claim values, scopes and error
 * descriptions come from servers and pages: they may hold terminal escape
 * sequences, bidi overrides, markup or megabytes of text.
 */

// C0 and C1 controls, bidi embeddings / overrides / isolates, zero-width characters.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

/** One line of plain text: control and invisible characters shown as `?`, cut at `max`. */
export function plain(value: unknown, max = 200): string {
  const text = typeof value === 'string' ? value : value === undefined ? '' : (JSON.stringify(value) ?? String(value));
  const clean = text.replace(UNSAFE, '?');
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

/** A value as Markdown inline code that renders as text: no HTML, no links, no table breaks. */
export function mdCode(value: unknown, max = 200): string {
  const text = plain(value, max).replace(/\|/g, '\\|');
  const longestRun = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return text === '' ? '` `' : `${fence}${pad}${text}${pad}${fence}`;
}

/** Prose escaped for Markdown: emphasis, links, code, tables and HTML. */
function mdEscaped(text: string): string {
  return text.replace(/[\\`*_[\]<>&|~]/g, (char) => {
    if (char === '<') return '&lt;';
    if (char === '>') return '&gt;';
    if (char === '&') return '&amp;';
    return `\\${char}`;
  });
}

/** An address in prose (`https://…`, `javascript:…`, `www.…`): GitHub and GitLab make these links even when escaped. */
const ADDRESS = /\b(?:[a-z][a-z0-9+.-]*:\/\/|(?:javascript|data|vbscript):|www\.)[^\s]*/gi;

/**
 * Prose for Markdown (inside a table cell or a quote): emphasis, links, code, tables and HTML are escaped, and
 * every address is put in inline code, where no renderer makes it a link (a server's `error_description`
 * saying "see https://evil.example/login" must not become a link in a report posted to a pull request).
 */
export function mdText(value: unknown, max = 500): string {
  const text = plain(value, max);
  let out = '';
  let last = 0;
  for (const match of text.matchAll(ADDRESS)) {
    // Sentence punctuation after an address stays prose ("accepted by https://b.example: its audience").
    const address = match[0].replace(/[.,;:!?)\]'"]+$/, '');
    if (address === '') continue;
    out += mdEscaped(text.slice(last, match.index)) + mdCode(address, max);
    last = match.index + address.length;
  }
  return out + mdEscaped(text.slice(last));
}

/** A fingerprint shortened for display (`sha256:` and the first 16 hex digits, then an ellipsis). */
export function shortFingerprint(value: string): string {
  return value.length > 23 ? `${value.slice(0, 23)}…` : value;
}
