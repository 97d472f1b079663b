/** How the views put values into words. Pure functions: no DOM, no Preact. */
import type { CaptureInfo } from '../protocol/view-state.js';

/** A failure's message, for a notice. */
export function errorMessage(reason: unknown): string {
  return reason instanceof Error ? reason.message : String(reason);
}

/** Untrusted text, capped at `max` characters: a megabyte claim must not take the layout with it. */
export function clipText(text: unknown, max: number): string {
  const value = typeof text === 'string' ? text : (JSON.stringify(text) ?? String(text));
  return value.length > max ? `${value.slice(0, max)}…` : value;
}

/** `2 h 5 min`, `40 s`: the two largest units of a duration (its sign is dropped). */
export function formatDuration(ms: number): string {
  const abs = Math.abs(ms);
  const s = Math.floor(abs / 1000);
  const parts =
    s >= 86400
      ? [`${Math.floor(s / 86400)} d`, `${Math.floor((s % 86400) / 3600)} h`]
      : s >= 3600
        ? [`${Math.floor(s / 3600)} h`, `${Math.floor((s % 3600) / 60)} min`]
        : s >= 60
          ? [`${Math.floor(s / 60)} min`, `${s % 60} s`]
          : [`${s} s`];
  return parts.join(' ');
}

/**
 * How an exchange was seen, in words that say what each source vouches for: Firefox's network filter reads the
 * body as the network delivered it; the page hook's body is as the page read it (a page can replace
 * `Response.prototype.clone`), and at most the request itself is confirmed by the browser.
 */
/** Whether the stored body came from the browser's network layer (Firefox's filter, DevTools), not from the page's word. */
export function isBodyFromNetwork(capture: CaptureInfo): boolean {
  return capture.verification !== 'imported' && (capture.seenBy.includes('filter') || capture.verification === 'devtools');
}

export function captureLabel(capture: CaptureInfo): string {
  if (capture.verification === 'imported') return 'imported';
  if (capture.seenBy.includes('filter'))
    return capture.seenBy.includes('page-hook')
      ? 'network filter and page hook; body as the network delivered it'
      : 'network filter; body as the network delivered it';
  // The document's Resource Timing holds the request (the relay checked); the body is still what the page reported
  // (Chromium gives the worker no bodies).
  if (capture.verification === 'verified') return 'page hook; request seen by the browser, body as the page read it';
  if (capture.verification === 'page-reported') return 'page hook; body as the page read it, request not confirmed';
  return capture.seenBy.includes('page-hook') ? 'DevTools network and page hook' : 'DevTools network';
}

const TIME_CLAIMS = new Set(['exp', 'iat', 'nbf', 'auth_time', 'updated_at', 'last_authentication']);

/** A claim's value as shown: a time claim in seconds also as an ISO date. */
export function claimValue(name: string, value: unknown): unknown {
  if (TIME_CLAIMS.has(name) && (typeof value === 'number' || (typeof value === 'string' && /^\d+$/.test(value)))) {
    const ms = Number(value) * 1000;
    if (Number.isFinite(ms) && Math.abs(ms) < 8.64e15) return `${String(value)} (${new Date(ms).toISOString()})`;
  }
  return value;
}

/** A sign-in's name in a few words: where it signed in, else its first exchange's grant and host. */
export function signInTitle(
  signIn: { authorization: { endpoint: string } | null; response: { redirectUri: string } | null },
  first: { url: string; request: { grantType: string | null } } | undefined,
): string {
  if (signIn.authorization) return `Sign-in at ${signIn.authorization.endpoint}`;
  if (signIn.response) return `Sign-in back at ${signIn.response.redirectUri}`;
  if (!first) return 'Sign-in';
  let host = first.url;
  try {
    host = new URL(first.url).host;
  } catch {
    // Keep the URL as given: it is only a label.
  }
  return `${first.request.grantType ?? 'token'} exchange at ${host}`;
}

/** The sign-in's verdict in words: its worst finding above info, else what it got. */
export function verdictLine(map: {
  worst: { severity: string; message: string } | null;
  tokens: readonly unknown[];
  servers: ReadonlyArray<{ outside: boolean; client?: boolean }>;
}): string {
  if (map.worst && map.worst.severity !== 'info') return map.worst.message;
  const servers = map.servers.filter((server) => !server.outside && !server.client).length;
  const tokens = map.tokens.length;
  // Never a silent "0 tokens": a sign-in whose token answer was not captured is not a pass (issue #21).
  if (tokens === 0)
    return 'no token captured: the token exchange of this sign-in was not seen here (made by a server, in a context the page hook cannot enter, or lost: what is known of it is said above)';
  return `nothing wrong found: ${tokens} token${tokens === 1 ? '' : 's'} for ${servers} resource server${servers === 1 ? '' : 's'}`;
}
