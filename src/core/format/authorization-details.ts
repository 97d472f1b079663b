/**
 * A resource server's authorization details (RFC 9396) as the views and reports say them: each granted detail in one
 * short line, and each right requested and not granted, or granted and not requested, in words. Plain text: each
 * view escapes it as it escapes scopes.
 */
import { changeWords, compareAuthorizationDetails, detailSummary } from '../authorization-details.js';
import type { AuthorizationDetailsReport } from '../types.js';

/** Lines shown per list; the rest are counted. */
export const MAX_DETAIL_LINES = 20;

export interface AuthorizationDetailsWords {
  granted: string[];
  /** Rights requested and not granted (empty when nothing granted can be compared). */
  dropped: string[];
  /** Rights granted and not requested. */
  added: string[];
  /** Where the granted details were read, in words. */
  from: string;
  /** How many of each there are (the lists above are capped). */
  counts: { granted: number; dropped: number; added: number };
}

function capped(lines: string[]): string[] {
  return lines.length > MAX_DETAIL_LINES ? [...lines.slice(0, MAX_DETAIL_LINES), `and ${lines.length - MAX_DETAIL_LINES} more`] : lines;
}

const FROM: Record<string, string> = {
  response: 'as the token response lists them',
  token: "as the access token's claim lists them",
};

/** The details of one resource server in words; requested details with no granted list to compare stand as requested. */
export function authorizationDetailsWords(details: AuthorizationDetailsReport): AuthorizationDetailsWords {
  const said = (text: string) => text;
  const compared = details.grantedFrom !== null && details.requested.length > 0;
  const diff = compared ? compareAuthorizationDetails(details.requested, details.granted) : { dropped: [], added: [] };
  return {
    granted: capped(details.granted.map(detailSummary)),
    dropped: capped(diff.dropped.map((change) => changeWords(change, true, said))),
    added: capped(diff.added.map((change) => changeWords(change, false, said))),
    from: details.grantedFrom === null ? 'none listed by the response or the token' : (FROM[details.grantedFrom] ?? ''),
    counts: { granted: details.granted.length, dropped: diff.dropped.length, added: diff.added.length },
  };
}
