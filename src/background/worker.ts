/**
 * The worker's logic: message handlers keyed by the protocol, grouped by trust,
 * and the view state the popup and panel render. Browser APIs come in through
 * `browser` (webextension-polyfill), so tests can hand in small fakes.
 */
import type { Browser, Runtime } from 'webextension-polyfill';
import { buildReport, exchangeId } from '../core/analysis/index.js';
import { isCandidateRequest } from '../core/candidate.js';
import { originOf } from '../core/match-pattern.js';
import type { StoredExchange } from './store.js';
import type { Message, MessageName, Messages } from '../protocol/messages.js';
import { checkBearerUse, checkPageExchange, toCapturedExchange } from '../protocol/page-exchange.js';
import type { CaptureInfo, ViewState } from '../protocol/view-state.js';
import { sha256Hex } from '../core/sha256.js';
import type { CapturedExchange, Report } from '../core/types.js';
import type { BearerLog } from './bearer.js';
import type { ReportCache } from './report-cache.js';
import type { ExchangeStore } from './store.js';
import { grantedOrigins, isWatched } from './watched-sites.js';
import type { WireLog } from './wire.js';

export interface WorkerDeps {
  browser: Browser;
  store: ExchangeStore;
  wire: WireLog;
  /** Where captured tokens were sent afterwards; absent where nothing watches request headers. */
  bearer?: BearerLog;
  /** Each tab's analysis until the store changes. */
  cache?: ReportCache;
}

/** A tab's stored exchanges as a report, newest first (from the cache unless token values are asked for). */
async function analyzeTab(deps: WorkerDeps, tabId: number | null, showTokens = false): Promise<Report> {
  const compute = async () => {
    const [{ exchanges }, bearerUses] = await Promise.all([deps.store.read(), deps.bearer?.uses() ?? []]);
    const report = buildReport(
      exchanges.filter((e) => e.capture.tabId === tabId).map((e) => e.exchange),
      { showTokens, bearerUses },
    );
    report.exchanges.reverse();
    return report;
  };
  return showTokens || !deps.cache ? compute() : deps.cache.get(tabId, compute);
}

/**
 * The same exchange from two sources has the same key: method, URL and response body (or its
 * absence). Each source has its own clock, so time is left out; the store tells two exchanges with
 * the same key apart by how far apart they happened.
 */
export function exchangeKey(exchange: CapturedExchange): string {
  return sha256Hex(`${exchange.method} ${exchange.url}\n${exchange.response.body ?? '(no body)'}`).slice(0, 24);
}

/** Recompute the tab's badge: the count of high-severity findings. */
export async function updateBadge(deps: WorkerDeps, tabId: number): Promise<void> {
  const high = (await analyzeTab(deps, tabId)).summary.findings.high;
  try {
    await deps.browser.action.setBadgeBackgroundColor({ tabId, color: '#b3261e' });
    await deps.browser.action.setBadgeText({ tabId, text: high > 0 ? String(high) : '' });
  } catch {
    // The tab is gone.
  }
}

/** Recompute the badge of every tab with stored exchanges (a Bearer use may add a finding to any of them). */
export async function updateAllBadges(deps: WorkerDeps): Promise<void> {
  const { exchanges } = await deps.store.read();
  for (const tabId of new Set(exchanges.map((e) => e.capture.tabId))) await updateBadge(deps, tabId);
}

async function store(deps: WorkerDeps, exchange: CapturedExchange, capture: CaptureInfo): Promise<{ stored: boolean }> {
  const stored: StoredExchange = { key: exchangeKey(exchange), capture, exchange };
  await deps.store.add(stored);
  await updateBadge(deps, capture.tabId);
  return { stored: true };
}

function isExtensionPage(deps: WorkerDeps, sender: Runtime.MessageSender): boolean {
  return sender.id === deps.browser.runtime.id && typeof sender.url === 'string' && sender.url.startsWith(deps.browser.runtime.getURL(''));
}

function isOurContentScript(deps: WorkerDeps, sender: Runtime.MessageSender): boolean {
  return sender.id === deps.browser.runtime.id && sender.tab?.id !== undefined && typeof sender.url === 'string' && !sender.url.startsWith(deps.browser.runtime.getURL(''));
}

