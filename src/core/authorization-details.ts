/**
 * Rich authorization requests (RFC 9396): the `authorization_details` a client asks for (at authorize, in a pushed
 * authorization request, in the token request) and those a token response or a JWT access token carries, read into
 * the common data fields of RFC 9396 s2.2 (`type`, `actions`, `locations`, `datatypes`, `identifier`,
 * `privileges`) and compared like scopes: what was requested and not granted, what was granted and not requested.
 * Type-specific fields (an `instructedAmount`, `accounts`) are named, not kept or compared: RFC 9396 s6.1 leaves
 * their comparison to each type's definition. Strings are compared exactly, as RFC 9396 s12 asks.
 *
 * What is kept is bounded: a hostile response can list any number of details with any number of values.
 */
import { isObject } from './json.js';
import { isSameServer } from './scopes.js';

/** One authorization detail as the report keeps it: its type and the common fields it sent. */
export interface AuthorizationDetail {
  type: string;
  actions?: string[];
  locations?: string[];
  datatypes?: string[];
  privileges?: string[];
  identifier?: string;
  /** The names of its type-specific fields (their values are not kept); absent when none. */
  otherFields?: string[];
}

/** The list fields of RFC 9396 s2.2, in the order they are said. */
export const DETAIL_LISTS = ['actions', 'locations', 'datatypes', 'privileges'] as const;
export type DetailList = (typeof DETAIL_LISTS)[number];

/** Details kept per list, values per field, characters per value, type-specific field names per detail. */
export const DETAIL_LIMITS = { details: 50, values: 50, chars: 300, otherFields: 20 } as const;

export interface ReadDetails {
  details: AuthorizationDetail[];
  /** Something was left out: more details, values or characters than the limits keep. */
  cut: boolean;
  /** Items that are not details (not an object, no string `type`) were skipped, or the value is not a list at all. */
  malformed: boolean;
}

const COMMON = new Set<string>(['type', 'identifier', ...DETAIL_LISTS]);

function clip(text: string, state: { cut: boolean }): string {
  if (text.length <= DETAIL_LIMITS.chars) return text;
  state.cut = true;
  return `${text.slice(0, DETAIL_LIMITS.chars)}…`;
}

function readList(value: unknown, state: { cut: boolean; malformed: boolean }): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) {
    state.malformed = true;
    return undefined;
  }
  const strings = value.filter((item): item is string => typeof item === 'string');
  if (strings.length < value.length) state.malformed = true;
  if (strings.length > DETAIL_LIMITS.values) state.cut = true;
  return strings.slice(0, DETAIL_LIMITS.values).map((item) => clip(item, state));
}

function readOne(value: unknown, state: { cut: boolean; malformed: boolean }): AuthorizationDetail | null {
  if (!isObject(value) || typeof value.type !== 'string' || value.type === '') {
    state.malformed = true;
    return null;
  }
  const detail: AuthorizationDetail = { type: clip(value.type, state) };
  for (const field of DETAIL_LISTS) {
    const list = readList(value[field], state);
    if (list) detail[field] = list;
  }
  if (typeof value.identifier === 'string') detail.identifier = clip(value.identifier, state);
  const others = Object.keys(value).filter((name) => !COMMON.has(name));
  if (others.length > DETAIL_LIMITS.otherFields) state.cut = true;
  if (others.length > 0) detail.otherFields = others.slice(0, DETAIL_LIMITS.otherFields).map((name) => clip(name, state));
  return detail;
}

/**
 * `authorization_details` as sent: a JSON array, or its text (a form parameter, an authorize URL's query); null when
 * there is none. Never throws: text that is not JSON, or JSON that is not a list, reads as no detail, `malformed`.
 */
export function readAuthorizationDetails(value: unknown): ReadDetails | null {
  if (value === undefined || value === null) return null;
  let parsed = value;
  if (typeof value === 'string') {
    if (value.trim() === '') return null;
    try {
      parsed = JSON.parse(value);
    } catch {
      return { details: [], cut: false, malformed: true };
    }
  }
  // RFC 9396 s2: a JSON array of objects; a single object is read as a list of one, and said to be malformed.
  const items = Array.isArray(parsed) ? parsed : [parsed];
  const state = { cut: items.length > DETAIL_LIMITS.details, malformed: !Array.isArray(parsed) };
  const details: AuthorizationDetail[] = [];
  for (const item of items.slice(0, DETAIL_LIMITS.details)) {
    const detail = readOne(item, state);
    if (detail) details.push(detail);
  }
  return { details, ...state };
}

/** A right requested and not granted, or granted and not requested: a whole detail (`field` null), or values of one field. */
export interface DetailChange {
  type: string;
  identifier?: string;
  field: DetailList | null;
  values: string[];
}

