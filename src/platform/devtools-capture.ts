/**
 * DevTools network capture: each finished request is a HAR entry; the core's
 * HAR reader decides whether it is a token exchange (no body is fetched for
 * the others), and the worker stores it under the inspected tab.
 */
import type { Browser } from 'webextension-polyfill';
import type { DevtoolsNetwork } from 'webextension-polyfill/namespaces/devtools_network';
import { isCandidateRequest } from '../core/candidate.js';
import { exchangesFromHar } from '../core/har.js';
import { PAGE_LIMITS } from '../core/limits.js';
import type { PageExchange } from '../protocol/page-exchange.js';
import { sendMessage } from './messaging.js';

type HarEntry = DevtoolsNetwork.Request & {
  request?: { method?: string; url?: string; postData?: { text?: string } };
  response?: { content?: { mimeType?: string } };
};

type Network = Pick<DevtoolsNetwork.Static, 'getHAR' | 'onRequestFinished'>;

/**
 * The browser's own `devtools.network`, never the polyfill's wrapper. Chromium's DevTools APIs are callback-style in
 * every version, and before Chromium 152 an extension with a devtools_page has no `browser` namespace at all, so the
 * polyfill wraps `chrome`: its `onRequestFinished` hands out entries whose `getContent` refuses a callback ("Expected at
 * most 0 arguments") and its `getHAR` returns nothing to wait on. Firefox's `browser` (and Chromium 152+'s, the same
 * object as `chrome`) is what the polyfill hands out anyway.
 */
function nativeNetwork(fallback: Browser): Network {
  const scope = globalThis as unknown as { browser?: { devtools?: { network?: Network } }; chrome?: { devtools?: { network?: Network } } };
  return scope.browser?.devtools?.network ?? scope.chrome?.devtools?.network ?? fallback.devtools.network;
}

/**
 * Call a DevTools function that answers by callback (Chromium), by promise (Firefox), or both; the first answer wins.
 * A function that refuses the callback (the polyfill counts arguments) is called again with no argument at all, not
 * with `undefined`. Null when it fails.
 */
function answerOf<T>(
  call: (...callback: [] | [(...args: unknown[]) => void]) => unknown,
  fromCallback: (...args: unknown[]) => T,
): Promise<T | null> {
  return new Promise((resolve) => {
    const fromPromise = (maybe: unknown) => {
      if (maybe && typeof (maybe as Promise<unknown>).then === 'function') (maybe as Promise<T>).then(resolve, () => resolve(null));
    };
    let returned: unknown;
    try {
      returned = call((...args) => resolve(fromCallback(...args)));
    } catch {
      try {
        returned = call();
      } catch {
        resolve(null);
        return;
      }
      if (!returned || typeof (returned as Promise<unknown>).then !== 'function') resolve(null);
    }
    fromPromise(returned);
  });
}

/** The response body and its encoding: Chromium's callback gives (content, encoding), Firefox's promise [content, encoding]. */
async function getContent(entry: HarEntry): Promise<[string | null, string | null]> {
  const answer = await answerOf(
    (...callback) => (entry.getContent as unknown as (...cb: unknown[]) => unknown)(...callback),
    (content, encoding) => [content, encoding],
  );
  const [content, encoding] = Array.isArray(answer) ? answer : [null, null];
  return [typeof content === 'string' ? content : null, typeof encoding === 'string' ? encoding : null];
}

/** Feed one finished request to the worker when it can be a token exchange (the body is fetched only then). */
function capture(browser: Browser, tabId: number, entry: HarEntry): void {
  const method = entry.request?.method ?? 'GET';
  const url = entry.request?.url ?? '';
  const mimeType = entry.response?.content?.mimeType ?? '';
  if (!isCandidateRequest(method, url, entry.request?.postData?.text ?? null) && !/json|x-www-form-urlencoded/i.test(mimeType)) return;
  void getContent(entry).then(([text, encoding]) => {
    const withContent = {
      ...(entry as object),
      response: { ...(entry.response ?? {}), content: { ...(entry.response?.content ?? {}), text, encoding } },
    };
    const [captured] = exchangesFromHar({ log: { entries: [withContent] } });
    if (!captured) return;
    const tooLarge = captured.response.body !== null && captured.response.body.length > PAGE_LIMITS.responseBody;
    const exchange: PageExchange = {
      url: captured.url,
      method: captured.method,
      status: captured.status,
      startedAt: captured.startedAt,
      requestBody: captured.request.body && captured.request.body.length <= PAGE_LIMITS.requestBody ? captured.request.body : null,
      requestContentType: captured.request.headers?.['content-type'] ?? null,
      requestAuthorization: captured.request.headers?.authorization ?? null,
      ...(captured.request.headers?.dpop ? { requestDpop: captured.request.headers.dpop } : {}),
      responseBody: tooLarge ? null : captured.response.body,
      responseContentType: captured.response.contentType ?? null,
      bodyNote: tooLarge ? 'Body over the size limit not captured.' : (captured.response.bodyNote ?? null),
    };
    void sendMessage(browser, { type: 'devtools-exchange', tabId, exchange }).catch(() => {});
  });
}

/** Start capturing for the inspected tab: what the network log already holds, then every request that finishes. */
export function startDevtoolsCapture(browser: Browser): void {
  const tabId = browser.devtools.inspectedWindow.tabId;
  const network = nativeNetwork(browser);
  network.onRequestFinished.addListener((request) => capture(browser, tabId, request as HarEntry));
  void answerOf(
    (...callback) => (network.getHAR as unknown as (...cb: unknown[]) => unknown)(...callback),
    (har) => har,
  ).then((har) => {
    for (const entry of (har as { entries?: unknown[] } | null)?.entries ?? []) capture(browser, tabId, entry as HarEntry);
  });
}
