/**
 * Streaming HAR reading: HARs of any size, one entry held at a time. Pure: it takes chunks
 * from whatever reads the file (fs streams, `File.stream()`, fetch bodies).
 *
 *   const reader = createHarStreamReader();
 *   for await (const chunk of source) reader.push(chunk);
 *   const result = reader.end(); // { exchanges, bearerRefs, bearerTokens, entries, notes, error }
 *   const uses = matchBearerUses(result, issuedTokenValues(result.exchanges));
 */
import type { BearerUse } from '../types.js';
import { fingerprintBearerUses, issuedTokenValues, matchBearerUses as matchRefs } from './bearer.js';
import { createHarStreamReader, type HarStreamOptions, type HarStreamResult } from './reader.js';

export type { BearerRef } from './bearer.js';
export { BearerTokens, issuedTokenValues } from './bearer.js';
export type { AuthorizationStep } from './entry.js';
export type { AsciiView, HarStreamError, HarStreamOptions, HarStreamResult } from './reader.js';
export { createHarStreamReader, HarStreamReader, MAX_ENTRY_CHARS } from './reader.js';
export type { HarSink } from './sink.js';
export { type EntryOutcome, readEntry } from './collect.js';
export { DeferredEntries, type DeferredOptions, type EntryBatch, type ReadBatch, readEntries } from './deferred.js';

/** Every Bearer use, every token hashed (once each): exactly readHar's `bearerUses`. */
export function bearerUses(result: HarStreamResult): BearerUse[] {
  return fingerprintBearerUses(result.bearerRefs, result.bearerTokens);
}

/**
 * Only the uses of the given token values (default: every string in the exchanges' response
 * bodies, a superset of the issued tokens), hashing only those tokens. buildReport gives the
 * same report with these as with `bearerUses(result)`: it only looks at uses of issued tokens.
 */
export function matchBearerUses(result: HarStreamResult, values: ReadonlySet<string> = issuedTokenValues(result.exchanges)): BearerUse[] {
  return matchRefs(result.bearerRefs, result.bearerTokens, values);
}

export interface HarStreamProgress {
  /** Bytes read so far. */
  bytes: number;
  entries: number;
  exchanges: number;
}

/** Reads a whole HAR from an async source of chunks. Stops early (keeping what was read) when the signal aborts. */
export async function readHarStream(
  source: AsyncIterable<Uint8Array | string>,
  options: HarStreamOptions & { onProgress?: (progress: HarStreamProgress) => void; signal?: AbortSignal } = {},
): Promise<HarStreamResult> {
  const reader = createHarStreamReader(options);
  for await (const chunk of source) {
    if (options.signal?.aborted) return reader.abort();
    reader.push(chunk);
    options.onProgress?.(reader.progress());
  }
  return reader.end();
}
