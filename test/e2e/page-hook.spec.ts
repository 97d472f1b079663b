/**
 * The page hook never changes what the page sees: the same battery of fetch
 * and XHR calls (URLs and Requests, every body type, every responseType,
 * streams, aborts, network failures, introspection of the functions
 * themselves) gives the same results on a watched page as on an unwatched one,
 * and the token exchanges among them are captured.
 */
import { createServer, type Server } from 'node:http';
import { closeServer, listen } from '../../scripts/lib/http.mjs';
import { expect, setSiteAccess, storedExchanges, tabIdOf, test } from '../support/harness.js';

/** A fresh token each time, as a token endpoint answers (identical answers within moments would be one exchange seen twice). */
let issued = 0;
const tokenBody = () =>
  JSON.stringify({
    access_token: `opaque-access-${String(++issued).padStart(6, '0')}`,
    token_type: 'Bearer',
    expires_in: 3600,
    scope: 'read',
    resource_server: 'api.example.test',
  });

async function startServer(): Promise<{ origin: string; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://x');
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (url.pathname === '/page') {
        response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>battery</title><p>battery</p>');
      } else if (url.pathname === '/oauth/token') {
        response
          .writeHead(200, {
            'content-type': 'application/json',
            'cache-control': 'no-store',
            'x-echo-length': String(Buffer.concat(chunks).length),
          })
          .end(tokenBody());
      } else if (url.pathname === '/oauth/token-error') {
        response
          .writeHead(400, { 'content-type': 'application/json' })
          .end('{"error":"invalid_grant","error_description":"Code <b>expired</b>"}');
      } else if (url.pathname === '/data') {
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"items":[1,2,3],"token_count":3}');
      } else if (url.pathname === '/stream') {
        response.writeHead(200, { 'content-type': 'text/plain' });
        let sent = 0;
        const next = () => {
          if (sent === 5) return response.end();
          response.write(`chunk-${sent++};`);
          setImmediate(next);
        };
        next();
      } else if (url.pathname === '/doc') {
        response.writeHead(200, { 'content-type': 'text/html' }).end('<html><body><p id="x">doc</p></body></html>');
      } else if (url.pathname === '/hang') {
        // Never answers: the page aborts it.
      } else {
        response.writeHead(404).end();
      }
    });
  });
  return { origin: `http://127.0.0.1:${await listen(server)}`, close: () => closeServer(server) };
}

