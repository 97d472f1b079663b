/**
 * The sign-in map in the popup (real Chromium, real fonts): a real OpenID sign-in whose access token
 * names an extra audience draws every resource server and the red line; 1, 3 and 8 resource servers
 * with 300-character scope URNs fit the 600 px popup, every label inside its box; the keyboard walks
 * the map and reads each full name; axe finds nothing serious in light or dark.
 */
import AxeBuilder from '@axe-core/playwright';
import type { BrowserContext, Page } from '@playwright/test';
import type { StoredExchange } from '../../src/background/store.js';
import { openPopup, runApp, seedExchanges } from '../support/harness.js';
import { expect, test } from '../support/fixtures.js';

/** A popup for a tab whose store holds one Globus-shaped exchange with `servers` resource servers and scopes of `scopeLength` characters. */
async function popupWithServers(context: BrowserContext, extensionId: string, servers: number, scopeLength: number): Promise<Page> {
  const setter = await openPopup(context, extensionId, 0);
  const tab = 900 + servers;
  const stored = await setter.evaluate(
    ({ tabId, count, length }) => {
      const ids = Array.from({ length: count }, (_, i) => `service-${i}.api.example-research-cloud.test`);
      const scopeOf = (id: string) => {
        const base = `urn:globus:auth:scope:${id}:`;
        return base + 'x'.repeat(Math.max(3, length - base.length));
      };
      const tokens = ids.map((id) => ({ access_token: `at-${id}`, resource_server: id, scope: scopeOf(id), token_type: 'Bearer' }));
      const [first, ...others] = tokens;
      const body = JSON.stringify({ ...first, other_tokens: others });
      const request = `grant_type=authorization_code&code=x&scope=${encodeURIComponent(ids.map(scopeOf).join(' '))}`;
      const exchange = {
        url: 'https://auth.globus.org/v2/oauth2/token',
        method: 'POST',
        status: 200,
        startedAt: new Date(Date.UTC(2026, 0, 10, 10)).toISOString(),
        source: 'page-hook',
        request: { body: request },
        response: { contentType: 'application/json', body },
      };
      const capture = { tabId, site: 'http://127.0.0.1:1', seenBy: ['page-hook'], verification: 'verified' };
      return { key: `k${count}`, capture, exchange };
    },
    { tabId: tab, count: servers, length: scopeLength },
  );
  await seedExchanges(setter, [stored as StoredExchange]);
  await setter.close();
  const popup = await openPopup(context, extensionId, tab);
  await popup.locator('figure.map svg').first().waitFor();
  return popup;
}

test('a real sign-in whose token names an extra audience: every resource server on the map, and the red line with its rule', async ({
  context,
  extensionId,
  oidcServer,
}) => {
  const oidc = await oidcServer({ extraAudience: 'https://billing.example.test' });
  const { tabId } = await runApp(context, extensionId, oidc.appUrl, [['#signin', 'signed-in']], 1);
  const popup = await openPopup(context, extensionId, tabId);
  const map = popup.locator('figure.map').first();
  const serverLabels = await map.locator('.map-server').evaluateAll((nodes) => nodes.map((node) => node.getAttribute('aria-label') ?? ''));
  for (const name of await popup.locator('.rs-name').allTextContents())
    expect(
      serverLabels.filter((label) => label.startsWith(`${name}`)),
      name,
    ).toHaveLength(1);
  await expect(map.locator('.map-server.outside')).toHaveAttribute(
    'aria-label',
    /^https:\/\/billing\.example\.test: not a server of this sign-in/,
  );
  // Hovering a box shows its full name in the caption under the map; leaving the drawing clears it.
  await map.locator('.map-server.outside').hover();
  await expect(map.locator('.map-caption')).toHaveText(/^https:\/\/billing\.example\.test: not a server of this sign-in/);
  await popup.mouse.move(0, 0);
  await expect(map.locator('.map-caption')).toHaveText('\u00a0');
  await expect(map.locator('path.map-reach')).toHaveCount(1);
  await expect(map.locator('text.map-rule')).toHaveText('audience-beyond-server');
  // The headline comes first: the verdict line says the finding in words before the map.
  await expect(popup.locator('.verdict').first()).toContainText('also accepted by https://billing.example.test');
});

for (const servers of [1, 3, 8]) {
  test(`${servers} resource server(s) with 300-character scope URNs: no sideways scroll at 600 px, every label inside its box`, async ({
    context,
    extensionId,
  }) => {
    const popup = await popupWithServers(context, extensionId, servers, 300);
    await expect(popup.locator('figure.map').first().locator('.map-server')).toHaveCount(servers);
    expect(await popup.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
    const overflowing = await popup.evaluate(() =>
      [...document.querySelectorAll('.map-node')].flatMap((node) => {
        const rect = node.querySelector('rect')?.getBBox();
        return [...node.querySelectorAll('text')]
          .filter((label) => rect && label.getBBox().x + label.getBBox().width > rect.x + rect.width)
          .map((label) => label.textContent);
      }),
    );
    expect(overflowing).toEqual([]);
  });
}

test('keyboard: the map is walked scopes, then servers, then tokens; each focused box shows its full name', async ({
  context,
  extensionId,
}) => {
  const popup = await popupWithServers(context, extensionId, 3, 120);
  const nodes = popup.locator('figure.map .map-node');
  const first = nodes.first();
  let presses = 0;
  while (!(await first.evaluate((element) => element === document.activeElement)) && presses < 40) {
    await popup.keyboard.press('Tab');
    presses += 1;
  }
  expect(presses).toBeLessThan(40);
  const order: string[] = [];
  for (let i = 0; i < (await nodes.count()); i += 1) {
    order.push(await popup.evaluate(() => document.activeElement?.getAttribute('class') ?? ''));
    if (i === 0)
      await expect(popup.locator('.map-caption').first()).toHaveText(
        /^urn:globus:auth:scope:service-0\.api\.example-research-cloud\.test:x+$/,
      );
    await popup.keyboard.press('Tab');
  }
  expect(order.map((name) => name.split(' ')[1])).toEqual([
    ...Array(3).fill('map-scope'),
    ...Array(3).fill('map-server'),
    ...Array(3).fill('map-token'),
  ]);
});

test('accessibility of the map: no serious or critical axe violation, light and dark', async ({ context, extensionId }) => {
  const popup = await popupWithServers(context, extensionId, 8, 300);
  await popup.locator('.map-table summary').first().click();
  for (const scheme of ['light', 'dark'] as const) {
    await popup.emulateMedia({ colorScheme: scheme });
    const results = await new AxeBuilder({ page: popup }).analyze();
    const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => `${scheme}: ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  }
});
