/**
 * Token calls from a watched page's frames: a same-origin iframe with a URL, a `srcdoc` iframe, a sandboxed
 * `srcdoc` iframe and an `about:blank` iframe whose fetch the parent calls. Each frame's call answers the page the
 * same; what is captured is stated here (docs/ARCHITECTURE.md "Workers, frames and popups").
 */
import { createServer, type Server } from 'node:http';
import { closeServer, listen } from '../../scripts/lib/http.mjs';
import { storedExchanges, tabIdOf } from '../support/harness.js';
import { expect, test } from '../support/fixtures.js';

const FRAME_CALL = (label: string) =>
  `<script>fetch('${'ORIGIN'}/oauth/token?from=${label}', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials&client_id=${label}' }).then((r) => r.text()).then((t) => parent.postMessage({ label: '${label}', t }, '*'));</script>`;

async function startServer(): Promise<{ origin: string; close(): Promise<void> }> {
  let origin = '';
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://x');
    request.resume();
    request.on('end', () => {
      if (url.pathname === '/page') {
        response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>frames</title><p>frames</p>');
      } else if (url.pathname === '/frame') {
        response.writeHead(200, { 'content-type': 'text/html' }).end(FRAME_CALL('url').replace('ORIGIN', ''));
      } else if (url.pathname === '/oauth/token') {
        response
          .writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': '*' })
          .end(JSON.stringify({ access_token: `frame-${url.searchParams.get('from')}`, token_type: 'Bearer', expires_in: 60 }));
      } else {
        response.writeHead(404).end();
      }
    });
  });
  origin = `http://127.0.0.1:${await listen(server)}`;
  return { origin, close: () => closeServer(server) };
}

async function frames(args: { origin: string; srcdoc: string; sandboxed: string }): Promise<Record<string, string>> {
  const answers: Record<string, string> = {};
  const all = new Promise<void>((resolve) => {
    addEventListener('message', (event) => {
      answers[event.data.label] = event.data.t;
      if (Object.keys(answers).length === 3) resolve();
    });
  });
  const add = (set: (frame: HTMLIFrameElement) => void) => {
    const frame = document.createElement('iframe');
    set(frame);
    document.body.append(frame);
    return frame;
  };
  add((f) => {
    f.src = '/frame';
  });
  add((f) => {
    f.srcdoc = args.srcdoc;
  });
  add((f) => {
    f.setAttribute('sandbox', 'allow-scripts');
    f.srcdoc = args.sandboxed;
  });
  await all;
  const blank = add(() => {}) as HTMLIFrameElement;
  const response = await (blank.contentWindow as Window & typeof globalThis).fetch(`${args.origin}/oauth/token?from=blank`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials&client_id=blank',
  });
  answers.blank = await response.text();
  return answers;
}

test('token calls from frames answer the page alike; same-origin, srcdoc and about:blank frames are captured', async ({
  context,
  extensionId,
  watchedPair,
}) => {
  const { server, watched, unwatched, unwatchedOrigin } = await watchedPair(startServer(), '/page');
  const run = (origin: string) => ({
    origin,
    srcdoc: FRAME_CALL('srcdoc').replace('ORIGIN', origin),
    sandboxed: FRAME_CALL('sandboxed').replace('ORIGIN', origin),
  });
  expect(await watched.evaluate(frames, run(server.origin))).toEqual(await unwatched.evaluate(frames, run(unwatchedOrigin)));

  const tabId = await tabIdOf(context, extensionId, watched);
  const captured = async () =>
    (await storedExchanges(context, extensionId))
      .filter((e) => e.capture.tabId === tabId)
      .map((e) => new URL(e.exchange.url).searchParams.get('from'))
      .sort();
  // The sandboxed frame's origin is opaque ("null"): never a watched site, not captured.
  await expect.poll(captured).toEqual(['blank', 'srcdoc', 'url']);
});
