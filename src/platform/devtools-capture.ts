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

/** getContent is callback-style in Chromium and promise-style in Firefox; take whichever answers. */
function getContent(entry: HarEntry): Promise<[string | null, string | null]> {
  return new Promise((resolve) => {
    const maybe = (entry.getContent as unknown as (cb: (content: string, encoding: string) => void) => unknown)((content, encoding) =>
      resolve([content ?? null, encoding ?? null]),
    );
    if (maybe && typeof (maybe as Promise<unknown>).then === 'function') {
      (maybe as Promise<[string, string]>).then(
        ([content, encoding]) => resolve([content ?? null, encoding ?? null]),
        () => resolve([null, null]),
      );
    }
  });
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
  browser.devtools.network.onRequestFinished.addListener((request) => capture(browser, tabId, request as HarEntry));
  void browser.devtools.network.getHAR().then(
    (har) => {
      for (const entry of (har as { entries?: unknown[] }).entries ?? []) capture(browser, tabId, entry as HarEntry);
    },
    () => {},
  );
}
