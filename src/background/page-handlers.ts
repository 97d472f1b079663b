/**
 * Messages from pages, through the relay: untrusted. Each handler gets the sender already narrowed
 * (sender.ts): the tab and the site come from it, never from the message. The page's URL must be
 * watched at that moment, so removing a site also silences hooks still running in open tabs.
 */
import { isCandidateRequest } from '../core/candidate.js';
import { originOf } from '../core/match-pattern.js';
import { captureIdOf } from '../protocol/channel.js';
import type { Message, Messages } from '../protocol/messages.js';
import { checkBearerUse, checkEvidence, checkEvidenceList, checkPageExchange, toCapturedExchange } from '../protocol/page-exchange.js';
import { checkSignInStep } from '../protocol/sign-in-step.js';
import { checkUnread } from '../protocol/unread.js';
import { badgeAfterCapture } from './badge.js';
import type { WorkerDeps } from './deps.js';
import type { PageSender } from './sender.js';
import { storeCapture } from './store-capture.js';
import { isWatched, watchedOrigins } from './watched-sites.js';

export type PageMessageName =
  | 'page-exchange'
  | 'page-evidence'
  | 'page-refused'
  | 'page-lost'
  | 'page-bearer'
  | 'page-sign-in-step'
  | 'page-unread'
  | 'page-window-open';

type PageHandler<N extends PageMessageName> = (deps: WorkerDeps, message: Message<N>, sender: PageSender) => Promise<Messages[N]['reply']>;

async function isWatchedPage(deps: WorkerDeps, sender: PageSender): Promise<boolean> {
  return isWatched(await watchedOrigins(deps), sender.url);
}

/**
 * The tab an exchange made in a login popup belongs to: the tab that opened it, when the page has an opener (the relay
 * says so: `window.open` without noopener; a link opened in a new tab has none) and the browser named an opener tab
 * (`sender.tab.openerTabId`, never the page's word) that shows a watched page. The popup closes once signed in, often
 * before its capture arrives; its exchange joins the opener's sign-in, where its steps go too. Otherwise the sender's tab.
 * The same for a login popup's sign-in steps (`frame: 'popup'`). The webNavigation record, which has no sender, asks
 * `Openers` (navigations.ts).
 */
async function loginPopupOpener(deps: WorkerDeps, sender: PageSender, opened: unknown, openerUrl?: unknown): Promise<number> {
  if (opened !== true) return sender.tabId;
  if (sender.openerTabId === null) return (await openerShowing(deps, sender, openerUrl)) ?? sender.tabId;
  try {
    const url = (await deps.browser.tabs.get(sender.openerTabId)).url;
    return url && isWatched(await watchedOrigins(deps), url) ? sender.openerTabId : sender.tabId;
  } catch {
    return sender.tabId;
  }
}

/**
 * Where the browser names no opener tab (Firefox gives a popup window none): the watched tab showing the address the
 * relay read from the popup's `window.opener` (same origin only), the most recently used if several show it. The
 * address must be watched, so an unwatched page can never file steps under a watched tab this way.
 */
async function openerShowing(deps: WorkerDeps, sender: PageSender, openerUrl: unknown): Promise<number | null> {
  if (typeof openerUrl !== 'string' || openerUrl.length > 2048 || !isWatched(await watchedOrigins(deps), openerUrl)) return null;
  try {
    const tabs = (await deps.browser.tabs.query({})).filter(
      (tab) => tab.url === openerUrl && tab.id !== undefined && tab.id !== sender.tabId,
    );
    tabs.sort((a, b) => (b.lastAccessed ?? 0) - (a.lastAccessed ?? 0));
    return tabs[0]?.id ?? null;
  } catch {
    return null;
  }
}