export interface DetailsDiff {
  dropped: DetailChange[];
  added: DetailChange[];
}

const sameStrings = (a: readonly string[] | undefined, b: readonly string[] | undefined) =>
  (a ?? []).length === (b ?? []).length && (a ?? []).every((value, index) => value === b?.[index]);

/** The granted detail a requested one is answered by: the same type and identifier, the same locations first. */
function counterpart(requested: AuthorizationDetail, granted: readonly AuthorizationDetail[], used: Set<number>): number {
  let best = -1;
  granted.forEach((detail, index) => {
    if (used.has(index) || detail.type !== requested.type || detail.identifier !== requested.identifier) return;
    if (best < 0 || (sameStrings(detail.locations, requested.locations) && !sameStrings(granted[best]?.locations, requested.locations)))
      best = index;
  });
  return best;
}

const change = (detail: AuthorizationDetail, field: DetailList | null, values: string[]): DetailChange => ({
  type: detail.type,
  ...(detail.identifier !== undefined ? { identifier: detail.identifier } : {}),
  field,
  values,
});

/**
 * What was requested and not granted, and granted and not requested. A list field is compared only when both sides
 * name it: a request that names no `actions` leaves them to the server (RFC 9396 s7: "at its discretion"), and a
 * response may leave values out (s7: "MAY omit values"). A requested detail of a type (and identifier) no granted
 * detail has is dropped whole; a granted one no request asked for is added whole.
 */
export function compareAuthorizationDetails(
  requested: readonly AuthorizationDetail[],
  granted: readonly AuthorizationDetail[],
): DetailsDiff {
  const diff: DetailsDiff = { dropped: [], added: [] };
  const used = new Set<number>();
  for (const asked of requested) {
    const index = counterpart(asked, granted, used);
    const answer = granted[index];
    if (!answer) {
      diff.dropped.push(change(asked, null, []));
      continue;
    }
    used.add(index);
    for (const field of DETAIL_LISTS) {
      const want = asked[field];
      const got = answer[field];
      if (!want || !got) continue;
      const gotSet = new Set(got);
      const wantSet = new Set(want);
      const missing = want.filter((value) => !gotSet.has(value));
      const extra = got.filter((value) => !wantSet.has(value));
      if (missing.length) diff.dropped.push(change(asked, field, missing));
      if (extra.length) diff.added.push(change(answer, field, extra));
    }
  }
  granted.forEach((detail, index) => {
    if (!used.has(index)) diff.added.push(change(detail, null, []));
  });
  return diff;
}

const SINGULAR: Record<DetailList, string> = { actions: 'action', locations: 'location', datatypes: 'datatype', privileges: 'privilege' };

/** A detail named in words: its type, and its identifier when it has one. */
export function detailName(detail: { type: string; identifier?: string }, quote: (text: string) => string): string {
  return detail.identifier === undefined ? quote(detail.type) : `${quote(detail.type)} (identifier ${quote(detail.identifier)})`;
}

/**
 * One change in words, as a user reads it: `"payment_initiation": action "write" requested, not granted`,
 * `"account_information": requested, not granted`.
 */
export function changeWords(item: DetailChange, dropped: boolean, quote: (text: string) => string): string {
  const outcome = dropped ? 'requested, not granted' : 'granted, not requested';
  if (item.field === null) return `${detailName(item, quote)}: ${outcome}`;
  const noun = item.values.length === 1 ? SINGULAR[item.field] : item.field;
  return `${detailName(item, quote)}: ${noun} ${item.values.map((value) => `"${quote(value)}"`).join(', ')} ${outcome}`;
}

/** A detail in one short line: `payment_initiation [initiate, status] at https://example.com/payments`. */
export function detailSummary(detail: AuthorizationDetail): string {
  const parts = [detail.identifier === undefined ? detail.type : `${detail.type} (${detail.identifier})`];
  if (detail.actions?.length) parts.push(`[${detail.actions.join(', ')}]`);
  if (detail.datatypes?.length) parts.push(`datatypes ${detail.datatypes.join(', ')}`);
  if (detail.privileges?.length) parts.push(`privileges ${detail.privileges.join(', ')}`);
  if (detail.locations?.length) parts.push(`at ${detail.locations.join(', ')}`);
  return parts.join(' ');
}

/**
 * Whether a detail's location is within an audience: the same server, or a URI below it at a path
 * boundary (`https://api.example/payments/v2` within `https://api.example/payments`).
 */
export function isLocationWithin(location: string, audience: string): boolean {
  if (isSameServer(location, audience)) return true;
  const base = audience.replace(/\/+$/, '');
  if (!/^[a-z][a-z0-9+.-]*:\/\/[^/]/i.test(base) || !location.startsWith(base)) return false;
  const next = location.charAt(base.length);
  return next === '/' || next === '?' || next === '#';
}
