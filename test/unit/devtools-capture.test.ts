/**
 * The DevTools page's capture against the three shapes of `devtools.network` it meets: Chromium's own (callbacks only,
 * every version; `browser` from 152), the polyfill's wrapper before Chromium 152 (whose entries' `getContent` refuses a
 * callback), and Firefox's (promises). Each must hand the worker the token response's body, from `onRequestFinished`
 * and from the `getHAR` backlog.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import type { Browser } from 'webextension-polyfill';
import { startDevtoolsCapture } from '../../src/platform/devtools-capture.js';
import { entry } from './helpers.js';
import { until } from './until.js';

const TAB = 7;
const tokenBody = JSON.stringify({ access_token: 'opaque-at-1', token_type: 'Bearer', expires_in: 3600, scope: 'openid' });
const tokenEntry = (url: string) =>
  entry({
    method: 'POST',
    url,
    postData: { mimeType: 'application/x-www-form-urlencoded', text: 'grant_type=authorization_code&code=abc&client_id=app' },
    content: { mimeType: 'application/json' },
  });

type Shape = 'callback' | 'promise' | 'promise-refusing-callback';
type Listener = (request: unknown) => void;

/** A `devtools.network` answering in `shape`; `finish` fires onRequestFinished. */
function network(shape: Shape, backlog: unknown[]) {
  const listeners: Listener[] = [];
  const answer = <T>(value: T, spread: (cb: (...args: unknown[]) => void) => void, args: unknown[]) => {
    if (shape === 'promise-refusing-callback' && args.length > 0) throw new Error(`Expected at most 0 arguments, got ${args.length}`);
    if (shape === 'callback') {
      setTimeout(() => spread(args[0] as (...a: unknown[]) => void), 0);
      return undefined;
    }
    return Promise.resolve(value);
  };
  const withContent = (har: ReturnType<typeof tokenEntry>) => ({
    ...har,
    getContent: (...args: unknown[]) => answer([tokenBody, ''], (cb) => cb(tokenBody, ''), args),
  });
  return {
    api: {
      getHAR: (...args: unknown[]) =>
        answer(
          { entries: backlog.map((e) => withContent(e as ReturnType<typeof tokenEntry>)) },
          (cb) => cb({ entries: backlog.map((e) => withContent(e as ReturnType<typeof tokenEntry>)) }),
          args,
        ),
      onRequestFinished: { addListener: (listener: Listener) => listeners.push(listener) },
    },
    finish: (har: ReturnType<typeof tokenEntry>) => {
      for (const listener of listeners) listener(withContent(har));
    },
  };
}

const scope = globalThis as { browser?: unknown; chrome?: unknown };
const saved = { browser: scope.browser, chrome: scope.chrome };
afterEach(() => {
  scope.browser = saved.browser;
  scope.chrome = saved.chrome;
});

/** The `browser` the page imports (the polyfill's, or the browser's own), recording what reaches the worker. */
function pageBrowser(net: ReturnType<typeof network>['api']) {
  const sent: Array<{ type: string; tabId: number; exchange: { url: string; responseBody: string | null } }> = [];
  const browser = {
    devtools: { inspectedWindow: { tabId: TAB }, network: net },
    runtime: {
      sendMessage: async (message: (typeof sent)[number]) => {
        sent.push(message);
        return { stored: true };
      },
    },
  } as unknown as Browser;
  return { browser, sent };
}

async function bodiesSent(sent: ReturnType<typeof pageBrowser>['sent'], count: number) {
  await until(`${count} devtools-exchange messages`, () => sent.length >= count);
  return sent.map((m) => [m.type, m.tabId, m.exchange.url, m.exchange.responseBody]);
}

describe('DevTools capture', () => {
  test('Chromium before 152 (no `browser` namespace, the polyfill wraps chrome): the native callback API is used', async () => {
    const native = network('callback', [tokenEntry('https://idp.test/backlog/token')]);
    const wrapped = network('promise-refusing-callback', []);
    scope.browser = undefined;
    scope.chrome = { devtools: { network: native.api } };
    const { browser, sent } = pageBrowser(wrapped.api);
    startDevtoolsCapture(browser);
    native.finish(tokenEntry('https://idp.test/token'));
    assert.deepEqual((await bodiesSent(sent, 2)).sort(), [
      ['devtools-exchange', TAB, 'https://idp.test/backlog/token', tokenBody],
      ['devtools-exchange', TAB, 'https://idp.test/token', tokenBody],
    ]);
  });
  test("an entry whose getContent refuses a callback (the polyfill's) still gives its body", async () => {
    const wrapped = network('promise-refusing-callback', [tokenEntry('https://idp.test/backlog/token')]);
    scope.browser = undefined;
    scope.chrome = undefined;
    const { browser, sent } = pageBrowser(wrapped.api);
    startDevtoolsCapture(browser);
    wrapped.finish(tokenEntry('https://idp.test/token'));
    assert.deepEqual((await bodiesSent(sent, 2)).sort(), [
      ['devtools-exchange', TAB, 'https://idp.test/backlog/token', tokenBody],
      ['devtools-exchange', TAB, 'https://idp.test/token', tokenBody],
    ]);
  });
  test('Chromium 152+ and Firefox: the `browser` namespace is used, callback or promise style', async () => {
    for (const shape of ['callback', 'promise'] as const) {
      const own = network(shape, [tokenEntry('https://idp.test/backlog/token')]);
      scope.browser = { devtools: { network: own.api } };
      scope.chrome = { devtools: { network: network('promise-refusing-callback', []).api } };
      const { browser, sent } = pageBrowser(own.api);
      startDevtoolsCapture(browser);
      own.finish(tokenEntry('https://idp.test/token'));
      assert.deepEqual(
        (await bodiesSent(sent, 2)).sort(),
        [
          ['devtools-exchange', TAB, 'https://idp.test/backlog/token', tokenBody],
          ['devtools-exchange', TAB, 'https://idp.test/token', tokenBody],
        ],
        shape,
      );
    }
  });
});
