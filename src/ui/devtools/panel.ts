/** The DevTools panel: the inspected tab (or `panel.html?tab=ID`) as a list and a detail, like the Network panel. */
import { h } from 'preact';
import browser from 'webextension-polyfill';
import { PanelView, type PanelViewProps } from '../blocks/panel-view.js';
import { mountView } from '../mount.js';
import { tabFromQuery } from '../tab-param.js';
import { panelMemory } from './panel-memory.js';

const tabId = tabFromQuery(location.search) ?? browser.devtools?.inspectedWindow?.tabId ?? null;
// The panel keeps its selection, filter and width for the tab across DevTools being closed and opened (panel-memory.ts).
const memory = panelMemory(browser, tabId);
mountView(browser, tabId, 'panel', (props: PanelViewProps) => h(PanelView, { ...props, memory }));
