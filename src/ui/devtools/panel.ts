/** The DevTools panel: the inspected tab (or `panel.html?tab=ID`) as a list and a detail, like the Network panel. */
import browser from 'webextension-polyfill';
import { PanelView } from '../blocks/panel-view.js';
import { mountView } from '../mount.js';
import { tabFromQuery } from '../tab-param.js';

mountView(browser, tabFromQuery(location.search) ?? browser.devtools?.inspectedWindow?.tabId ?? null, 'panel', PanelView);