type Handler<N extends MessageName> = (deps: WorkerDeps, message: Message<N>, sender: Runtime.MessageSender) => Promise<Messages[N]['reply']>;

/** From pages (through the relay): untrusted. Tab and site come from the sender, never from the message. */
const pageHandlers: { [N in 'page-exchange' | 'page-refused' | 'page-bearer']: Handler<N> } = {
  async 'page-bearer'(deps, message, sender) {
    const origins = await grantedOrigins(deps.browser);
    if (!isWatched(origins, sender.url as string)) return { recorded: false };
    const use = checkBearerUse(message.use);
    if (!use || !deps.bearer) return { recorded: false };
    const recorded = await deps.bearer.record(use);
    if (recorded) {
      deps.cache?.invalidate();
      await updateAllBadges(deps);
    }
    return { recorded };
  },
  async 'page-exchange'(deps, message, sender) {
    const tabId = sender.tab?.id as number;
    const site = originOf(sender.url as string) ?? 'unknown';
    const origins = await grantedOrigins(deps.browser);
    // Removing a site stops capture at once, also from hooks already running in open tabs.
    if (!isWatched(origins, sender.url as string)) return { stored: false, reason: 'site not watched' };
    const checked = checkPageExchange(message.exchange);
    if (!checked.ok) {
      if (checked.oversize) await deps.store.addNote({ tabId, at: new Date().toISOString(), message: `Refused an exchange from ${site}: ${checked.reason}.` });
      return { stored: false, reason: checked.reason };
    }
    const page = checked.exchange;
    if (!isCandidateRequest(page.method, page.url, page.requestBody) && !(page.responseBody ?? '').includes('access_token')) {
      return { stored: false, reason: 'not a token exchange' };
    }
    const exchange = toCapturedExchange(page, 'page-hook');
    const verified = await deps.wire.verify(tabId, exchange.method, exchange.url, Date.parse(exchange.startedAt));
    return store(deps, exchange, { tabId, site, seenBy: ['page-hook'], verification: verified ? 'verified' : 'page-reported' });
  },
  async 'page-refused'(deps, message, sender) {
    const tabId = sender.tab?.id as number;
    const origins = await grantedOrigins(deps.browser);
    if (!isWatched(origins, sender.url as string)) return { noted: false };
    const size = Number.isFinite(message.size) ? Math.round(message.size) : 0;
    await deps.store.addNote({ tabId, at: new Date().toISOString(), message: `Refused an exchange of about ${size} characters from ${originOf(sender.url as string) ?? 'a page'}: over the size limit.` });
    return { noted: true };
  },
};

/** From extension pages only (popup, DevTools page and panel): privileged. */
const extensionHandlers: { [N in 'devtools-exchange' | 'get-view' | 'clear' | 'reveal-token' | 'export-report']: Handler<N> } = {
  async 'devtools-exchange'(deps, message) {
    if (!Number.isInteger(message.tabId) || message.tabId < 0) return { stored: false, reason: 'no tab' };
    const checked = checkPageExchange(message.exchange);
    if (!checked.ok) return { stored: false, reason: checked.reason };
    let site = 'unknown';
    try {
      site = originOf((await deps.browser.tabs.get(message.tabId)).url ?? '') ?? 'unknown';
    } catch {
      // The tab closed meanwhile: keep the exchange under its id.
    }
    return store(deps, toCapturedExchange(checked.exchange, 'devtools'), { tabId: message.tabId, site, seenBy: ['devtools'], verification: 'devtools' });
  },
  async 'get-view'(deps, message) {
    const limit = Number.isInteger(message.limit) && (message.limit as number) > 0 ? (message.limit as number) : undefined;
    return viewState(deps, message.tabId, limit);
  },
  async 'reveal-token'(deps, message) {
    const report = await analyzeTab(deps, message.tabId, true);
    const exchange = report.exchanges.find((e) => e.id === message.exchangeId);
    const token = exchange?.resourceServers.flatMap((server) => server.tokens).find((t) => t.fingerprint === message.fingerprint);
    return { value: token?.value ?? null };
  },
  async 'export-report'(deps, message) {
    return analyzeTab(deps, message.tabId, message.showTokens === true);
  },
  async clear(deps, message) {
    const cleared = await deps.store.clear(message.tabId);
    if (message.tabId === null) await deps.bearer?.clear();
    if (message.tabId !== null) await updateBadge(deps, message.tabId);
    else for (const tab of await deps.browser.tabs.query({})) if (tab.id !== undefined) await updateBadge(deps, tab.id);
    return { cleared };
  },
};

