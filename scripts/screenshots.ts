/**
 * Screenshots of the main views for the README (docs/img/), from a real run:
 * the test build in Debian's Chromium, a real OpenID provider whose access
 * token names an extra audience, and a Globus-shaped token endpoint. The
 * `store-*.png` ones are 1280x800, the size the Chrome Web Store takes
 * (docs/STORE-LISTING.md).
 *   npm run screenshots
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { buildTestExtension, launchWithExtension, openPopup, storedCount, tabIdOf } from '../test/support/harness.js';
import { startOidc } from '../test/support/servers/oidc.js';
import { startTokenEndpoint } from '../test/support/servers/token-endpoint.js';

const out = join(import.meta.dirname, '../docs/img');
mkdirSync(out, { recursive: true });
buildTestExtension();
const oidc = await startOidc({ extraAudience: 'https://billing.example.test' });
const globus = await startTokenEndpoint();
const { context, extensionId } = await launchWithExtension();
try {
  // Globus first, then the sign-in: the newest exchange (shown first) is the one with the finding.
  const page = await context.newPage();
  await page.goto(globus.pageUrl);
  await page.click('#fetch-json');
  await page.locator('#log', { hasText: 'done fetch-json' }).waitFor();
  await page.goto(oidc.appUrl);
  await page.click('#signin');
  await page.locator('#status', { hasText: 'signed-in' }).waitFor();
  const tabId = await tabIdOf(context, extensionId, page);
  while ((await storedCount(context, extensionId, tabId)) < 2) await page.waitForTimeout(100);

  const shoot = async (view: Page, name: string) => {
    await view.locator('article.exchange').first().waitFor();
    // Everything below the first screen comes in after the first paint (src/ui/components/later.tsx): wait for all of it.
    await view.waitForFunction(() => document.querySelector('.later') === null);
    await view.evaluate(() => window.scrollTo(0, 0));
    await view.screenshot({ path: join(out, name) });
    console.log(`docs/img/${name}`);
  };
  const popup = await openPopup(context, extensionId, tabId);
  await popup.locator('article.exchange').first().locator('details.claims-details summary').first().click();
  await shoot(popup, 'popup.png');
  // The map of the sign-in with the finding, alone: the picture the README explains.
  await popup
    .locator('figure.map')
    .first()
    .screenshot({ path: join(out, 'map.png') });
  console.log('docs/img/map.png');
  await popup.emulateMedia({ colorScheme: 'dark' });
  await shoot(popup, 'popup-dark.png');

  // The panel as the Network panel lays it out: the list, the sign-in with the finding selected, its detail beside it.
  const panel = await context.newPage();
  await panel.setViewportSize({ width: 1100, height: 720 });
  await panel.goto(`chrome-extension://${extensionId}/panel.html?tab=${tabId}`);
  await panel.locator('[role="option"].row-sign-in.worst-high').first().click();
  await panel.locator('.detail .steps').waitFor();
  await shoot(panel, 'panel.png');
  // The sign-in's timeline alone, from the panel's detail.
  await panel
    .locator('.detail .timeline')
    .first()
    .screenshot({ path: join(out, 'timeline.png') });
  console.log('docs/img/timeline.png');
  await panel.emulateMedia({ colorScheme: 'dark' });
  await shoot(panel, 'panel-dark.png');

  // The store listing's pictures, 1280x800 each: the popup at its own size (640x400 CSS px, drawn at 2x), the panel at 1x.
  const storeShot = async (view: Page, name: string, width: number, height: number, scale: number) => {
    const cdp = await view.context().newCDPSession(view);
    await cdp.send('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor: scale, mobile: false });
    await view.waitForFunction(([w, h]) => innerWidth === w && innerHeight === h, [width, height]);
    await view.evaluate(() => window.scrollTo(0, 0));
    // CDP's own capture: Playwright's screenshot would put back the page's viewport and scale first.
    const { data } = (await cdp.send('Page.captureScreenshot', { format: 'png' })) as { data: string };
    writeFileSync(join(out, name), Buffer.from(data, 'base64'));
    console.log(`docs/img/${name}`);
    await cdp.send('Emulation.clearDeviceMetricsOverride');
  };
  await panel.emulateMedia({ colorScheme: 'light' });
  await storeShot(panel, 'store-panel.png', 1280, 800, 1);
  await popup.emulateMedia({ colorScheme: 'light' });
  await storeShot(popup, 'store-popup.png', 640, 400, 2);
} finally {
  await context.close();
  await oidc.close();
  await globus.close();
}
