/**
 * aws-amplify 6.22 with the Cognito hosted UI in Chromium, at its real hostnames over TLS: the flows of test/tls/flows/cognito.ts (the same table the Firefox test
 * reads), each checked on the tab's report and, where the table says, on the popup.
 */
import { test } from '@playwright/test';
import { runChromiumFlow } from '../tls/chromium-run.js';
import { COGNITO_FLOWS } from '../tls/flows/cognito.js';

for (const flow of COGNITO_FLOWS) test(flow.title, () => runChromiumFlow(flow));