/** Runs in the page: every way to call fetch and XHR, recording what the page observes. */
async function battery(): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  const observe = async (response: Response) => ({
    status: response.status,
    ok: response.ok,
    type: response.type,
    redirected: response.redirected,
    isResponse: response instanceof Response,
    contentType: response.headers.get('content-type'),
    echo: response.headers.get('x-echo-length'),
    text: await response.text(),
    bodyUsed: response.bodyUsed,
  });
  const error = (e: unknown) => ({ name: (e as Error).name, message: (e as Error).message });
  const form = 'grant_type=authorization_code&code=abc&client_id=app&code_verifier=xyz';
  out.functions = {
    fetchName: fetch.name,
    fetchLength: fetch.length,
    fetchString: String(fetch),
    fetchToStringString: Function.prototype.toString.call(Function.prototype.toString),
    openName: XMLHttpRequest.prototype.open.name,
    openLength: XMLHttpRequest.prototype.open.length,
    openString: String(XMLHttpRequest.prototype.open),
    sendString: String(XMLHttpRequest.prototype.send),
    setRequestHeaderString: String(XMLHttpRequest.prototype.setRequestHeader),
    ownKeys: Object.getOwnPropertyNames(window).filter((key) => /token|scope/i.test(key)),
    descriptor: JSON.stringify(Object.getOwnPropertyDescriptor(window, 'fetch'), (_k, v) => (typeof v === 'function' ? 'fn' : v)),
  };
  out.stringBody = await observe(
    await fetch('/oauth/token', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form }),
  );
  out.requestObject = await observe(await fetch(new Request('/oauth/token', { method: 'POST', body: new URLSearchParams(form) })));
  const requestWithInit = new Request('/oauth/token', {
    method: 'POST',
    body: form,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  out.requestObjectBodyUsedBefore = requestWithInit.bodyUsed;
  out.requestObjectText = await observe(await fetch(requestWithInit));
  out.requestObjectBodyUsedAfter = requestWithInit.bodyUsed;
  const formData = new FormData();
  formData.append('grant_type', 'client_credentials');
  out.formData = await observe(await fetch('/oauth/token', { method: 'POST', body: formData }));
  out.blob = await observe(await fetch('/oauth/token', { method: 'POST', body: new Blob([form]) }));
  out.arrayBuffer = await observe(await fetch('/oauth/token', { method: 'POST', body: new TextEncoder().encode(form) }));
  out.json = await (await fetch('/oauth/token', { method: 'POST', body: form })).json();
  out.errorStatus = await observe(await fetch('/oauth/token-error', { method: 'POST', body: form }));
  out.get = await observe(await fetch('/data'));
  out.postNotToken = await observe(await fetch('/data', { method: 'POST', body: JSON.stringify({ token_count: 1 }) }));
  // Streams: the page reads the body chunk by chunk.
  const streamed = await fetch('/stream');
  const reader = (streamed.body as ReadableStream<Uint8Array>).getReader();
  let streamText = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    streamText += new TextDecoder().decode(value);
  }
  out.stream = streamText;
  // A token response the page reads as a stream, before anyone else.
  const tokenStream = await fetch('/oauth/token', { method: 'POST', body: form });
  const tokenReader = (tokenStream.body as ReadableStream<Uint8Array>).getReader();
  const first = await tokenReader.read();
  out.tokenStream = { done: first.done, bytes: first.value?.byteLength ?? 0 };
  // Aborts and failures: same errors.
  const controller = new AbortController();
  const hanging = fetch('/hang', { method: 'POST', body: form, signal: controller.signal });
  controller.abort();
  out.abort = await hanging.then(() => 'resolved', error);
  const abortedToken = new AbortController();
  const hangingToken = fetch('/oauth/token?hang', { method: 'POST', body: form, signal: abortedToken.signal });
  abortedToken.abort(new DOMException('custom reason', 'TimeoutError'));
  out.abortWithReason = await hangingToken.then(() => 'resolved', error);
  out.networkFailure = await fetch('http://127.0.0.1:1/oauth/token', { method: 'POST', body: form }).then(() => 'resolved', error);
  out.badInit = await Promise.resolve()
    .then(() => fetch('/oauth/token', { method: 'GET', body: form }))
    .then(() => 'resolved', error);
  out.badUrl = await Promise.resolve()
    .then(() => fetch('http://[bad/oauth/token', { method: 'POST', body: form }))
    .then(() => 'resolved', error);

  const xhr = (method: string, url: string, responseType: XMLHttpRequestResponseType, body: XMLHttpRequestBodyInit | null, abort = false) =>
    new Promise<Record<string, unknown>>((resolve) => {
      const request = new XMLHttpRequest();
      const events: string[] = [];
      for (const name of ['loadstart', 'progress', 'load', 'error', 'abort', 'loadend']) {
        request.addEventListener(name, () => {
          if (name !== 'progress') events.push(name);
          if (name === 'loadend') {
            let response: unknown;
            if (request.responseType === 'arraybuffer') response = (request.response as ArrayBuffer | null)?.byteLength ?? null;
            else if (request.responseType === 'blob') response = (request.response as Blob | null)?.size ?? null;
            else if (request.responseType === 'document')
              response = (request.response as Document | null)?.getElementById('x')?.textContent ?? null;
            else response = request.response;
            resolve({
              events,
              status: request.status,
              readyState: request.readyState,
              responseType: request.responseType,
              response,
              headers: request.getAllResponseHeaders().includes('content-type'),
            });
          }
        });
      }
      request.open(method, url);
      request.responseType = responseType;
      request.setRequestHeader('content-type', 'application/x-www-form-urlencoded');
      request.send(body);
      if (abort) request.abort();
    });
  out.xhrText = await xhr('POST', '/oauth/token', '', form);
  out.xhrTextType = await xhr('POST', '/oauth/token', 'text', form);
  out.xhrJson = await xhr('POST', '/oauth/token', 'json', form);
  out.xhrArrayBuffer = await xhr('POST', '/oauth/token', 'arraybuffer', form);
  out.xhrBlob = await xhr('POST', '/oauth/token', 'blob', form);
  out.xhrDocument = await xhr('POST', '/doc?token', 'document', form);
  out.xhrAbort = await xhr('POST', '/hang', '', form, true);
  out.xhrFailure = await xhr('POST', 'http://127.0.0.1:1/oauth/token', '', form);
  out.xhrGet = await xhr('GET', '/data', 'json', null);
  return out;
}

