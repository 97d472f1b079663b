/** What the streaming HAR reader gives. */
import type { CapturedExchange } from '../types.js';
import type { BearerRef, BearerTokens } from './bearer.js';
import type { SignInStep } from '../sign-in/types.js';
import type { AuthorizationStep } from './entry.js';

export interface HarStreamError {
  /** Byte offset in the input (UTF-8) where reading stopped. */
  offset: number;
  message: string;
}

export interface HarStreamResult {
  /** What readHar's `exchanges` holds for the same HAR (up to the error, if any). */
  exchanges: CapturedExchange[];
  /** Where Bearer tokens were sent, tokens by index in `bearerTokens`: see bearerUses / matchBearerUses. */
  bearerRefs: BearerRef[];
  bearerTokens: BearerTokens;
  /** Authorization requests and redirects carrying code= / error= (for the sign-in analysis). */
  authorizations: AuthorizationStep[];
  /** The same entries as the sign-in analysis reads them (PAR bodies included), as `signInStepsFromHar` gives for a whole HAR. */
  signInSteps: SignInStep[];
  /** Elements of log.entries read (as `parsed.log.entries.length` counts them). */
  entries: number;
  /** Bytes read. */
  bytes: number;
  /** What was skipped or cut short, one sentence each. */
  notes: string[];
  error: HarStreamError | null;
}

/** Reads an entry's bytes one byte to a character (for the ASCII tests of entry.ts). */
export type AsciiView = (bytes: Uint8Array) => string;

export interface HarStreamOptions {
  /** An entry larger than this (bytes of UTF-8; the name is older than the byte reader) is not held: only its request is read, if it comes first. */
  maxEntryChars?: number;
  /** Exchanges kept (the results a view can hold); past this, a note says more were found. Default: no cap. */
  maxExchanges?: number;
  /** How an entry's bytes are read one byte to a character for the cheap tests (collect.ts); default: decoded. The CLI passes Buffer's latin1. */
  asciiView?: AsciiView;
}
