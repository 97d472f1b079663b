/** Typed sending over the one protocol (src/protocol/messages.ts). */
import type { Browser } from 'webextension-polyfill';
import type { Message, MessageName, Messages } from '../protocol/messages.js';

export function sendMessage<N extends MessageName>(browser: Browser, message: Message<N>): Promise<Messages[N]['reply']> {
  return browser.runtime.sendMessage(message) as Promise<Messages[N]['reply']>;
}
