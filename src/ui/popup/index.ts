/** The popup: the current tab, or `popup.html?tab=ID` for tab ID (the DevTools panel and the tests open it that way). */
import browser from 'webextension-polyfill';
import { mountView } from '../mount.js';
import { tabFromQuery } from '../tab-param.js';
import { FIRST_SHOWN } from '../view-limits.js';
import { takeEarlyView } from './early-view.js';

async function popupTab(): Promise<number | null> {
  const requested = tabFromQuery(location.search);
  if (requested !== null) return requested;
  const [active] = await browser.tabs.query({ active: true, currentWindow: true });
  return active?.id ?? null;
}

// The boot script (boot.ts) asked for the tab and its first view while this module loaded; without it, ask now.
const early = takeEarlyView();
const asked = early?.limit === FIRST_SHOWN ? early : null;
void (asked ? asked.tabId.catch(() => popupTab()) : popupTab()).then((tabId) => mountView(browser, tabId, 'popup', undefined, asked?.view));
