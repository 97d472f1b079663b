/**
 * @globus/sdk 6.2 in Chromium at Globus's real hostnames over TLS: the flows of test/tls/flows/globus.ts (the same
 * table the Firefox test reads), and what the popup draws of them.
 */
import { test } from '@playwright/test';
import { runChromiumFlow } from '../tls/chromium-run.js';
import { GLOBUS_CORRECT_FLOW, GLOBUS_FLAWED_FLOW } from '../tls/flows/globus.js';
import { expect, openPopup } from '../support/harness.js';

test(GLOBUS_CORRECT_FLOW.title, () =>
  runChromiumFlow(GLOBUS_CORRECT_FLOW, async ({ context, extensionId, tabId }) => {
    // The popup draws the same: every step on the sign-in's timeline, no scope struck through as not granted.
    const popup = await openPopup(context, extensionId, tabId);
    const steps = popup.locator('section.sign-in .timeline li.step');
    await expect(steps.first()).toBeAttached();
    const kinds = await steps.evaluateAll((items) => items.map((li) => li.className.match(/step-([a-z-]+)/)?.[1]));
    expect(kinds.filter((k) => k === 'refresh')).toHaveLength(3);
    expect(kinds).toEqual(expect.arrayContaining(['authorization-request', 'code-exchange', 'token-sent']));
    await expect(popup.locator('.scope.dropped')).toHaveCount(0);
    await expect(popup.locator('.finding.sev-high, .finding.sev-medium, .finding.sev-low')).toHaveCount(0);
  }),
);

test(GLOBUS_FLAWED_FLOW.title, () =>
  runChromiumFlow(GLOBUS_FLAWED_FLOW, async ({ context, extensionId, tabId }) => {
    const popup = await openPopup(context, extensionId, tabId);
    await expect(popup.locator('.finding.sev-high .rule a')).toHaveText(['token-sent-beyond-audience']);
  }),
);
