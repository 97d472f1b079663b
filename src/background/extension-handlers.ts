/** Messages from extension pages only (popup, DevTools page and panel): privileged. */
import { originOf } from '../core/match-pattern.js';
import type { Message, Messages } from '../protocol/messages.js';
import { checkPageExchange, toCapturedExchange } from '../protocol/page-exchange.js';
import { updateBadge, updateOpenTabBadges } from './badge.js';
import type { WorkerDeps } from './deps.js';
import { storeCapture } from './store-capture.js';
import { tabReport } from './tab-report.js';
import { viewState } from './tab-view.js';

export type ExtensionMessageName = 'devtools-exchange' | 'get-view' | 'clear' | 'reveal-token' | 'export-report';

type ExtensionHandler<N extends ExtensionMessageName> = (deps: WorkerDeps, message: Message<N>) => Promise<Messages[N]['reply']>;

/** The site of a tab, or 'unknown' when it closed meanwhile (the exchange is kept under its id). */
async function siteOfTab(deps: WorkerDeps, tabId: number): Promise<string> {
  try {
    return originOf((await deps.browser.tabs.get(tabId)).url ?? '') ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

export const extensionHandlers: { [N in ExtensionMessageName]: ExtensionHandler<N> } = {
  async 'devtools-exchange'(deps, message) {
    if (!Number.isInteger(message.tabId) || message.tabId < 0) return { stored: false, reason: 'no tab' };
    const checked = checkPageExchange(message.exchange);
    if (!checked.ok) return { stored: false, reason: checked.reason };
    const site = await siteOfTab(deps, message.tabId);
    return storeCapture(deps, toCapturedExchange(checked.exchange, 'devtools'), {
      tabId: message.tabId,
      site,
      seenBy: ['devtools'],
      verification: 'devtools',
    });
  },
  async 'get-view'(deps, message) {
    const limit = Number.isInteger(message.limit) && (message.limit as number) > 0 ? (message.limit as number) : undefined;
    return viewState(deps, message.tabId, limit);
  },
  async 'reveal-token'(deps, message) {
    const report = await tabReport(deps, message.tabId, true);
    const exchange = report.exchanges.find((e) => e.id === message.exchangeId);
    const token = exchange?.resourceServers.flatMap((server) => server.tokens).find((t) => t.fingerprint === message.fingerprint);
    return { value: token?.value ?? null };
  },
  async 'export-report'(deps, message) {
    return tabReport(deps, message.tabId, message.showTokens === true);
  },
  async clear(deps, message) {
    const cleared = await deps.store.clear(message.tabId);
    await deps.signIns.clear(message.tabId);
    await deps.unread.clear(message.tabId);
    await deps.bearer.clear(message.tabId);
    if (message.tabId !== null) await updateBadge(deps, message.tabId);
    else await updateOpenTabBadges(deps);
    return { cleared };
  },
};
