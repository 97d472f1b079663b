/**
 * Response shapes real traffic has, read for what they are and said in plain words: RFC 8693 token
 * exchange (`issued_token_type`, `token_type: N_A`), device-authorization polling (RFC 8628
 * `authorization_pending`, `slow_down`), `expires_in` as a fraction or a lifetime of decades, `scope`
 * as a JSON array.
 */
import { type JsonObject, nonEmptyString } from '../json.js';
import { numericClaim } from '../tokens.js';
import type { TokenKind } from '../types.js';
import { quote } from './findings.js';

/** RFC 8693 s3 token type URIs, as their last part. */
const TOKEN_TYPE_URI = /^urn:ietf:params:oauth:token-type:([a-z0-9_-]+)$/i;

/** What an RFC 8693 response's `access_token` field really holds. */
export interface IssuedToken {
  /** The kind the report files it as. */
  kind: TokenKind;
  /** True when it is not an access token: the access-token rules do not apply to it. */
  notAccessToken: boolean;
  /** The response's `issued_token_type`, when it has one. */
  issuedTokenType: string | null;
  /** What it is, in words, when that is not what the field's name says. */
  note: string | null;
}

/**
 * RFC 8693 s2.2.1: `access_token` holds the issued token whatever its type; `token_type` is `N_A` when
 * it is not an access token. An issued ID token or refresh token is filed as one; anything else that is
 * not an access token (a transaction token, an ID-JAG, a SAML assertion) keeps the field's kind with a
 * note, and is checked for validity only.
 */
export function readIssuedToken(entry: JsonObject): IssuedToken {
  const issuedTokenType = nonEmptyString(entry.issued_token_type);
  const tokenType = nonEmptyString(entry.token_type);
  const name = issuedTokenType ? (TOKEN_TYPE_URI.exec(issuedTokenType)?.[1]?.toLowerCase() ?? issuedTokenType) : null;
  const base = { issuedTokenType, note: null };
  if (name === 'id_token') return { ...base, kind: 'id', notAccessToken: false, note: 'an ID token issued by token exchange (RFC 8693)' };
  if (name === 'refresh_token')
    return { ...base, kind: 'refresh', notAccessToken: false, note: 'a refresh token issued by token exchange (RFC 8693)' };
  const isNA = tokenType?.toUpperCase() === 'N_A';
  if (!isNA && (name === null || name === 'access_token' || name === 'jwt')) return { ...base, kind: 'access', notAccessToken: false };
  return {
    ...base,
    kind: 'access',
    notAccessToken: true,
    note: `not an access token: token exchange (RFC 8693) issued ${quote(name ?? 'a token')}${isNA ? ' with token_type N_A' : ''}; only its validity is checked`,
  };
}

/** A lifetime in words: "20 years", "60 days", "3 h". */
function lifetimeWords(seconds: number): string {
  const day = 86400;
  if (seconds >= 365 * day) return `about ${Math.round(seconds / (365.25 * day))} years`;
  if (seconds >= day) return `about ${Math.round(seconds / day)} days`;
  return `${Math.round(seconds / 3600)} h`;
}

/** Notes on the shape of a top-level entry's `expires_in` and `scope`, when they are not what RFC 6749 s5.1 describes. */
export function shapeNotes(entry: JsonObject, label: string): string[] {
  const notes: string[] = [];
  const expiresIn = numericClaim(entry.expires_in);
  if (expiresIn !== null) {
    if (Math.abs(expiresIn) * 1000 > 8.64e15) {
      notes.push(`${label}: expires_in ${quote(String(entry.expires_in))} is beyond any date; the token is treated as having no expiry.`);
    } else if (expiresIn > 365 * 86400) {
      notes.push(`${label}: expires_in is ${expiresIn} seconds (${lifetimeWords(expiresIn)}): the access token practically never expires.`);
    }
    if (!Number.isInteger(expiresIn)) {
      notes.push(
        `${label}: expires_in ${quote(String(entry.expires_in))} is not a whole number of seconds (RFC 6749 s5.1); read as given.`,
      );
    }
  }
  if (Array.isArray(entry.scope)) {
    notes.push(
      `${label}: scope is a JSON array, not the space-delimited string RFC 6749 s3.3 defines; read as ${entry.scope.length} scopes.`,
    );
  }
  return notes;
}

/** RFC 8628 s3.5: answers to a device polling for its token that are a state, not a failure; the note that says so, else null. */
export function devicePollingNote(error: string, value: JsonObject): string | null {
  if (error === 'authorization_pending') {
    return 'Device authorization (RFC 8628 s3.5): the user has not approved the device yet (authorization_pending); the device keeps polling. A state, not a failure.';
  }
  if (error === 'slow_down') {
    const interval = numericClaim(value.interval);
    return `Device authorization (RFC 8628 s3.5): the device polls too often (slow_down); it must wait 5 seconds longer between polls${interval !== null ? ` (the server asks for ${interval} s)` : ''}. A state, not a failure.`;
  }
  return null;
}

/** RFC 8628 s3.2: the device authorization response, which starts a device sign-in and holds no token. */
export function isDeviceAuthorizationResponse(value: JsonObject): boolean {
  return typeof value.device_code === 'string' && typeof value.user_code === 'string' && 'verification_uri' in value;
}
