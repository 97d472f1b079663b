/**
 * What the reader keeps from the entries it found: each whole entry's text is parsed only if
 * it can matter, and only as much as it must be (entry.ts decides), then turned into an
 * exchange, a Bearer use (its token kept unhashed) or an authorization step by har.ts's
 * per-entry functions, the same code readHar runs.
 */
import { bearerSend, type BearerSend, toExchange } from '../har.js';
import { BearerTokens } from './bearer.js';
import { authorizationStepOf, need } from './entry.js';
import { signInStepsFromHar } from '../sign-in/har.js';
import { oversizedEntry } from './oversize.js';
import type { HarStreamResult } from './result.js';
import { utf8Length } from './scan.js';

const MAX_AUTHORIZATIONS = 10_000;

/** A malformed entry: where in its text parsing failed, and why. */
export interface EntryFault {
  /** Bytes into the entry's text (its UTF-8), and the UTF-16 unit there. */
  at: number;
  unit: number;
  message: string;
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

  /** One whole entry's text; a fault (malformed JSON) is returned, not thrown. */
  read(text: string): EntryFault | null {
    const needed = need(text);
    if (needed === 'none') return null;
    let entry: Record<string, unknown>;
    try {
      // Native JSON.parse of the whole entry is faster than crossing it again in JavaScript for its request alone.
      entry = JSON.parse(text);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const at = Number(/position (\d+)/.exec(message)?.[1] ?? text.length);
      return { at: utf8Length(text.slice(0, at)), unit: at, message };
    }
    const exchange = needed === 'whole' ? toExchange(entry) : null;
    if (exchange) this.addExchange(exchange);
    else {
      const send = bearerSend(entry);
      if (send) this.addBearer(send);
    }
    const step = needed === 'whole' ? authorizationStepOf(entry) : null;
    if (needed === 'whole' && this.result.signInSteps.length < MAX_AUTHORIZATIONS)
      this.result.signInSteps.push(...signInStepsFromHar([entry]));
    if (step && this.result.authorizations.length < MAX_AUTHORIZATIONS) this.result.authorizations.push(step);
    else if (step && !this.authorizationsCapped) {
      this.authorizationsCapped = true;
      this.result.notes.push(`Only the first ${MAX_AUTHORIZATIONS} authorization requests and redirects are kept.`);
    }
    return null;
  }

  /** What is left of an entry over the size cap (its complete members), said in a note. */
  readOversized(members: Map<string, string>, over: string): void {
    const outcome = oversizedEntry.read(members, over);
    if (outcome.exchange) this.addExchange(outcome.exchange);
    if (outcome.bearer) this.addBearer(outcome.bearer);
    this.result.notes.push(outcome.note);
  }

  /** A later "log" or "entries" member replaces an earlier one, as in JSON.parse. */
  reset(): void {
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