/** Dispatch one message after checking who sent it; anything else is ignored. */
export function handleMessage(deps: WorkerDeps, message: unknown, sender: Runtime.MessageSender): Promise<unknown> | undefined {
  if (typeof message !== 'object' || message === null || typeof (message as { type?: unknown }).type !== 'string') return undefined;
  const type = (message as { type: string }).type;
  if (Object.hasOwn(pageHandlers, type)) {
    if (!isOurContentScript(deps, sender)) return undefined;
    return (pageHandlers[type as keyof typeof pageHandlers] as Handler<MessageName>)(deps, message as Message, sender);
  }
  if (Object.hasOwn(extensionHandlers, type)) {
    if (!isExtensionPage(deps, sender)) return undefined;
    return (extensionHandlers[type as keyof typeof extensionHandlers] as Handler<MessageName>)(deps, message as Message, sender);
  }
  return undefined;
}

/** Everything a view shows for one tab. */
export async function viewState(deps: WorkerDeps, tabId: number | null, limit = Number.POSITIVE_INFINITY): Promise<ViewState> {
  const [state, origins] = await Promise.all([deps.store.read(), grantedOrigins(deps.browser)]);
  let tabUrl: string | null = null;
  if (tabId !== null) {
    try {
      tabUrl = (await deps.browser.tabs.get(tabId)).url ?? null;
    } catch {
      tabUrl = null;
    }
  }
  const mine = state.exchanges.filter((e) => e.capture.tabId === tabId);
  const analyzed = await analyzeTab(deps, tabId); // Newest first.
  // Only the newest `limit` exchanges travel in full: a popup on a full store renders those first.
  const report = { ...analyzed, exchanges: analyzed.exchanges.slice(0, limit) };
  const captures: Record<string, CaptureInfo> = {};
  const shown = new Set(report.exchanges.map((exchange) => exchange.id));
  for (const stored of mine) {
    const id = exchangeId(stored.exchange);
    if (shown.has(id)) captures[id] = stored.capture;
  }
  const suggested = new Set<string>();
  for (const stored of mine) {
    if (!isWatched(origins, stored.exchange.url)) {
      const origin = originOf(stored.exchange.url);
      if (origin) suggested.add(origin);
    }
  }
  const byTab = new Map<number, StoredExchange[]>();
  for (const stored of state.exchanges) if (stored.capture.tabId !== tabId) byTab.set(stored.capture.tabId, [...(byTab.get(stored.capture.tabId) ?? []), stored]);
  const otherTabs = await Promise.all(
    [...byTab].map(async ([id, list]) => ({
      tabId: id,
      site: list[list.length - 1]?.capture.site ?? 'unknown',
      exchanges: list.length,
      high: (await analyzeTab(deps, id)).summary.findings.high,
    })),
  );
  // The tab's address is hidden on sites the extension may not access (no "tabs" permission; activeTab reveals it
  // when the user opens the popup from the toolbar): fall back to the site its exchanges came from.
  const origin = tabUrl ? originOf(tabUrl) : (mine[mine.length - 1]?.capture.site ?? null);
  const site = origin && /^https?:/.test(origin) ? origin : null;
  return {
    tabId,
    tabUrl,
    site,
    isWatched: site !== null && isWatched(origins, tabUrl ?? `${site}/`),
    watchedSites: origins,
    report,
    totalExchanges: analyzed.exchanges.length,
    captures,
    dropped: state.dropped,
    capacity: deps.store.capacity,
    notes: state.notes.filter((note) => note.tabId === tabId),
    suggestedHosts: [...suggested],
    otherTabs,
  };
}
