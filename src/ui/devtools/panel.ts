/** The DevTools panel: the same view for the inspected tab (or `panel.html?tab=ID`). */
import browser from 'webextension-polyfill';
import { mountView } from '../mount.js';
import { tabFromQuery } from '../tab-param.js';

mountView(browser, tabFromQuery(location.search) ?? browser.devtools?.inspectedWindow?.tabId ?? null, 'panel');
