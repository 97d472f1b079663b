/**
 * The DevTools page: adds the Tokenscope panel and, while DevTools is open on
 * a tab, feeds its token exchanges (bodies from the network log) into the
 * worker's pipeline, on any site, with no host permission: opening DevTools on
 * a tab is the user's go-ahead for that tab, for as long as it stays open.
 */
import browser from 'webextension-polyfill';
import { startDevtoolsCapture } from '../../platform/devtools-capture.js';

void browser.devtools.panels.create('Tokenscope', 'icons/icon-32.png', 'panel.html');
startDevtoolsCapture(browser);
