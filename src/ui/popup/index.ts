/** The popup: the current tab, or `popup.html?tab=ID` for tab ID (the DevTools panel and the tests open it that way). */
import browser from 'webextension-polyfill';
import { mountView } from '../mount.js';
import { tabFromQuery } from '../tab-param.js';

async function popupTab(): Promise<number | null> {
  const requested = tabFromQuery(location.search);
  if (requested !== null) return requested;
  const [active] = await browser.tabs.query({ active: true, currentWindow: true });
  return active?.id ?? null;
}

void popupTab().then((tabId) => mountView(browser, tabId, 'popup'));
