/**
 * An entry past the size cap is not held. What was complete when it crossed the cap (the
 * request and the start time, which browsers write before the response) is read: a token
 * request is still reported, its response body said too large; a Bearer use is still kept.
 */
import { type BearerSend, bearerSend, toExchange } from '../har.js';
import type { CapturedExchange } from '../types.js';
import { completeMembers } from './members.js';

const KEPT = new Set(['request', 'startedDateTime']);

/** The kept members complete in `prefix`, the bytes of the start of an entry (its `{` first). */
function members(prefix: Uint8Array): Map<string, string> {
  const kept = new Map<string, string>();
  for (const [key, value] of completeMembers(prefix).values) if (KEPT.has(key)) kept.set(key, value);
  return kept;
}

/** What is left of the entry: a token request (its body said too large), or a Bearer use; and the note saying so. */
function read(kept: Map<string, string>, over: string): { exchange: CapturedExchange | null; bearer: BearerSend | null; note: string } {
  const entry: Record<string, unknown> = {};
  try {
    for (const [key, value] of kept) entry[key] = JSON.parse(value);
  } catch {
    return { exchange: null, bearer: null, note: `${over} and was skipped.` };
  }
  // No response content: the exchange is one only if its request is a token request.
  const exchange = toExchange({ ...entry, response: { content: {} } });
  if (exchange) {
    return {
      exchange: {
        ...exchange,
        status: null,
        response: { contentType: '', body: null, bodyNote: 'Body not read: the HAR entry is too large to hold.' },
      },
      bearer: null,
      note: `${over}: its token request was read, its response body was not.`,
    };
  }
  const bearer = bearerSend(entry);
  return { exchange: null, bearer, note: `${over} and was skipped${bearer ? ' (its Bearer use was kept)' : ''}.` };
}

export const oversizedEntry = { members, read };
