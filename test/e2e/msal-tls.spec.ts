/**
 * @azure/msal-browser 5.29 in Chromium at login.microsoftonline.com and graph.microsoft.com over TLS: the flows of
 * test/tls/flows/msal.ts (the same table the Firefox test reads), and the popup naming the orders API as the app did.
 */
import { test } from '@playwright/test';
import { runChromiumFlow } from '../tls/chromium-run.js';
import { MSAL_CORRECT_FLOWS, MSAL_FLAWED_FLOW } from '../tls/flows/msal.js';
import { ORDERS_APP_ID } from '../tls/providers/entra.js';
import { expect, openPopup } from '../support/harness.js';

for (const flow of MSAL_CORRECT_FLOWS)
  test(flow.title, () =>
    runChromiumFlow(flow, async ({ context, extensionId, tabId }) => {
      // The popup names the API as the app did, its application id beside it.
      const popup = await openPopup(context, extensionId, tabId);
      await expect(popup.locator('.rs-id', { hasText: 'api://orders-api' }).first()).toContainText(ORDERS_APP_ID);
      await expect(popup.locator('.finding.sev-high, .finding.sev-medium, .finding.sev-low')).toHaveCount(0);
    }),
  );

test(MSAL_FLAWED_FLOW.title, () => runChromiumFlow(MSAL_FLAWED_FLOW));
