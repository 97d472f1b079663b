/**
 * The DevTools panel laid out like the Network panel (real Chromium, the panel page fed by the worker
 * as the DevTools front end would show it: `panel.html?tab=ID`): the filter narrows the list; a
 * selected sign-in shows its map and timeline beside the list and stays selected as exchanges arrive
 * and the inspected tab navigates; the keyboard walks the list, the splitter and the detail; a
 * pointer drags the splitter; axe finds nothing serious in light or dark.
 */
import AxeBuilder from '@axe-core/playwright';
import type { BrowserContext, Page } from '@playwright/test';
import { globusSignIn, storedExchange } from '../support/builders.js';
import { restartWorker, storedState } from '../support/harness.js';
import { captureOne, expect, test } from '../support/fixtures.js';

async function openPanel(context: BrowserContext, extensionId: string, tabId: number): Promise<Page> {
  const panel = await context.newPage();
  await panel.setViewportSize({ width: 1000, height: 700 });
  await panel.goto(`chrome-extension://${extensionId}/panel.html?tab=${tabId}`);
  return panel;
}

test('the filter narrows the list; the selected sign-in stays selected as exchanges arrive and the tab navigates', async ({
  context,
  extensionId,
  oidcServer,
  tokenEndpoint: globus,
}) => {
  const oidc = await oidcServer({ extraAudience: 'https://billing.example.test' });
  const page = await context.newPage();
  await page.goto(globus.pageUrl);
  await captureOne(page, '#fetch-json', { log: 'done fetch-json' });
  await page.goto(oidc.appUrl);
  const tabId = await captureOne(page, '#signin', { status: 'signed-in' });

  const panel = await openPanel(context, extensionId, tabId);
  const rows = panel.getByRole('option');
  // The Globus exchange, then the sign-in and its code exchange: oldest first, as in the Network panel.
  await expect(rows).toHaveCount(3);
  await expect(panel.locator('.rows .col-grant')).toHaveText(['authorization_code', /^sign-in/, 'authorization_code']);

  const filter = panel.getByRole('searchbox', { name: /Filter/ });
  await filter.fill('globus');
  await expect(rows).toHaveCount(1);
  await expect(rows.first().locator('.col-servers')).toContainText('transfer.api.globus.org');
  await filter.fill('high');
  await expect(rows).toHaveCount(2);
  await expect(panel.locator('.filter-count')).toHaveText('2 of 3');
  await filter.fill('rule:audience-beyond-server api:read');
  await expect(rows).toHaveCount(2);
  await filter.fill('no-such-host.example');
  await expect(rows).toHaveCount(0);
  await expect(panel.locator('.empty-list')).toHaveText('No item matches the filter.');
  await filter.fill('');
  await expect(rows).toHaveCount(3);

  // Selecting the sign-in shows its map and timeline beside the list.
  const signIn = panel.locator('[role="option"].row-sign-in');
  await signIn.click();
  await expect(signIn).toHaveAttribute('aria-selected', 'true');
  const detail = panel.locator('section.detail');
  await expect(detail.locator('path.map-reach')).toHaveCount(1);
  await expect(detail.locator('.steps > li').last()).toHaveClass(/step-code-exchange sev-high/);
  await expect(detail.locator('.steps .step-time').first()).toHaveText('+0.0 s');
  const listBox = await panel.locator('#panel-list').boundingBox();
  const detailBox = await detail.boundingBox();
  expect(listBox && detailBox && listBox.x + listBox.width <= detailBox.x).toBe(true);

  // A refresh joins the sign-in (its report id changes): the row stays selected, its timeline grows.
  await page.click('#refresh');
  await expect(page.locator('#status')).toHaveText('refreshed');
  await expect(rows).toHaveCount(4);
  await expect(signIn).toHaveAttribute('aria-selected', 'true');
  await expect(detail.locator('.steps > li.step-refresh')).toHaveCount(1);

  // The inspected tab navigates elsewhere and captures more: the history stays, and so does the selection.
  await page.goto(globus.pageUrl);
  await page.click('#fetch-form');
  await expect(page.locator('#log')).toContainText('done fetch-form');
  await expect(rows).toHaveCount(5);
  await expect(signIn).toHaveAttribute('aria-selected', 'true');
  await expect(panel.getByRole('option', { selected: true })).toHaveCount(1);
  await expect(detail.locator('.steps > li.step-refresh')).toHaveCount(1);
  // An exchange's detail is its card, with a way back to its sign-in.
  await rows.nth(2).click();
  await expect(detail.locator('article.exchange')).toHaveCount(1);
  await detail.getByRole('button', { name: 'show the sign-in' }).click();
  await expect(signIn).toHaveAttribute('aria-selected', 'true');
});

