/**
 * The one message map between the page relay, the DevTools page, the views and the worker.
 * Senders and handlers are typed from `Messages`; payloads from pages are `unknown` until
 * checked (page-exchange.ts).
 */
import type { Report } from '../core/types.js';
import type { ViewState } from './view-state.js';

/** Every message: its payload, and the reply the worker sends. */
export interface Messages {
  /**
   * A captured exchange, resent by the relay until the worker answers (content/delivery.ts). `captureId` names
   * this capture across resends (the same id again is the same capture, stored once); `seen` says the relay found
   * the request in the document's resource timing (the browser made it; the page cannot forge an entry).
   */
  /**
   * `opened`: the page has an opener (a popup); the worker files it under the opener tab the browser names, or, where
   * the browser names none (Firefox's popup windows), the watched tab showing `openerUrl` (the opener's address, read
   * by the relay when it is of the popup's origin). `evidence`: the Resource Timing evidence the relay found since for
   * captures it sent before from this document (as `page-evidence` names one), stored in the same write as this one.
   */
  'page-exchange': {
    payload: { exchange: unknown; captureId?: unknown; seen?: unknown; opened?: unknown; openerUrl?: unknown; evidence?: unknown };
    reply: { stored: boolean; reason?: string };
  };
  /**
   * The relay's evidence for a capture it already sent: the document's Resource Timing holds its request (`seen`), found
   * after the capture left (a page that moves on at once must not wait for it). Sent once the worker answered for the
   * capture; the worker upgrades that capture (its id, URL and start, in the sender's tab) from page-reported to verified.
   * `evidence`: more captures' evidence of the same kind, upgraded in the same write.
   */
  'page-evidence': {
    payload: { captureId: unknown; url: unknown; startedAt: unknown; opened?: unknown; openerUrl?: unknown; evidence?: unknown };
    reply: { upgraded: boolean };
  };
  'page-refused': { payload: { reason: string; size: number }; reply: { noted: boolean } };
  /** Captures the relay gave up on (its queue was full, or the worker never answered): said in the tab's notes. */
  'page-lost': { payload: { count: number; reason: string }; reply: { noted: boolean } };
  /**
   * A token the page sent as `Authorization: Bearer` (fingerprint only), once per token and host. `recorded`: a use of
   * a stored token; `held`: its token is not stored yet, the use is kept for the tab until its exchange lands (bearer.ts).
   */
  'page-bearer': { payload: { use: unknown }; reply: { recorded: boolean; held?: boolean } };
  /** A front-channel step the page saw (sign-in-step.ts), resent until answered like an exchange; stored per tab. */
  /** `windowOpen`: the step is the sending page's own `window.open` call: filed under its own tab, never its opener's. */
  'page-sign-in-step': {
    payload: { step: unknown; captureId?: unknown; openerUrl?: unknown; windowOpen?: unknown };
    reply: { stored: boolean; reason?: string };
  };
  /** The page called `window.open` (with the URL, if any): its next new tab may be its login popup (openers.ts). */
  'page-window-open': { payload: { url?: unknown }; reply: { noted: boolean } };
  /**
   * A token call the page side knows of but could not read (protocol/unread.ts): a request in the document's
   * Resource Timing with no capture, or a context the hook cannot enter. Resent until answered; kept per tab.
   */
  'page-unread': {
    payload: { unread: unknown; captureId?: unknown; opened?: unknown; openerUrl?: unknown };
    reply: { stored: boolean; reason?: string };
  };
  'devtools-exchange': { payload: { tabId: number; exchange: unknown }; reply: { stored: boolean; reason?: string } };
  /** `limit`: how many exchanges (newest first) to send in full; the summary always counts them all. */
  'get-view': { payload: { tabId: number | null; limit?: number }; reply: ViewState };
  clear: { payload: { tabId: number | null }; reply: { cleared: number } };
  /** One token's value, for the view's reveal and copy (extension pages only). */
  'reveal-token': { payload: { tabId: number; exchangeId: string; fingerprint: string }; reply: { value: string | null } };
  /** The tab's report for export; token values only when asked. */
  'export-report': { payload: { tabId: number | null; showTokens: boolean }; reply: Report };
}

export type MessageName = keyof Messages;
export type Message<N extends MessageName = MessageName> = { type: N } & Messages[N]['payload'];
