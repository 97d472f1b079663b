import browser from 'webextension-polyfill';
import { init } from './init.js';

init(browser);
