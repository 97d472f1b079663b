/**
 * Tokens: JWTs decoded as jwt-decode decodes them (header and claims, never verified:
 * Tokenscope holds no keys and says so; jwt-part.ts takes the common case fast), opaque
 * tokens fingerprinted only.
 */
import { InvalidTokenError } from 'jwt-decode';
import { boundValue, MAX_DEPTH, MAX_MEMBERS } from './bounded.js';
import { isObject } from './json.js';
import { decodeJwtPart } from './jwt-part.js';
import { MAX_TOKEN_CHARS } from './limits.js';
import { fingerprint } from './sha256.js';
import type { TokenFormat, TokenKind, TokenReport } from './types.js';

const JWS_COMPACT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const JWE_COMPACT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

export interface DecodedToken {
  report: TokenReport;
  /** True when the value looks like a JWT and does not decode (malformed-token). */
  malformed: boolean;
  /** Why decoding failed, when it did. */
  problem: string | null;
}

/** Whether a string is shaped like a JWT, including a cut-off one (`eyJ...` with a dot). */
export function looksLikeJwt(value: string): boolean {
  return JWS_COMPACT.test(value) || (value.startsWith('eyJ') && value.includes('.'));
}

/** A numeric claim given as a number or a numeric string (some servers send `"exp": "1700000000"`). */
export function numericClaim(value: unknown): number | null {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) ? number : null;
}

/** ISO-8601 for seconds since the epoch, or null when out of the Date range. */
export function isoFromSeconds(seconds: number): string | null {
  const ms = seconds * 1000;
  return Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : null;
}

function decodeFailure(error: unknown): string {
  if (error instanceof InvalidTokenError) return error.message;
  return error instanceof Error ? error.message : String(error);
}

/**
 * Decode one token. `expiresIn` is the response's lifetime for this token
 * (RFC 6749 s5.1 `expires_in`), used when the token itself says nothing.
 */
export function decodeToken(value: string, kind: TokenKind, capturedAt: Date, expiresIn: number | null, showTokens: boolean): DecodedToken {
  const base: TokenReport = {
    kind,
    format: 'opaque',
    fingerprint: fingerprint(value),
    expiresAt: null,
    header: null,
    claims: null,
  };
  if (showTokens) base.value = value;
  const fromExpiresIn = expiresIn !== null ? isoFromSeconds(capturedAt.getTime() / 1000 + expiresIn) : null;

  if (value.length > MAX_TOKEN_CHARS) {
    return {
      report: { ...base, expiresAt: fromExpiresIn, note: `${value.length} characters: too large to decode, fingerprinted only` },
      malformed: looksLikeJwt(value.slice(0, 200)),
      problem: `the token is ${value.length} characters long, over the ${MAX_TOKEN_CHARS}-character limit`,
    };
  }
  if (JWE_COMPACT.test(value) && value.startsWith('eyJ')) {
    return {
      report: { ...base, expiresAt: fromExpiresIn, note: 'encrypted JWT (JWE): its claims cannot be read without the key' },
      malformed: false,
      problem: null,
    };
  }
  if (!looksLikeJwt(value)) {
    return { report: { ...base, expiresAt: fromExpiresIn }, malformed: false, problem: null };
  }

  const format: TokenFormat = 'jwt';
  let header: unknown;
  let claims: unknown;
  try {
    header = decodeJwtPart(value, 0);
    claims = decodeJwtPart(value, 1);
  } catch (error) {
    const problem = decodeFailure(error);
    return { report: { ...base, format, expiresAt: fromExpiresIn, note: `does not decode: ${problem}` }, malformed: true, problem };
  }
  if (!isObject(header) || !isObject(claims)) {
    const problem = `the ${isObject(header) ? 'payload' : 'header'} is JSON but not a JSON object`;
    return { report: { ...base, format, expiresAt: fromExpiresIn, note: `does not decode: ${problem}` }, malformed: true, problem };
  }
  const exp = numericClaim(claims.exp);
  // Kept within bounds (bounded.ts): a token nested thousands deep would break every view, export and the CLI.
  const keptHeader = boundValue(header);
  const keptClaims = boundValue(claims);
  const cut = keptHeader.cut || keptClaims.cut;
  return {
    report: {
      ...base,
      format,
      header: keptHeader.value,
      claims: keptClaims.value,
      expiresAt: exp !== null ? isoFromSeconds(exp) : fromExpiresIn,
      ...(cut ? { note: `claims nested over ${MAX_DEPTH} levels deep or with over ${MAX_MEMBERS} members: the rest is not kept` } : {}),
    },
    malformed: false,
    problem: null,
  };
}

/** The claims of a JWT, or null: no header, no fingerprint, no error detail. */
export function peekClaims(value: string): Record<string, unknown> | null {
  try {
    const claims: unknown = decodeJwtPart(value, 1);
    return isObject(claims) ? claims : null;
  } catch {
    return null;
  }
}

/** `aud` as a list of strings (RFC 7519 s4.1.3: a string or an array of strings). */
export function audiences(claims: Record<string, unknown> | null): string[] {
  if (!claims) return [];
  const aud = claims.aud;
  if (typeof aud === 'string') return aud === '' ? [] : [aud];
  if (Array.isArray(aud)) return aud.filter((value): value is string => typeof value === 'string' && value !== '');
  return [];
}
