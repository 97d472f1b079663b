/**
 * The DevTools page: adds the Tokenscope panel and feeds the network log's
 * token exchanges (with bodies, via getContent) into the worker's pipeline.
 * Works on any site while DevTools is open on it: no host permission needed.
 */
import browser from 'webextension-polyfill';
import { startDevtoolsCapture } from '../platform/devtools-capture.js';

void browser.devtools.panels.create('Tokenscope', 'icons/icon-32.png', 'panel.html');
startDevtoolsCapture(browser);
