/**
 * The page hook's side of the extension boundary: window-message markers and the handshake that
 * gives the hook and the relay a private MessageChannel. A leaf module: the page hook runs it on
 * every watched page, so it imports nothing.
 */

/** The marker on an exchange from the page hook to the relay (over the private port). */
export const PAGE_MESSAGE = 'tokenscope/page-exchange/v1';
/**
 * The marker the page hook sends the relay as a request it follows goes out (no data): the relay watches the
 * document's Resource Timing from then on, to vouch for the exchange when it comes (content/resource-evidence.ts).
 */
export const PAGE_EXPECT_MESSAGE = 'tokenscope/page-expect/v1';
/**
 * The marker for a Bearer token the page sent, from the page hook to the relay over the private
 * port (the page's own scripts hold that token already). The relay hashes it and sends the worker
 * the fingerprint only (`page-bearer`).
 */
export const PAGE_BEARER_MESSAGE = 'tokenscope/page-bearer/v1';

/**
 * From the relay to the hook, over the port: the worker took the Bearer use the hook sent with this `id` (`taken`:
 * kept or held for the tab), or refused it. The hook counts a token and host as reported only once taken.
 */
export const BEARER_TAKEN = 'tokenscope/bearer-taken/v1';

/** What the hook passes under PAGE_BEARER_MESSAGE (as `bearer`). Untrusted: the relay checks it. */
export interface BearerSent {
  url: string;
  method: string;
  token: string;
  at: string;
  /** The Authorization scheme: `bearer`, or `dpop` (RFC 9449 s7.1). */
  scheme?: 'bearer' | 'dpop';
  /** A DPoP call's `DPoP` proof header (RFC 9449 s4), as sent: the relay reads what the report needs of it. */
  proof?: string;
  /** The call was answered 401 `WWW-Authenticate: DPoP error="use_dpop_nonce"` (RFC 9449 s9): a challenge, reported after the answer. */
  challenge?: 'use_dpop_nonce';
}
/**
 * The marker for a front-channel step (a document that is an authorization response, a navigation or popup to
 * an authorization request), from the page hook to the relay over the private port (`page-sign-in-step`).
 */
export const PAGE_SIGN_IN_STEP_MESSAGE = 'tokenscope/page-sign-in-step/v1';

/**
 * The marker for a `window.open` call of the page (with the URL it opened, if any), from the page hook to the relay
 * (`page-window-open`): the worker takes a new tab for a login popup of this page only after such a call, never for a
 * tab the page's links opened.
 */
export const PAGE_WINDOW_OPEN_MESSAGE = 'tokenscope/page-window-open/v1';

/** What the hook passes under PAGE_SIGN_IN_STEP_MESSAGE (as `step`). Untrusted: the worker checks it (sign-in-step.ts). */
export interface SignInStepSent {
  url: string;
  method: string;
  at: string;
  frame: 'top' | 'popup' | 'iframe';
  /** A pushed authorization request's body, or a form_post response's parameters. */
  body?: string | null;
  /** The answer to a pushed authorization request, or a discovery step's JSON answer. */
  responseBody?: string | null;
  /** A discovery step's HTTP status (a 401 challenge, a metadata answer). */
  status?: number;
  /** A 401's `WWW-Authenticate` naming `resource_metadata` (RFC 9728 s5.1). */
  wwwAuthenticate?: string;
  /** The discovery request's `MCP-Protocol-Version` header. */
  mcpProtocolVersion?: string;
}
/**
 * The handshake that gives the hook and the relay a private MessageChannel: the hook offers a port
 * (with the window message carrying only this marker), the relay takes the first one and says so over
 * it; a relay that starts after the hook asks for a new offer. Captured data goes through the port
 * only, never through window messages, which every script on the page can listen to.
 */
export const CHANNEL_OFFER = 'tokenscope/channel-offer/v1';
export const RELAY_READY = 'tokenscope/relay-ready/v1';
export const CHANNEL_ACK = 'tokenscope/channel-ack/v1';
/**
 * The relay's CHANNEL_ACK also names a secret event type (`event`, this pattern): from then on the hook hands each
 * message to the relay as that event's `detail` (JSON text), dispatched on `window` with the `dispatchEvent` it kept
 * from before any page script. A DOM event reaches the relay's listener synchronously, inside the hook's own call; a
 * port message is a task of its own, and a page that moves on at once (`location.replace` right after reading the
 * token response) unloads before that task runs: 5 in 100 sign-ins at 4x CPU slowdown were lost that way. A page
 * script cannot listen for a type it does not know, nor see a call made through the kept `dispatchEvent`.
 */
export const SYNC_EVENT_PATTERN = /^tokenscope-[0-9a-f]{32}$/;
/**
 * From a relay whose extension was reloaded or removed (it can no longer reach a worker) to the hook, over the
 * port: the captures it still held, as the hook first sent them (an exchange keeps its `captureId`). The hook
 * keeps them and offers a fresh channel, so the relay the new extension injects sends them on.
 */
export const RELAY_GONE = 'tokenscope/relay-gone/v1';
/**
 * The marker for a token call Tokenscope knows of but cannot read (`page-unread`), from the page hook or the relay:
 * a context the hook cannot enter (a worker started from a URL, a shared worker, the site's service worker), or a
 * token-endpoint request in the document's Resource Timing whose response no capture brought (relay).
 */
export const PAGE_UNREAD_MESSAGE = 'tokenscope/page-unread/v1';

/** What is sent under PAGE_UNREAD_MESSAGE (as `unread`). Untrusted: the worker checks it (protocol/unread.ts). */
export interface UnreadSent {
  /** `request`: a token request was seen, its response not read; `context`: a context that can make token calls unseen. */
  kind: 'request' | 'context';
  context: 'page' | 'worker' | 'shared-worker' | 'service-worker';
  /** Where: the request's or the context script's URL (the worker keeps origin and path only). */
  url: string;
  at: string;
  /** A request made before Tokenscope watched this page (it was in the page's timeline when the relay started). */
  beforeWatching?: boolean;
}

/** The name of the relay's long-lived port to the worker, which carries its captures (background/capture-port.ts). */
export const CAPTURE_PORT = 'tokenscope/captures/v1';

/** A capture id the relay makes (delivery across resends and relays): 12 random bytes, hex. */
export function isCaptureId(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-f]{24}$/.test(value);
}

/**
 * The capture id a message carries, or null when it carries none or a malformed one: the one reading of a capture id
 * for the relay (which makes a new one then) and the worker's page handlers (which then store without one).
 */
export function captureIdOf(value: unknown): string | null {
  return isCaptureId(value) ? value : null;
}
