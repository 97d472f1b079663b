/**
 * Token calls Tokenscope knows of but could not read (`page-unread`), as a page reports them, and the check that
 * makes them data the worker can keep: exact fields, an http(s) or data:/blob: URL cut to its origin and path (a
 * query can carry a code or a token; nothing else is kept), a time. Never a body, never a header.
 */
import { isObject } from '../core/json.js';
import { PAGE_LIMITS } from '../core/limits.js';
import type { UnreadSent } from './channel.js';

/** One token call seen and not read, or one context whose token calls cannot be seen; kept per tab. */
export interface UnreadToken {
  kind: UnreadSent['kind'];
  context: UnreadSent['context'];
  /** Origin and path only (`https://id.example.com/oauth/token`); `data:` or `blob:` for such scripts. */
  where: string;
  at: string;
  beforeWatching: boolean;
}

const FIELDS = new Set(['kind', 'context', 'url', 'at', 'beforeWatching']);
const CONTEXTS = new Set(['page', 'worker', 'shared-worker', 'service-worker']);

/** The URL without its query and fragment; `data:` and `blob:` URLs as their scheme alone. */
function whereOf(url: string): string | null {
  if (/^data:/i.test(url)) return 'data:';
  if (/^blob:/i.test(url)) return 'blob:';
  try {
    const parsed = new URL(url);
    return /^https?:$/.test(parsed.protocol) ? `${parsed.origin}${parsed.pathname}` : null;
  } catch {
    return null;
  }
}

/** Validate what a page reports; the URL is cut to origin and path here, before anything is stored. */
export function checkUnread(value: unknown): { ok: true; unread: UnreadToken } | { ok: false; reason: string } {
  if (!isObject(value)) return { ok: false, reason: 'not an object' };
  const extra = Object.keys(value).filter((key) => !FIELDS.has(key));
  if (extra.length > 0) return { ok: false, reason: `unexpected fields: ${extra.slice(0, 5).join(', ')}` };
  const { kind, context, url, at, beforeWatching } = value;
  if (kind !== 'request' && kind !== 'context') return { ok: false, reason: 'kind is not request or context' };
  if (typeof context !== 'string' || !CONTEXTS.has(context)) return { ok: false, reason: 'unknown context' };
  if (kind === 'request' && context !== 'page') return { ok: false, reason: 'only the page reports requests' };
  if (typeof url !== 'string' || url.length > PAGE_LIMITS.url) return { ok: false, reason: 'url is not a string within the limit' };
  const where = whereOf(url);
  if (where === null || (kind === 'request' && !/^https?:/.test(where))) return { ok: false, reason: 'url is not an http(s) URL' };
  if (typeof at !== 'string' || at.length > PAGE_LIMITS.startedAt || Number.isNaN(Date.parse(at)))
    return { ok: false, reason: 'at is not a time' };
  if (beforeWatching !== undefined && typeof beforeWatching !== 'boolean') return { ok: false, reason: 'beforeWatching is not a boolean' };
  return {
    ok: true,
    unread: {
      kind,
      context: context as UnreadToken['context'],
      where,
      at: new Date(at).toISOString(),
      beforeWatching: beforeWatching === true,
    },
  };
}
