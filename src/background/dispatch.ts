/**
 * The worker's one message listener: the sender is checked first (sender.ts), then the message goes
 * to the handler map of that sender's trust group. Anything else, or any other sender, gets no answer.
 */
import type { Runtime } from 'webextension-polyfill';
import type { Message } from '../protocol/messages.js';
import type { WorkerDeps } from './deps.js';
import { type ExtensionMessageName, extensionHandlers } from './extension-handlers.js';
import { type PageMessageName, pageHandlers } from './page-handlers.js';
import { checkSender, type PageSender } from './sender.js';

type PageHandler = (deps: WorkerDeps, message: Message, sender: PageSender) => Promise<unknown>;
type ExtensionHandler = (deps: WorkerDeps, message: Message) => Promise<unknown>;

/** Dispatch one message after checking who sent it; undefined (no answer) for anything else. */
export function handleMessage(deps: WorkerDeps, message: unknown, sender: Runtime.MessageSender): Promise<unknown> | undefined {
  if (typeof message !== 'object' || message === null || typeof (message as { type?: unknown }).type !== 'string') return undefined;
  const type = (message as { type: string }).type;
  if (Object.hasOwn(pageHandlers, type)) {
    const from = checkSender(deps.browser, sender);
    if (from?.trust !== 'page') return undefined;
    return (pageHandlers[type as PageMessageName] as PageHandler)(deps, message as Message, from);
  }
  if (Object.hasOwn(extensionHandlers, type)) {
    if (checkSender(deps.browser, sender)?.trust !== 'extension') return undefined;
    return (extensionHandlers[type as ExtensionMessageName] as ExtensionHandler)(deps, message as Message);
  }
  return undefined;
}