export const pageHandlers: { [N in PageMessageName]: PageHandler<N> } = {
  async 'page-bearer'(deps, message, sender) {
    if (!(await isWatchedPage(deps, sender))) return { recorded: false };
    const use = checkBearerUse(message.use);
    if (!use) return { recorded: false };
    // A token not stored yet (its exchange still on its way) is held for this tab and matched when it lands.
    const outcome = await deps.bearer.record(use, sender.tabId);
    if (outcome === 'recorded') {
      deps.cache.invalidate();
      // Only the sending tab's badge, once its burst goes quiet: a use touches its own tab's report, never every tab's
      // (a page sending 60 uses rebuilt each tab's report 60 times). Another tab's view reads the use when it opens.
      await badgeAfterCapture(deps, sender.tabId);
    }
    return { recorded: outcome === 'recorded', held: outcome === 'held' };
  },
  async 'page-evidence'(deps, message, sender) {
    if (!(await isWatchedPage(deps, sender))) return { upgraded: false };
    const first = checkEvidence(message);
    const evidence = [...(first ? [first] : []), ...checkEvidenceList(message.evidence)];
    if (evidence.length === 0) return { upgraded: false };
    // The capture's own tab, found as its exchange was (a login popup's goes to its opener), never the message's word.
    const tabId = await loginPopupOpener(deps, sender, message.opened, message.openerUrl);
    const upgraded = (await deps.store.verify(tabId, evidence)) > 0;
    if (upgraded) deps.cache.invalidate();
    return { upgraded };
  },
  async 'page-exchange'(deps, message, sender) {
    const site = originOf(sender.url) ?? 'unknown';
    if (!(await isWatchedPage(deps, sender))) return { stored: false, reason: 'site not watched' };
    const checked = checkPageExchange(message.exchange);
    if (!checked.ok) {
      if (checked.oversize)
        await deps.store.addNote({
          tabId: sender.tabId,
          at: new Date().toISOString(),
          message: `Refused an exchange from ${site}: ${checked.reason}.`,
        });
      return { stored: false, reason: checked.reason };
    }
    const page = checked.exchange;
    if (!isCandidateRequest(page.method, page.url, page.requestBody) && !(page.responseBody ?? '').includes('access_token')) {
      return { stored: false, reason: 'not a token exchange' };
    }
    const exchange = toCapturedExchange(page, 'page-hook');
    const tabId = await loginPopupOpener(deps, sender, message.opened, message.openerUrl);
    // The relay's evidence (protocol/messages.ts): the document's resource timing holds this request.
    const verification = message.seen === true ? 'verified' : 'page-reported';
    const captureId = captureIdOf(message.captureId);
    // Evidence for this document's earlier captures rides along: upgraded in the capture's own write (same tab).
    const evidence = checkEvidenceList(message.evidence);
    return storeCapture(deps, exchange, { tabId, site, seenBy: ['page-hook'], verification }, captureId, evidence);
  },
  async 'page-sign-in-step'(deps, message, sender) {
    if (!(await isWatchedPage(deps, sender))) return { stored: false, reason: 'site not watched' };
    const checked = checkSignInStep(message.step);
    if (!checked.ok) return { stored: false, reason: checked.reason };
    const captureId = captureIdOf(message.captureId);
    // The page's own `window.open` call is a step of its own tab, whoever opened the page (a tab opened by a link
    // from a watched tab is no login popup of it); a step the popup itself saw goes to its opener.
    const tabId =
      message.windowOpen === true ? sender.tabId : await loginPopupOpener(deps, sender, checked.step.frame === 'popup', message.openerUrl);
    if (await deps.signIns.add(tabId, checked.step, captureId)) {
      deps.cache.invalidate();
      await badgeAfterCapture(deps, tabId);
    }
    return { stored: true };
  },
  async 'page-unread'(deps, message, sender) {
    if (!(await isWatchedPage(deps, sender))) return { stored: false, reason: 'site not watched' };
    const checked = checkUnread(message.unread);
    if (!checked.ok) return { stored: false, reason: checked.reason };
    const captureId = captureIdOf(message.captureId);
    await deps.unread.add(await loginPopupOpener(deps, sender, message.opened, message.openerUrl), checked.unread, captureId);
    return { stored: true };
  },
  async 'page-window-open'(deps, _message, sender) {
    if (!(await isWatchedPage(deps, sender))) return { noted: false };
    deps.openers.openedByPage(sender.tabId);
    return { noted: true };
  },
  async 'page-lost'(deps, message, sender) {
    if (!(await isWatchedPage(deps, sender))) return { noted: false };
    const count = Number.isInteger(message.count) && message.count > 0 ? Math.min(message.count, 1_000_000) : 0;
    if (count === 0) return { noted: false };
    await deps.store.addNote({
      tabId: sender.tabId,
      at: new Date().toISOString(),
      message: `${count} capture${count === 1 ? '' : 's'} from ${originOf(sender.url) ?? 'this page'} could not be delivered: the extension did not answer in time.`,
    });
    return { noted: true };
  },
  async 'page-refused'(deps, message, sender) {
    if (!(await isWatchedPage(deps, sender))) return { noted: false };
    const size = Number.isFinite(message.size) ? Math.round(message.size) : 0;
    const from = originOf(sender.url) ?? 'a page';
    await deps.store.addNote({
      tabId: sender.tabId,
      at: new Date().toISOString(),
      message: `Refused an exchange of about ${size} characters from ${from}: over the size limit.`,
    });
    return { noted: true };
  },
};
