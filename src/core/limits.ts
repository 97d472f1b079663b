/**
 * Every size cap in one place. Values from pages and responses are untrusted: nothing honest
 * comes near these, and each one bounds what a hostile page can make Tokenscope hold.
 * A leaf module: it imports nothing, so the page hook can use it.
 */

/** What a page (or the DevTools page) may send for one exchange, in characters. */
export const PAGE_LIMITS = {
  url: 8 * 1024,
  method: 16,
  requestBody: 64 * 1024,
  responseBody: 256 * 1024,
  contentType: 256,
  header: 8 * 1024,
  startedAt: 64,
  bodyNote: 500,
} as const;

/** A response body the core will parse, in characters (a HAR or a CLI input can hold more). */
export const MAX_BODY_CHARS = 1024 * 1024;
/** A token longer than this is fingerprinted but not decoded. */
export const MAX_TOKEN_CHARS = 64 * 1024;
/** A Bearer token the page hook fingerprints; longer ones are not reported. */
export const MAX_BEARER_CHARS = 16 * 1024;
/** Captures whose Resource Timing evidence one page message may carry (the relay holds at most 100 captures). */
export const MAX_EVIDENCE = 100;
/** Error descriptions and other response text quoted into one-sentence messages. */
export const MAX_QUOTED_CHARS = 300;
/**
 * A file the views import: a HAR of any size is read as a stream, and only its results are
 * held: at most `exchanges` token exchanges (a note says when there were more). Anything
 * else (a report, a token response) is held whole to be read, up to `otherBytes`.
 */
export const IMPORT_LIMITS = {
  exchanges: 5_000,
  otherBytes: 64 * 1024 * 1024,
} as const;

/**
 * Tabs' worth of exchanges the whole store holds at most (`STORE_LIMITS.exchanges` is per tab: a busy tab lets go of
 * its own oldest, never another tab's; past this bound the least recently active tab's oldest go first). Apart from
 * `STORE_LIMITS`: the popup's boot script carries that object whole and must stay small.
 */
export const STORE_EXCHANGE_TABS = 20;

/** What the worker keeps in `storage.session` (`exchanges`: per tab). */
export const STORE_LIMITS = {
  exchanges: 200,
  notes: 50,
  /** A request body read from webRequest (Firefox's response filter), for the candidate test. */
  requestBody: 64 * 1024,
  bearerUses: 500,
  /** Front-channel steps pages reported (authorization requests and responses), per tab. */
  signInSteps: 200,
  /** Tabs whose steps are kept (the tab whose last step is oldest goes first). */
  signInTabs: 50,
  /** Token calls seen and not read, and contexts whose calls cannot be seen, across tabs. */
  unread: 200,
} as const;