/** A tab whose store holds a sign-in (its authorization request and response, and the code exchange) and two more exchanges. */
async function panelWithStore(context: BrowserContext, extensionId: string): Promise<Page> {
  const setter = await openPanel(context, extensionId, 0);
  const tabId = 950;
  const at = (s: number) => new Date(Date.UTC(2026, 0, 10, 10, 0, s)).toISOString();
  const exchange = (s: number, request: string, response: unknown) => storedExchange(tabId, `k${s}`, at(s), request, response);
  const globus = globusSignIn('http://127.0.0.1:1/cb', 'abc');
  const exchanges = [
    exchange(2, globus.request, globus.answer),
    exchange(30, 'grant_type=client_credentials', {
      access_token: 'cc-1',
      resource_server: 'search.api.globus.org',
      scope: 'urn:globus:auth:scope:search.api.globus.org:all',
      token_type: 'Bearer',
    }),
    exchange(40, 'grant_type=client_credentials', {
      access_token: 'cc-2',
      resource_server: 'groups.api.globus.org',
      scope: 'urn:globus:auth:scope:groups.api.globus.org:all',
      token_type: 'Bearer',
    }),
  ];
  const steps = [
    [globus.authorize('openid urn:globus:auth:scope:transfer.api.globus.org:all'), at(0)],
    ['http://127.0.0.1:1/cb?code=abc&state=s1', at(1)],
  ];
  await setter.evaluate(
    ({ tab, steps, exchanges }) => {
      const step = ([url, at]: string[], s: number) => ({
        tabId: tab,
        captureId: `c${s}`,
        step: { url, method: 'GET', at, source: 'page-hook', frame: 'top' },
      });
      return chrome.storage.session.set({ signInSteps: steps.map(step), exchanges });
    },
    { tab: tabId, steps, exchanges },
  );
  await restartWorker(setter); // Written from outside the worker: a new worker reads it.
  await setter.close();
  const panel = await openPanel(context, extensionId, tabId);
  await expect(panel.getByRole('option')).toHaveCount(4);
  return panel;
}

const focusedClass = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('class') ?? '');

test('keyboard only: the filter, the list (arrows move the selection), the splitter (arrows resize), then the detail', async ({
  context,
  extensionId,
}) => {
  const panel = await panelWithStore(context, extensionId);
  const filter = panel.getByRole('searchbox');
  let presses = 0;
  while (!(await filter.evaluate((element) => element === document.activeElement)) && presses < 30) {
    await panel.keyboard.press('Tab');
    presses += 1;
  }
  expect(presses).toBeLessThan(30);
  await panel.keyboard.press('Tab');
  expect(await focusedClass(panel)).toMatch(/^row row-sign-in/);
  await panel.keyboard.press('Enter');
  await expect(panel.getByRole('option', { selected: true })).toHaveClass(/row-sign-in/);
  await expect(panel.locator('section.detail .steps > li')).toHaveCount(3);
  await panel.keyboard.press('ArrowDown');
  await panel.keyboard.press('ArrowDown');
  await expect(panel.getByRole('option', { selected: true })).toContainText('search.api.globus.org');
  await expect.poll(() => focusedClass(panel)).toMatch(/selected/);
  await expect(panel.locator('section.detail .rs-name')).toHaveText('search.api.globus.org');
  await panel.keyboard.press('End');
  await expect(panel.getByRole('option', { selected: true })).toContainText('groups.api.globus.org');
  await panel.keyboard.press('Home');
  await expect(panel.getByRole('option', { selected: true })).toHaveClass(/row-sign-in/);

  // One Tab stop for the whole list, then the splitter.
  await panel.keyboard.press('Tab');
  const splitter = panel.getByRole('separator', { name: 'Resize the list' });
  await expect(splitter).toBeFocused();
  const before = Number(await splitter.getAttribute('aria-valuenow'));
  const widthBefore = (await panel.locator('#panel-list').boundingBox())?.width ?? 0;
  await panel.keyboard.press('ArrowRight');
  await panel.keyboard.press('Shift+ArrowRight');
  await expect(splitter).toHaveAttribute('aria-valuenow', String(before + 12));
  expect((await panel.locator('#panel-list').boundingBox())?.width ?? 0).toBeGreaterThan(widthBefore + 100);
  await panel.keyboard.press('Home');
  await expect(splitter).toHaveAttribute('aria-valuenow', '20');

  // Then the detail (a scrolling region), then what is inside it: the map's first box.
  await panel.keyboard.press('Tab');
  await expect(panel.locator('section.detail')).toBeFocused();
  await panel.keyboard.press('Tab');
  expect(await focusedClass(panel)).toMatch(/map-node map-scope/);
  // The selection survived the walk.
  await expect(panel.getByRole('option', { selected: true })).toHaveClass(/row-sign-in/);
});

