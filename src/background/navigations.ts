/**
 * Authorization requests a page cannot see itself, from the browser's own record of navigations (the optional
 * `webNavigation` permission, asked for in the popup when a sign-in needs it): a hidden iframe pointed at the
 * authorization endpoint (silent renew: an iframe's initial about:blank fires no `navigate` event and is removed
 * before it loads) and a login popup opened blank, then sent there from its opener. Only navigations whose URL has
 * `client_id=` (or is Supabase Auth's authorize) reach the worker (an event filter, applied by the browser), and only those of a watched tab (or of
 * a popup a watched tab opened) are kept. Nothing here is in a request's path: `onBeforeNavigate` is an
 * observation the browser sends after deciding to navigate, once per frame navigation, never per subresource.
 */
import type { Browser, WebNavigation } from 'webextension-polyfill';
import { looksLikeAuthorizationRequest } from '../core/front-channel-url.js';
import { badgeAfterCapture } from './badge.js';
import type { WorkerDeps } from './deps.js';
import { isWatched, watchedOrigins } from './watched-sites.js';

export const NAVIGATION_PERMISSION = 'webNavigation';
/**
 * The browser applies it: an OAuth authorization request names its client; Supabase Auth's names a `provider` and no
 * client (core/front-channel-url.ts `SUPABASE_AUTHORIZE`). Without the second, a Supabase sign-in in a browser without
 * the Navigation API (Firefox ESR 140) had no authorization request even with this permission granted.
 */
const FILTER = { url: [{ queryContains: 'client_id=' }, { pathContains: '/auth/v1/authorize', queryContains: 'provider=' }] };

type Details = WebNavigation.OnBeforeNavigateDetailsType;

async function tabUrl(browser: Browser, tabId: number): Promise<string | null> {
  try {
    return (await browser.tabs.get(tabId)).url ?? null; // Visible only on sites Tokenscope may read: the watched ones.
  } catch {
    return null;
  }
}

/** The address of a frame's current document, or null when the browser names none (a frame not made yet). */
async function frameUrl(browser: Browser, tabId: number, frameId: number): Promise<string | null> {
  try {
    return (await browser.webNavigation.getFrame({ tabId, frameId }))?.url ?? null;
  } catch {
    return null;
  }
}

/**
 * Whether an iframe's navigation is the watched page's doing: its parent frame shows a watched page, and the frame
 * itself shows nothing yet (a new iframe, its initial about:blank: silent renew) or a watched page. An iframe of
 * another site (an ad) that navigates itself, or any frame inside one, adds nothing to the tab.
 */
async function isWatchedFrame(deps: WorkerDeps, details: Details, origins: readonly string[]): Promise<boolean> {
  const [parent, current] = await Promise.all([
    details.parentFrameId === 0 ? tabUrl(deps.browser, details.tabId) : frameUrl(deps.browser, details.tabId, details.parentFrameId),
    frameUrl(deps.browser, details.tabId, details.frameId),
  ]);
  if (parent === null || !isWatched(origins, parent)) return false;
  return current === null || current === '' || current.startsWith('about:') || isWatched(origins, current);
}

/** Which watched tab a navigation belongs to, and as what frame; null when none. */
async function placeOf(
  deps: WorkerDeps,
  details: Details,
  retried: boolean,
): Promise<{ tabId: number; frame: 'top' | 'popup' | 'iframe' } | null> {
  const origins = await watchedOrigins(deps);
  if (details.frameId !== 0) return (await isWatchedFrame(deps, details, origins)) ? { tabId: details.tabId, frame: 'iframe' } : null;
  // A login popup only when the watched page opened it with `window.open` (openers.ts), never for a link's tab.
  const { openers } = deps;
  const opener = await openers.popupOpener(details.tabId);
  if (opener !== null) {
    const url = await tabUrl(deps.browser, opener);
    if (url !== null && isWatched(origins, url)) return { tabId: opener, frame: 'popup' };
  }
  const url = await tabUrl(deps.browser, details.tabId);
  if (url !== null && isWatched(origins, url)) return { tabId: details.tabId, frame: 'top' };
  // The page's report of its `window.open` call may come after the popup's first navigation: this one waits for it.
  const openerTab = opener === null && !retried ? await openers.of(details.tabId) : details.tabId;
  if (openerTab !== details.tabId) openers.park(details.tabId, openerTab, () => void recordNavigation(deps, details, true));
  return null;
}

/** One navigation: kept as a sign-in step of its watched tab (the core drops a request seen twice). */
export async function recordNavigation(deps: WorkerDeps, details: Details, retried = false): Promise<boolean> {
  if (details.tabId < 0 || !looksLikeAuthorizationRequest(details.url)) return false;
  const place = await placeOf(deps, details, retried);
  if (!place) return false;
  const at = new Date(Number.isFinite(details.timeStamp) ? details.timeStamp : Date.now()).toISOString();
  const step = { url: details.url, method: 'GET', at, frame: place.frame, source: 'web-navigation' as const };
  if (!(await deps.signIns.add(place.tabId, step, null))) return false;
  deps.cache.invalidate();
  await badgeAfterCapture(deps, place.tabId);
  return true;
}

let listening: ((details: Details) => void) | null = null;
let openedTargets: ((details: WebNavigation.OnCreatedNavigationTargetDetailsType) => void) | null = null;

/** Listen while the permission is granted (called at start and on every permission change). */
export function watchNavigations(deps: WorkerDeps): void {
  const navigation = (deps.browser as Partial<Browser>).webNavigation;
  const events = navigation?.onBeforeNavigate;
  if (!events || listening) return;
  listening = (details) => void recordNavigation(deps, details);
  events.addListener(listening, FILTER);
  // Which tab opened a popup: Firefox gives a popup *window* no `openerTabId` (tabs.onCreated), the navigation target
  // event names its source tab in both browsers. Rare (one per window.open or target=_blank), never per request.
  if (navigation.onCreatedNavigationTarget) {
    openedTargets = (details) => deps.openers.remember(details.tabId, details.sourceTabId);
    navigation.onCreatedNavigationTarget.addListener(openedTargets);
  }
}

/** The permission was removed: the API object may stay, the listeners go. */
export function unwatchNavigations(deps: WorkerDeps): void {
  const navigation = (deps.browser as Partial<Browser>).webNavigation;
  if (navigation?.onBeforeNavigate && listening) navigation.onBeforeNavigate.removeListener(listening);
  if (navigation?.onCreatedNavigationTarget && openedTargets) navigation.onCreatedNavigationTarget.removeListener(openedTargets);
  listening = null;
  openedTargets = null;
}
