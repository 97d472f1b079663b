/** The DevTools panel: the same view for the inspected tab. */
import { render } from 'preact';
import browser from 'webextension-polyfill';
import { App, FIRST_SHOWN } from './app.js';
import { extensionSource } from './source.js';

function inspectedTab(): number | null {
  const requested = new URLSearchParams(location.search).get('tab');
  if (requested !== null && /^\d+$/.test(requested)) return Number(requested);
  return browser.devtools?.inspectedWindow?.tabId ?? null;
}

const root = document.getElementById('app');
if (root) render(<App source={extensionSource(browser, inspectedTab(), FIRST_SHOWN)} rulesUrl={browser.runtime.getURL('rules.html')} mode="panel" />, root);
