/**
 * An entry past the size cap is not held. What was complete when it crossed the cap (the
 * request and the start time, which browsers write before the response) is read: a token
 * request is still reported, its response body said too large; a Bearer use is still kept.
 */
import type { CapturedExchange } from '../types.js';
import { type BearerSend, bearerSendOf, exchangeOf } from './entry.js';
import { completeMembers } from './members.js';

const KEPT = new Set(['request', 'startedDateTime']);

function members(prefix: string): Map<string, string> {
  const kept = new Map<string, string>();
  for (const [key, value] of completeMembers(prefix).values) if (KEPT.has(key)) kept.set(key, value);
  return kept;
}

function read(kept: Map<string, string>): { exchange: CapturedExchange | null; bearer: BearerSend | null } {
  const entry: Record<string, unknown> = {};
  try {
    for (const [key, value] of kept) entry[key] = JSON.parse(value);
  } catch {
    return { exchange: null, bearer: null };
  }
  // No response content: the exchange is one only if its request is a token request.
  const exchange = exchangeOf({ ...entry, response: { content: {} } });
  if (exchange) {
    return {
      exchange: { ...exchange, status: null, response: { contentType: '', body: null, bodyNote: 'Body not read: the HAR entry is too large to hold.' } },
      bearer: null,
    };
  }
  return { exchange: null, bearer: bearerSendOf(entry) };
}

export const oversizedEntry = { members, read };
