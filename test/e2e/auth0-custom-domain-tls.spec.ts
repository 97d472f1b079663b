/**
 * @auth0/auth0-spa-js 2.27 in Chromium, at its real hostnames over TLS: the flows of test/tls/flows/auth0-custom-domain.ts (the same table the Firefox test
 * reads), each checked on the tab's report and, where the table says, on the popup.
 */
import { test } from '@playwright/test';
import { runChromiumFlow } from '../tls/chromium-run.js';
import { AUTH0_FLOWS } from '../tls/flows/auth0-custom-domain.js';

for (const flow of AUTH0_FLOWS) test(flow.title, () => runChromiumFlow(flow));