test('a pointer drags the splitter', async ({ context, extensionId }) => {
  const panel = await panelWithStore(context, extensionId);
  const splitter = panel.getByRole('separator');
  const box = await splitter.boundingBox();
  if (!box) throw new Error('no splitter');
  await panel.mouse.move(box.x + box.width / 2, box.y + 100);
  await panel.mouse.down();
  await panel.mouse.move(300, box.y + 100, { steps: 5 });
  await panel.mouse.up();
  await expect(splitter).toHaveAttribute('aria-valuenow', '30');
  const list = await panel.locator('#panel-list').boundingBox();
  expect(Math.round(list?.width ?? 0)).toBe(300);
});

test('closing DevTools and opening it again finds the panel as it was left: the selection, the filter, the width', async ({
  context,
  extensionId,
}) => {
  const panel = await panelWithStore(context, extensionId);
  const tabId = Number(new URL(panel.url()).searchParams.get('tab'));
  await panel.getByRole('option').filter({ hasText: 'search.api.globus.org' }).click();
  await expect(panel.getByRole('option', { selected: true })).toContainText('search.api.globus.org');
  await panel.getByRole('searchbox').fill('globus');
  await panel.getByRole('separator', { name: 'Resize the list' }).focus();
  await panel.keyboard.press('ArrowLeft');
  const width = await panel.getByRole('separator').getAttribute('aria-valuenow');
  expect(Number(width)).toBeLessThan(46);
  // The panel page goes away with DevTools; it is kept for the tab in storage.session meanwhile.
  await expect
    .poll(async () => JSON.stringify((await storedState(context, extensionId)).session[`panel:${tabId}`] ?? null))
    .toContain(`"listWidth":${width}`);
  await panel.close();

  const again = await openPanel(context, extensionId, tabId);
  await expect(again.getByRole('option', { selected: true })).toContainText('search.api.globus.org');
  await expect(again.locator('section.detail .rs-name')).toHaveText('search.api.globus.org');
  await expect(again.getByRole('searchbox')).toHaveValue('globus');
  await expect(again.getByRole('separator')).toHaveAttribute('aria-valuenow', String(width));
  // Another tab's panel starts as a new one.
  const other = await openPanel(context, extensionId, tabId + 1);
  await expect(other.getByRole('searchbox')).toHaveValue('');
});

test('accessibility of the panel: no serious or critical axe violation, light and dark', async ({ context, extensionId }) => {
  const panel = await panelWithStore(context, extensionId);
  await panel.locator('[role="option"].row-sign-in').click();
  await expect(panel.locator('section.detail .steps > li')).toHaveCount(3);
  for (const scheme of ['light', 'dark'] as const) {
    await panel.emulateMedia({ colorScheme: scheme });
    const results = await new AxeBuilder({ page: panel }).analyze();
    const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => `${scheme}: ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  }
});
