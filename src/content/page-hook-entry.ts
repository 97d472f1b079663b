import { installPageHook } from './page-hook.js';

installPageHook();
