/**
 * Bearer uses, matched by value. The reader keeps each distinct Bearer token value once
 * (up to a budget) and hashes none; a report only cares about uses of tokens it issued
 * (analyze's token-sent-beyond-audience looks up each use's fingerprint among the issued
 * tokens and drops the rest), so only values equal to an issued token need hashing.
 */
import { formPairs } from '../form.js';
import { isObject } from '../json.js';
import { MAX_TOKEN_CHARS } from '../limits.js';
import { fingerprint } from '../sha256.js';
import type { BearerUse, CapturedExchange } from '../types.js';

/** Characters of distinct Bearer token values kept; past this, new values are hashed as they come. */
export const BEARER_VALUE_BUDGET = 16 * 1024 * 1024;

/** A Bearer use as the reader keeps it: which token, by its index in the token table. */
export interface BearerRef {
  url: string;
  method: string;
  at: string;
  token: number;
  /** `dpop` for `Authorization: DPoP` (RFC 9449 s7.1); absent for Bearer (a HAR shows which: the use says `bearer`). */
  scheme?: 'dpop';
  proof?: BearerUse['proof'];
  /** The resource server's 401 nonce challenge (RFC 9449 s9). */
  challenge?: 'use_dpop_nonce';
}

/** The distinct Bearer tokens seen: their values, or (past the budget) their fingerprints only. */
export class BearerTokens {
  /** The value, or null when only the fingerprint was kept. */
  readonly values: (string | null)[] = [];
  /** Fingerprints computed so far (all of them past the budget, on demand before it). */
  readonly prints: (string | undefined)[] = [];
  private readonly index = new Map<string, number>();
  private kept = 0;

  add(token: string): number {
    const known = this.index.get(token);
    if (known !== undefined) return known;
    const id = this.values.length;
    if (this.kept + token.length <= BEARER_VALUE_BUDGET) {
      this.kept += token.length;
      this.index.set(token, id);
      this.values.push(token);
      this.prints.push(undefined);
    } else {
      this.values.push(null);
      this.prints.push(fingerprint(token));
    }
    return id;
  }

  get size(): number {
    return this.values.length;
  }

  /** The token's fingerprint, hashed at most once. */
  fingerprintOf(id: number): string {
    let print = this.prints[id];
    if (print === undefined) {
      print = fingerprint(this.values[id] as string);
      this.prints[id] = print;
    }
    return print;
  }
}

/** Every Bearer use, each token hashed once: what readHar's `bearerUses` holds. */
export function fingerprintBearerUses(refs: readonly BearerRef[], tokens: BearerTokens): BearerUse[] {
  return refs.map((ref) => ({
    url: ref.url,
    method: ref.method,
    fingerprint: tokens.fingerprintOf(ref.token),
    at: ref.at,
    scheme: ref.scheme ?? 'bearer',
    ...(ref.proof ? { proof: ref.proof } : {}),
    ...(ref.challenge ? { challenge: ref.challenge } : {}),
  }));
}

/**
 * The Bearer uses of the given token values only, fingerprinted (hashing only those).
 * With `issuedTokenValues(exchanges)` as `values`, buildReport finds exactly what it finds
 * with every use. A token kept as a fingerprint only (past the budget) is compared by
 * fingerprint, which hashes the values once.
 */
export function matchBearerUses(refs: readonly BearerRef[], tokens: BearerTokens, values: ReadonlySet<string>): BearerUse[] {
  const wanted = new Set<number>();
  let printsOfValues: Set<string> | null = null;
  for (let id = 0; id < tokens.size; id++) {
    const value = tokens.values[id];
    if (value !== null && value !== undefined) {
      if (values.has(value)) wanted.add(id);
      continue;
    }
    // Only values a Bearer header could carry (no whitespace, not over the cap) can equal a Bearer token.
    printsOfValues ??= new Set([...values].filter((v) => v.length <= MAX_TOKEN_CHARS && !/\s/.test(v)).map(fingerprint));
    if (printsOfValues.has(tokens.fingerprintOf(id))) wanted.add(id);
  }
  return fingerprintBearerUses(
    refs.filter((ref) => wanted.has(ref.token)),
    tokens,
  );
}

/** Walks parsed JSON and collects its strings (the token fields of a response are among them). */
function collectStrings(value: unknown, into: Set<string>, depth: number): void {
  if (typeof value === 'string') into.add(value);
  else if (depth > 8) return;
  else if (Array.isArray(value)) for (const item of value) collectStrings(item, into, depth + 1);
  else if (isObject(value)) for (const item of Object.values(value)) collectStrings(item, into, depth + 1);
}

/**
 * Every string a response body of these exchanges holds, as JSON (nested: other_tokens) and
 * as form data: a superset of the token values buildReport lists as issued (it reads
 * access_token, refresh_token and id_token from the same parse of the same bodies).
 */
export function issuedTokenValues(exchanges: readonly CapturedExchange[]): Set<string> {
  const values = new Set<string>();
  for (const exchange of exchanges) {
    const body = exchange.response.body;
    if (body === null) continue;
    const trimmed = body.trim();
    try {
      collectStrings(JSON.parse(trimmed), values, 0);
    } catch {
      // Not JSON: form data, below.
    }
    for (const [, value] of formPairs(trimmed)) values.add(value);
  }
  return values;
}
