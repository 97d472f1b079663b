/**
 * One response with 10,000 scopes (184 KB, issue 23) does not fill the popup: each list (the server's scopes, the map's
 * column) shows its first 50 and "and 9,950 more", the whole list one click (or Enter) away. What the test counts is the
 * rendered scope elements, not time.
 */
import type { StoredExchange } from '../../src/background/store.js';
import { LIST_SHOWN } from '../../src/ui/components/capped.js';
import { expect, openPopup, seedExchanges, test } from '../support/harness.js';

const SCOPES = Array.from({ length: 10_000 }, (_, i) => `https://api.example.test/scope-${String(i).padStart(5, '0')}.read`);
const TAB = 4242;

function tenThousandScopes(): StoredExchange {
  const body = JSON.stringify({ access_token: 'opaque-10000', token_type: 'Bearer', expires_in: 3600, scope: SCOPES.join(' ') });
  return {
    key: 'ten-thousand-scopes',
    capture: { tabId: TAB, site: 'http://127.0.0.1:1', seenBy: ['page-hook'], verification: 'verified' },
    exchange: {
      url: 'https://as.example.test/oauth2/token',
      method: 'POST',
      status: 200,
      startedAt: new Date(Date.UTC(2026, 0, 10, 10)).toISOString(),
      source: 'page-hook',
      request: {
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `grant_type=client_credentials&scope=${encodeURIComponent(SCOPES.join(' '))}`,
      },
      response: { contentType: 'application/json', body },
    },
  };
}

test('a 10,000-scope response: the popup renders the first 50 of each list and "and 9,950 more"; the click shows all', async ({
  context,
  extensionId,
}) => {
  expect(JSON.stringify(tenThousandScopes().exchange.response.body).length).toBeGreaterThan(180_000);
  const setter = await openPopup(context, extensionId, 0);
  await seedExchanges(setter, [tenThousandScopes()]);
  await setter.close();

  const popup = await openPopup(context, extensionId, TAB);
  const list = popup.locator('ul.scopes').first();
  await expect(list.locator('li.scope')).toHaveCount(LIST_SHOWN);
  const more = list.getByRole('button', { name: 'and 9,950 more' });
  await expect(more).toBeVisible();
  // The first screen: every list of scopes capped (the server's list and the map's column), whatever else it shows.
  await expect(popup.locator('figure.map').first()).toBeVisible();
  expect(await popup.locator('li.scope').count()).toBeLessThanOrEqual(LIST_SHOWN * (await popup.locator('ul.scopes').count()));
  expect(await popup.locator('.map-scope').count()).toBeLessThanOrEqual(LIST_SHOWN * (await popup.locator('figure.map').count()));
  expect(await popup.locator('#app *').count()).toBeLessThan(3_000);
  await expect(
    popup
      .locator('figure.map')
      .first()
      .getByRole('button', { name: /^and [\d,]+ more$/ }),
  ).toBeVisible();

  // Keyboard: focus the button and press Enter; the whole list is there, the last scope included.
  await more.focus();
  await popup.keyboard.press('Enter');
  await expect(list.locator('li.scope')).toHaveCount(SCOPES.length);
  await expect(list.locator('li.scope').last()).toHaveText(SCOPES.at(-1) as string);
  await expect(list.getByRole('button', { name: /more$/ })).toHaveCount(0);

  // The map's column too, by a click.
  const map = popup.locator('figure.map').first();
  await map.getByRole('button', { name: /^and [\d,]+ more$/ }).click();
  await expect(map.locator('.map-scope')).toHaveCount(SCOPES.length);

  // The DevTools panel's detail is capped the same way.
  const panel = await context.newPage();
  await panel.goto(`chrome-extension://${extensionId}/panel.html?tab=${TAB}`);
  await panel
    .getByRole('option', { name: /client_credentials/ })
    .first()
    .click();
  const detailList = panel.locator('.detail ul.scopes').first();
  await expect(detailList.locator('li.scope')).toHaveCount(LIST_SHOWN);
  await detailList.getByRole('button', { name: 'and 9,950 more' }).click();
  await expect(detailList.locator('li.scope')).toHaveCount(SCOPES.length);
});
