/**
 * A page that forges the page hook's messages: fake exchanges, oversize bodies,
 * wrong shapes, posted to the window as the hook once did. None is relayed (the
 * hook and the relay share a private channel), nothing reaches another tab's
 * data, and nothing forged shows up, let alone as verified. (The worker's own
 * validation of what the relay sends, oversize included, is in test/unit.)
 */
import type { Page } from '@playwright/test';
import { storedExchangesIn } from '../../src/background/store-layout.js';
import { jwt as jwtOf } from '../support/builders.js';
import { openPopup, storedCount, storedState, openTab } from '../support/harness.js';
import { captureOne, expect, test } from '../support/fixtures.js';

const MARK = 'tokenscope/page-exchange/v1';

function forge(page: Page, exchange: unknown): Promise<void> {
  return page.evaluate(([mark, value]) => window.postMessage({ tokenscope: mark, exchange: value }, '*'), [MARK, exchange] as const);
}

const jwt = (claims: Record<string, unknown>) => jwtOf(claims, { alg: 'RS256' }, 'sig');

test('forged relay messages are not relayed; another tab and the store stay untouched', async ({
  context,
  extensionId,
  tokenEndpoint: server,
}) => {
  const victim = await context.newPage();
  await victim.goto(server.pageUrl);
  const victimTab = await captureOne(victim, '#fetch-json', { log: 'done fetch-json' });

  const { page: attacker, tabId: attackerTab } = await openTab(context, extensionId, `${server.origin}/app?attacker`);
  const forged = {
    url: 'https://auth.example.test/oauth2/token',
    method: 'POST',
    status: 200,
    startedAt: new Date().toISOString(),
    requestBody: 'grant_type=client_credentials&client_id=forged',
    requestContentType: 'application/x-www-form-urlencoded',
    requestAuthorization: null,
    responseBody: JSON.stringify({
      access_token: jwt({ aud: ['https://api.example.test', 'https://evil.example.test'], exp: 4102444800 }),
      token_type: 'Bearer',
    }),
    responseContentType: 'application/json',
    bodyNote: null,
  };
  // Wrong shapes and attempts to name another tab: all refused.
  await forge(attacker, 'not an object');
  await forge(attacker, { ...forged, url: 42 });
  await forge(attacker, { ...forged, tabId: victimTab });
  await forge(attacker, { ...forged, url: 'javascript:alert(1)' });
  // Oversize: one past the worker's cap, one past the relay's.
  await forge(attacker, { ...forged, responseBody: `{"access_token":"${'a'.repeat(270_000)}"}` });
  await forge(attacker, { ...forged, responseBody: 'x'.repeat(2_000_000) });
  // A well-shaped forgery: kept for the attacker's own tab, as page-reported.
  await forge(attacker, forged);

  // The hook and the relay talk over a private channel: messages a page posts to the window, with the
  // hook's own markers, are not relayed at all. A barrier: a real exchange in the attacker's tab lands after them.
  await attacker.click('#fetch-json');
  await expect(attacker.locator('#log')).toContainText('done fetch-json');
  await expect.poll(() => storedCount(context, extensionId, attackerTab)).toBe(1);
  const { session } = await storedState(context, extensionId);
  const stored = storedExchangesIn(session);
  expect(stored.filter((e) => e.capture.tabId === attackerTab).map((e) => e.exchange.url)).toEqual([server.tokenUrl]);
  // The real exchange's Resource Timing evidence may follow its capture (carried by a later message): wait for it.
  await expect
    .poll(async () =>
      storedExchangesIn((await storedState(context, extensionId)).session).every((e) => e.capture.verification === 'verified'),
    )
    .toBe(true);
  expect(JSON.stringify(session)).not.toContain('auth.example.test');
  expect((session.notes as unknown[] | undefined) ?? []).toEqual([]);

  const victimPopup = await openPopup(context, extensionId, victimTab);
  await expect(victimPopup.locator('article.exchange')).toHaveCount(1);
  await expect(victimPopup.locator('.notice-warn')).toHaveCount(0);
});

test("the hook's synchronous hand-over to the relay is not seen by the page's scripts, nor forged by guessing", async ({
  context,
  extensionId,
  tokenEndpoint: server,
}) => {
  const { page, tabId } = await openTab(context, extensionId, server.pageUrl);
  // A page script wraps everything an event goes through, and listens for every event type it can think of.
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { seen: string[] }).seen = seen;
    const dispatch = EventTarget.prototype.dispatchEvent;
    EventTarget.prototype.dispatchEvent = function (event: Event) {
      seen.push(`dispatch ${event.type}`);
      return dispatch.call(this, event);
    };
    const stringify = JSON.stringify;
    JSON.stringify = ((value: unknown, replacer?: (number | string)[] | null, space?: string | number) => {
      const text = stringify(value, replacer, space);
      if (text?.includes('access_token')) seen.push('stringify');
      return text;
    }) as typeof JSON.stringify;
    for (const type of ['message', 'tokenscope', 'tokenscope-exchange']) window.addEventListener(type, () => seen.push(type), true);
    // Guessing the relay's event type: refused for want of the right name (and the relay validates everything anyway).
    for (let i = 0; i < 50; i++)
      dispatch.call(
        window,
        new CustomEvent(`tokenscope-${i.toString(16).padStart(32, '0')}`, {
          bubbles: false,
          cancelable: false,
          composed: false,
          detail: '{"tokenscope":"tokenscope/page-exchange/v1"}',
        }),
      );
    // A getter where an event's init dictionary would look up a member it lacks, and a `call` that sees its arguments.
    Object.defineProperty(Object.prototype, 'composed', {
      configurable: true,
      get() {
        if (typeof (this as { detail?: unknown }).detail === 'string') seen.push('init dictionary');
        return undefined;
      },
    });
    const call = Function.prototype.call;
    // biome-ignore lint/suspicious/noExplicitAny: wrapping call itself.
    Function.prototype.call = function (this: (...args: any[]) => unknown, ...args: unknown[]) {
      if (args.some((arg) => arg instanceof CustomEvent)) seen.push('call');
      return Reflect.apply(call, this, args);
    };
  });
  await page.click('#fetch-json');
  await expect(page.locator('#log')).toContainText('done fetch-json');
  await expect.poll(() => storedCount(context, extensionId, tabId)).toBe(1);
  const seen = await page.evaluate(() => (window as unknown as { seen: string[] }).seen);
  expect(seen).toEqual([]);
});
