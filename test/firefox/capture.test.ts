/**
 * Firefox: Globus-shaped exchanges through fetch and XHR, JSON and form answers.
 * The background's filterResponseData and the page hook both see each one; it is
 * stored once, verified, with the exact bytes the server sent, and the page's
 * own code got those same bytes. The popup for the tab shows the three servers.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'puppeteer-core';
import type { ViewState } from '../../src/core/protocol.js';
import { buildTestExtension, type ExtensionPage, Firefox, type StoredLike, storedExchanges, tabIdOf, waitFor } from './harness.js';
import { type Proxied, startProxiedTokenEndpoint } from './servers.js';

const BUTTONS = ['fetch-json', 'xhr-json', 'fetch-form', 'xhr-form'] as const;
const SERVERS = ['auth.globus.org', 'transfer.api.globus.org', 'groups.api.globus.org'];

/** Record what the page's own code reads from each response (Response.text, XHR responseText), before the page runs. */
function spyOnPageReads(page: Page): Promise<void> {
  return page.evaluate(() => {
    const seen: Array<{ via: string; url: string; text: string }> = [];
    Object.defineProperty(window, '__pageReads', { value: seen });
    const text = Response.prototype.text;
    Response.prototype.text = function (this: Response) {
      const url = this.url;
      return text.call(this).then((body) => {
        seen.push({ via: 'fetch', url, text: body });
        return body;
      });
    };
    const responseText = Object.getOwnPropertyDescriptor(XMLHttpRequest.prototype, 'responseText');
    const read = new WeakSet<XMLHttpRequest>();
    Object.defineProperty(XMLHttpRequest.prototype, 'responseText', {
      configurable: true,
      get(this: XMLHttpRequest) {
        const body = responseText?.get?.call(this) as string;
        // The page's onload reads first; the page hook reads later, at loadend.
        if (!read.has(this)) {
          read.add(this);
          seen.push({ via: 'xhr', url: this.responseURL, text: body });
        }
        return body;
      },
    });
  });
}

describe('Firefox: filterResponseData with the page hook, Globus-shaped exchanges', () => {
  let extensionDir: string;
  let firefox: Firefox;
  let server: Proxied;
  let page: Page;
  let state: ExtensionPage;

  before(async () => {
    [extensionDir, server] = await Promise.all([buildTestExtension(), startProxiedTokenEndpoint()]);
    firefox = await Firefox.launch(extensionDir);
    ({ page, state } = await firefox.openApp(server.pageUrl));
  });

  after(async () => {
    await firefox?.close();
    await server?.close();
    if (extensionDir) rmSync(extensionDir, { recursive: true, force: true });
  });

  test('fetch and XHR, JSON and form: each stored once, verified, seen by the filter and the hook, bytes as sent', async () => {
    await spyOnPageReads(page);
    for (const id of BUTTONS) {
      // A DOM click: the page's own handler runs (puppeteer's BiDi input click costs a second or two each).
      await page.evaluate((button) => document.getElementById(button)?.click(), id);
      await waitFor(`the page to log done ${id}`, () => page.evaluate((button) => document.getElementById('log')?.textContent?.includes(`done ${button}`), id));
    }
    assert.equal(server.responses.length, BUTTONS.length);

    // The page's own code got exactly what the server sent.
    const reads = await page.evaluate(() => (window as unknown as { __pageReads: Array<{ via: string; url: string; text: string }> }).__pageReads);
    assert.deepEqual(
      reads.map((r) => r.via),
      ['fetch', 'xhr', 'fetch', 'xhr'],
    );
    reads.forEach((read, i) => {
      const sent = server.responses[i];
      assert.ok(sent);
      assert.equal(read.url, sent.url);
      assert.ok(Buffer.from(read.text, 'utf8').equals(sent.body), `the page got what the server sent (${BUTTONS[i]})`);
    });

    // Both sources reported every exchange (the filter's onstop lands just after the page's read): poll.
    const stored = await waitFor(
      'every exchange seen by the filter and the page hook',
      async () => {
        const all = await storedExchanges(state);
        const each = server.responses.map((sent) => all.filter((e) => e.exchange.response.body === sent.body.toString('utf8')));
        return each.every((list) => list.some((e) => e.capture.seenBy.includes('filter') && e.capture.seenBy.includes('page-hook'))) ? { all, each } : undefined;
      },
      10_000,
    );
    assert.equal(stored.all.length, BUTTONS.length, 'one stored exchange per request');
    stored.each.forEach((list, i) => {
      const sent = server.responses[i];
      assert.ok(sent);
      assert.equal(list.length, 1, `stored once (${BUTTONS[i]})`);
      const [one] = list as [StoredLike];
      assert.deepEqual([...one.capture.seenBy].sort(), ['filter', 'page-hook']);
      assert.equal(one.capture.verification, 'verified');
      assert.equal(one.capture.site, server.origin);
      assert.equal(one.exchange.url, sent.url);
      assert.equal(one.exchange.method, 'POST');
      assert.equal(one.exchange.status, 200);
      assert.ok(Buffer.from(one.exchange.response.body ?? '', 'utf8').equals(sent.body), `stored body byte-identical (${BUTTONS[i]})`);
    });
  });

  test('the view for the tab, and its popup, show the three resource servers', async () => {
    const tabId = await tabIdOf(state, server.pageUrl);
    const stored = await storedExchanges(state);
    assert.ok(stored.every((e) => e.capture.tabId === tabId));

    const view = await state.run((browser, id: number) => browser.runtime.sendMessage({ type: 'get-view', tabId: id }) as Promise<ViewState>, tabId);
    assert.equal(view.tabId, tabId);
    assert.equal(view.report.exchanges.length, BUTTONS.length);
    const servers = new Set(view.report.exchanges.flatMap((e) => e.resourceServers.map((rs) => rs.id)));
    for (const id of SERVERS) assert.ok(servers.has(id), `${id} in the view (got ${[...servers].join(', ')})`);
    for (const exchange of view.report.exchanges) assert.ok(view.captures[exchange.id]?.seenBy.includes('filter'));

    const popup = await firefox.openExtensionPage(state, `popup.html?tab=${tabId}`);
    const text = await waitFor('the popup to show the three servers', async () => {
      const shown = await popup.run(() => document.body.textContent ?? '');
      return SERVERS.every((id) => shown.includes(id)) ? shown : undefined;
    });
    assert.ok(text.length > 0);
    await popup.close();
  });
});