test('fetch and XHR behave exactly alike with and without the hook; token exchanges are captured', async ({ context, extensionId }) => {
  const server = await startServer();
  try {
    await setSiteAccess(context, extensionId, ['http://127.0.0.1/*']);
    const watched = await context.newPage();
    await watched.goto(`${server.origin}/page`);
    expect(await watched.evaluate(() => Symbol.for('tokenscope.page-hook') in window)).toBe(true);
    const unwatched = await context.newPage();
    await unwatched.goto(`${server.origin.replace('127.0.0.1', 'localhost')}/page`);
    expect(await unwatched.evaluate(() => Symbol.for('tokenscope.page-hook') in window)).toBe(false);

    const withHook = await watched.evaluate(battery);
    const withoutHook = await unwatched.evaluate(battery);
    const normalize = (value: unknown) =>
      JSON.parse(
        JSON.stringify(value)
          .replaceAll('localhost', '127.0.0.1')
          .replace(/opaque-access-\d+/g, 'opaque-access-N'),
      );
    expect(normalize(withHook)).toEqual(normalize(withoutHook));
    // Spot checks that the battery observed what it meant to.
    expect((withHook.functions as { fetchString: string }).fetchString).toBe('function fetch() { [native code] }');
    expect((withHook.abort as { name: string }).name).toBe('AbortError');
    expect(withHook.stream).toBe('chunk-0;chunk-1;chunk-2;chunk-3;chunk-4;');
    expect((withHook.xhrJson as { response: { access_token: string } }).response.access_token).toMatch(/^opaque-access-\d+$/);

    const tabId = await tabIdOf(context, extensionId, watched);
    const stored = async () => (await storedExchanges(context, extensionId)).filter((e) => e.capture.tabId === tabId);
    // Every POST with grant_type or to a token path is an exchange, answered or not: fetch gives 8 token answers
    // (string, Request x2, FormData, Blob, bytes, json, stream), 1 error and 4 without an answer (2 aborted, one
    // refused, a bad URL); XHR gives 5 token answers, 1 document (body not captured, said so) and 2 without an answer.
    // The GETs and the non-token POST are not exchanges.
    await expect.poll(async () => (await stored()).length).toBe(21);
    const list = await stored();
    expect(
      list.filter((e) => e.exchange.status === 200 && /"access_token":"opaque-access-\d+"/.test(e.exchange.response.body ?? '')).length,
    ).toBe(13);
    expect(list.filter((e) => e.exchange.status === 400).length).toBe(1);
    expect(list.filter((e) => e.exchange.status === null && e.exchange.response.body === null).length).toBe(6);
    expect(list.filter((e) => e.exchange.status === 200 && e.exchange.response.body === null).map((e) => e.exchange.url)).toEqual([
      `${server.origin}/doc?token`,
    ]);
    expect(list.some((e) => e.exchange.url.endsWith('/data'))).toBe(false);
  } finally {
    await server.close();
  }
});
