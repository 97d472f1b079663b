/**
 * A token the site's service worker holds (`src/core/held-tokens.ts`): the page, and so the page hook, got a
 * placeholder. The report says so (`heldBy`, a note) instead of reading the placeholder as an opaque token; for an
 * access token, the claims the worker decoded from the real token (`accessTokenPayload`, when it sent them) stand in
 * for the token's own, so its audience and scopes are still checked.
 */
import { heldTokenNote, heldTokenOf } from '../held-tokens.js';
import { isObject, type JsonObject } from '../json.js';
import { isoFromSeconds, numericClaim } from '../tokens.js';
import type { GrantedToken } from './exchange-context.js';

/** Marks `token` (decoded from `value`) as held by a service worker when `value` is a known placeholder. */
export function markHeldToken(token: GrantedToken, value: string, entry: JsonObject): void {
  const held = heldTokenOf(value);
  if (!held) return;
  const { report } = token.decoded;
  report.heldBy = held.sdk;
  const notes = [heldTokenNote(held)];
  const payload = entry.accessTokenPayload;
  if (report.kind === 'access' && isObject(payload)) {
    report.format = 'jwt';
    report.claims = payload;
    const exp = numericClaim(payload.exp);
    if (exp !== null) report.expiresAt = isoFromSeconds(exp);
    notes.push('claims as that worker decoded the real token (accessTokenPayload), unverified like any other');
  }
  report.note = report.note ? `${notes.join('; ')}; ${report.note}` : notes.join('; ');
}
