/**
 * What the reader keeps from the entries it found, in two steps: `readEntry` reads one entry's
 * bytes (it parses them only if they can matter, entry.ts decides, and only as much as they must
 * be) into an `EntryOutcome` (an exchange, a Bearer use with its token unhashed, sign-in steps,
 * an authorization step, or a fault), with har.ts's per-entry functions, the same code readHar
 * runs; the `EntryCollector` applies outcomes in entry order to the result. The two can run in
 * different threads (the CLI reads a large file's entries in worker threads): an outcome is plain
 * data, and the collector alone decides caps, notes and where reading stopped.
 */
import { bearerSend, type BearerSend, toExchange } from '../har.js';
import { signInStepsFromHar } from '../sign-in/har.js';
import type { SignInStep } from '../sign-in/types.js';
import type { CapturedExchange } from '../types.js';
import { BearerTokens } from './bearer.js';
import { type AuthorizationStep, authorizationStepOf, need } from './entry.js';
import { oversizedEntry } from './oversize.js';
import { byteOfUnit } from './replacements.js';
import type { AsciiView, HarStreamResult } from './result.js';

const MAX_AUTHORIZATIONS = 10_000;

/** What one entry gives (nothing at all is `null`). */
export interface EntryOutcome {
  exchange?: CapturedExchange;
  bearer?: BearerSend;
  /** The entry's steps as the sign-in analysis reads them (for every entry parsed whole). */
  steps?: SignInStep[];
  authorization?: AuthorizationStep;
  /** Malformed JSON: the byte in the entry where parsing failed, and why. */
  fault?: { at: number; message: string };
}

const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
const decode: AsciiView = (bytes) => decoder.decode(bytes);

/**
 * One whole entry's bytes (`words`: what byte-scan.ts saw at the start of its strings). Decoded and
 * JSON.parsed only when it can matter; a fault (malformed JSON) is returned, not thrown.
 */
export function readEntry(bytes: Uint8Array, words: number, ascii: AsciiView = decode): EntryOutcome | null {
  let text: string | null = null;
  const needed = need(words, () => {
    text = ascii(bytes);
    return text;
  });
  if (needed === 'none') return null;
  // Decoded only now (the ASCII view may not be the text); native JSON.parse of the whole entry is faster
  // than crossing it again in JavaScript for its request alone.
  const decoded = ascii === decode && text !== null ? (text as string) : decoder.decode(bytes);
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(decoded);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const unit = Number(/position (\d+)/.exec(message)?.[1] ?? decoded.length);
    return { fault: { at: byteOfUnit(bytes, unit), message } };
  }
  const outcome: EntryOutcome = {};
  const exchange = needed === 'whole' ? toExchange(entry) : null;
  if (exchange) outcome.exchange = exchange;
  else {
    const send = bearerSend(entry);
    if (send) outcome.bearer = send;
  }
  if (needed === 'whole') {
    outcome.steps = signInStepsFromHar([entry]);
    const step = authorizationStepOf(entry);
    if (step) outcome.authorization = step;
  }
  return outcome;
}

export class EntryCollector {
  readonly result: HarStreamResult = {
    exchanges: [],
    bearerRefs: [],
    bearerTokens: new BearerTokens(),
    authorizations: [],
    signInSteps: [],
    entries: 0,
    bytes: 0,
    notes: [],
    error: null,
  };
  private authorizationsCapped = false;
  private exchangesCapped = false;

  constructor(private readonly maxExchanges: number) {}

  /** Whether a root `log.entries` array is being (or was) read: the input is a HAR. */
  foundEntries = false;
  /** Reading stopped (a fault): nothing more is applied. */
  failed = false;

  /** An element of log.entries starts (counted whatever it is). */
  element(): void {
    if (!this.failed) this.result.entries++;
  }

  /** The `entries` array of the root's `log` starts. */
  enter(): void {
    if (!this.failed) this.foundEntries = true;
  }

  /** One entry's outcome, the entry starting at byte `start`; false when it is malformed (reading stops). */
  apply(outcome: EntryOutcome | null, start: number): boolean {
    if (this.failed) return false;
    if (outcome === null) return true;
    if (outcome.fault) {
      this.fail(start + outcome.fault.at, `malformed JSON in entry ${this.result.entries} (counting from 1): ${outcome.fault.message}`);
      return false;
    }
    if (outcome.exchange) this.addExchange(outcome.exchange);
    if (outcome.bearer) this.addBearer(outcome.bearer);
    if (outcome.steps && this.result.signInSteps.length < MAX_AUTHORIZATIONS) this.result.signInSteps.push(...outcome.steps);
    const step = outcome.authorization;
    if (step && this.result.authorizations.length < MAX_AUTHORIZATIONS) this.result.authorizations.push(step);
    else if (step && !this.authorizationsCapped) {
      this.authorizationsCapped = true;
      this.result.notes.push(`Only the first ${MAX_AUTHORIZATIONS} authorization requests and redirects are kept.`);
    }
    return true;
  }

  /** Reading stops at byte `offset`, for `message`; what was read before is kept, and a note says so. */
  fail(offset: number, message: string): void {
    if (this.failed) return;
    this.failed = true;
    this.result.error = { offset, message };
    const { exchanges, entries } = this.result;
    this.result.notes.push(
      `Reading stopped at byte ${offset} (${message}); the ${exchanges.length} exchange(s) of the ${entries} entries before it were read.`,
    );
  }

  /** What is left of an entry over the size cap (its complete members), said in a note. */
  readOversized(members: Map<string, string>, start: number, bytes: number, max: number): void {
    if (this.failed) return;
    const over = `Entry ${this.result.entries} (at byte ${start}, ${bytes} bytes) is over the ${max}-byte limit`;
    const outcome = oversizedEntry.read(members, over);
    if (outcome.exchange) this.addExchange(outcome.exchange);
    if (outcome.bearer) this.addBearer(outcome.bearer);
    this.result.notes.push(outcome.note);
  }

  /** A later "log" or "entries" member replaces an earlier one, as in JSON.parse. */
  reset(): void {
    if (this.failed) return;
    this.foundEntries = false;
    const { result } = this;
    if (result.entries > 0)
      result.notes.push('The HAR has a duplicate "log" or "entries" member: only the last one is read, as JSON.parse does.');
    result.exchanges.length = 0;
    result.bearerRefs.length = 0;
    result.authorizations.length = 0;
    result.signInSteps.length = 0;
    result.entries = 0;
  }

  private addExchange(exchange: HarStreamResult['exchanges'][number]): void {
    if (this.result.exchanges.length < this.maxExchanges) {
      this.result.exchanges.push(exchange);
      return;
    }
    if (this.exchangesCapped) return;
    this.exchangesCapped = true;
    this.result.notes.push(`Only the first ${this.maxExchanges} token exchanges are kept; the HAR holds more.`);
  }

  private addBearer(send: BearerSend): void {
    this.result.bearerRefs.push({
      url: send.url,
      method: send.method,
      at: send.at,
      token: this.result.bearerTokens.add(send.token),
      ...(send.scheme === 'dpop' ? { scheme: 'dpop' as const } : {}),
      ...(send.proof ? { proof: send.proof } : {}),
      ...(send.challenge ? { challenge: send.challenge } : {}),
    });
  }
}
