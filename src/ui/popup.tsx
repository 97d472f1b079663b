/** The popup: the current tab, or `popup.html?tab=ID` for tab ID (the DevTools panel and the tests open it that way). */
import { render } from 'preact';
import browser from 'webextension-polyfill';
import { App, FIRST_SHOWN } from './app.js';
import { extensionSource } from './source.js';

async function tabFromPage(): Promise<number | null> {
  const requested = new URLSearchParams(location.search).get('tab');
  if (requested !== null && /^\d+$/.test(requested)) return Number(requested);
  const [active] = await browser.tabs.query({ active: true, currentWindow: true });
  return active?.id ?? null;
}

void tabFromPage().then((tabId) => {
  const root = document.getElementById('app');
  if (root) render(<App source={extensionSource(browser, tabId, FIRST_SHOWN)} rulesUrl={browser.runtime.getURL('rules.html')} mode="popup" />, root);
});
