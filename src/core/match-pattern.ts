/**
 * WebExtension match patterns (`https://*.example.com/*`, `http://127.0.0.1/*`,
 * `<all_urls>`), to tell whether a URL is on a watched site without asking the
 * browser for every request.
 *
 * Kept instead of fregante's webext-patterns 1.5.1, which matches the URL text and, even with
 * ports stripped and hosts lower-cased first, fails test/unit/match-pattern.test.ts: its
 * `<all_urls>` leaves out ws/wss; it escapes only `.` and `/` in paths, so `+ ( ) ?` act as
 * regex syntax (`/ab?x` matches `/ax`); `[::1]` becomes a character class; and its `*` scheme
 * adds ws/wss when `navigator.userAgent` says Firefox, so a pattern would match differently
 * per browser.
 */

const PATTERN = /^(\*|https?|wss?|file|ftp):\/\/(\*|\*\.[^/*]+|[^/*]+)?(\/.*)$/;

function escapeRegExp(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}

/** Whether `url` matches the match pattern. Ports in the URL are ignored, as browsers do for host permissions. */
export function matchesPattern(pattern: string, url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  const scheme = parsed.protocol.slice(0, -1);
  if (pattern === '<all_urls>') return ['http', 'https', 'ws', 'wss', 'file', 'ftp'].includes(scheme);
  const match = PATTERN.exec(pattern);
  if (!match) return false;
  const [, patternScheme, patternHost = '', patternPath = '/*'] = match;
  if (patternScheme === '*' ? !['http', 'https'].includes(scheme) : patternScheme !== scheme) return false;
  const host = parsed.hostname.toLowerCase();
  const wantedHost = patternHost.toLowerCase().replace(/:\d+$/, '');
  if (wantedHost !== '*') {
    if (wantedHost.startsWith('*.')) {
      const base = wantedHost.slice(2);
      if (host !== base && !host.endsWith(`.${base}`)) return false;
    } else if (host !== wantedHost.replace(/^\[|\]$/g, '') && `[${host}]` !== wantedHost && host !== wantedHost) {
      return false;
    }
  }
  const path = `${parsed.pathname}${parsed.search}`;
  return new RegExp(`^${patternPath.split('*').map(escapeRegExp).join('.*')}$`).test(path);
}

/** The match pattern Tokenscope asks for to watch the site of `url`: scheme and host, every port and path. */
export function sitePattern(url: string): string | null {
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
    return `${parsed.protocol}//${parsed.hostname}/*`;
  } catch {
    return null;
  }
}

/** The origin (scheme://host[:port]) of a URL, or null. */
export function originOf(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.origin === 'null' ? null : parsed.origin;
  } catch {
    return null;
  }
}
