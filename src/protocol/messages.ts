/**
 * The one message map between the page relay, the DevTools page, the views and the worker.
 * Senders and handlers are typed from `Messages`; payloads from pages are `unknown` until
 * checked (page-exchange.ts).
 */
import type { Report } from '../core/types.js';
import type { ViewState } from './view-state.js';

/** Every message: its payload, and the reply the worker sends. */
export interface Messages {
  'page-exchange': { payload: { exchange: unknown }; reply: { stored: boolean; reason?: string } };
  'page-refused': { payload: { reason: string; size: number }; reply: { noted: boolean } };
  /** A token the page sent as `Authorization: Bearer` (fingerprint only), once per token and host. */
  'page-bearer': { payload: { use: unknown }; reply: { recorded: boolean } };
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
