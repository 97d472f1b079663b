/**
 * The site the extension benches drive: one server on 127.0.0.1 (reached as 127.0.0.1 and as
 * localhost) with the bench page, a tiny JSON API and the Globus-shaped token endpoint
 * (../servers/globus.mjs).
 */
import { send } from '../lib/http.mjs';
import { startGlobus, TEST_CLIENT_ID, TOKEN_PATH } from '../servers/globus.mjs';

/**
 * The page under test: the same HTML on both origins, its own script doing the timed batches
 * (so the calls are the page's own, through whatever `fetch`/`XMLHttpRequest` the page sees).
 */
const PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>Tokenscope bench page</title></head>
<body><p>Tokenscope bench page</p>
<script>
(() => {
  const check = (ok, what) => { if (!ok) throw new Error('bench page: ' + what); };
  const tokenBody = (i) => new URLSearchParams({ grant_type: 'authorization_code', code: 'code-' + i + '-' + Math.random().toString(36).slice(2), client_id: '${TEST_CLIENT_ID}', redirect_uri: location.origin + '/app', code_verifier: 'v'.repeat(43) }).toString();
  const xhr = (method, url, body, headers, Xhr = XMLHttpRequest) => new Promise((resolve, reject) => {
    const request = new Xhr();
    request.open(method, url);
    for (const [name, value] of Object.entries(headers)) request.setRequestHeader(name, value);
    request.onload = () => resolve(request);
    request.onerror = () => reject(new Error('bench page: XHR failed: ' + method + ' ' + url));
    request.send(body);
  });
  const posted = new Map();
  // A same-origin about:blank frame: the hook is not injected there (no match_origin_as_fallback), so its
  // fetch and XMLHttpRequest are the browser's own, on the same host, same tab, same renderer.
  let blank = null;
  const frame = () => {
    if (!blank) {
      blank = document.createElement('iframe');
      document.body.append(blank);
    }
    return blank.contentWindow;
  };
  window.bench = {
    /** n sequential fetches: GET /api/data, every postEvery-th a POST of non-token JSON to /api/items. */
    async fetch(n, postEvery, first = 0, viaFrame = false) {
      const fetch = viaFrame ? frame().fetch.bind(frame()) : window.fetch;
      const started = performance.now();
      for (let i = first; i < first + n; i++) {
        const res = i % postEvery === postEvery - 1
          ? await fetch('/api/items', { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: JSON.stringify({ name: 'item ' + i, tags: ['a', 'b'], count: i }) })
          : await fetch('/api/data?page=' + i, { headers: { Accept: 'application/json' } });
        const json = await res.json();
        check(res.ok && json.ok === true, 'bad answer');
      }
      return performance.now() - started;
    },
    /** The same with XMLHttpRequest. */
    async xhr(n, postEvery, first = 0, viaFrame = false) {
      const Xhr = viaFrame ? frame().XMLHttpRequest : XMLHttpRequest;
      const started = performance.now();
      for (let i = first; i < first + n; i++) {
        const request = i % postEvery === postEvery - 1
          ? await xhr('POST', '/api/items', JSON.stringify({ name: 'item ' + i, tags: ['a', 'b'], count: i }), { 'Content-Type': 'application/json', Accept: 'application/json' }, Xhr)
          : await xhr('GET', '/api/data?page=' + i, null, { Accept: 'application/json' }, Xhr);
        check(request.status === 200 && JSON.parse(request.responseText).ok === true, 'bad answer');
      }
      return performance.now() - started;
    },
    /** n sequential token exchanges (POST grant_type=authorization_code to the token endpoint) with fetch. */
    async tokenFetch(n) {
      const started = performance.now();
      for (let i = 0; i < n; i++) {
        const res = await fetch('${TOKEN_PATH}', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' }, body: tokenBody(i) });
        const json = await res.json();
        check(res.ok && typeof json.access_token === 'string', 'no token');
      }
      return performance.now() - started;
    },
    /** The same with XMLHttpRequest. */
    async tokenXhr(n) {
      const started = performance.now();
      for (let i = 0; i < n; i++) {
        const request = await xhr('POST', '${TOKEN_PATH}', tokenBody(i), { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' });
        check(request.status === 200 && typeof JSON.parse(request.responseText).access_token === 'string', 'no token');
      }
      return performance.now() - started;
    },
    /** Note when the hook's window.postMessage reaches this window (the relay gets the same event). */
    watchPosts() {
      window.addEventListener('message', (event) => {
        const exchange = event.source === window && event.data && event.data.exchange;
        if (!exchange || typeof exchange.responseBody !== 'string') return;
        const at = performance.timeOrigin + performance.now();
        try { posted.set(JSON.parse(exchange.responseBody).access_token, at); } catch {}
      });
    },
    postedAt: (token) => posted.get(token) ?? null,
    frameHasHook: () => Symbol.for('tokenscope.page-hook') in frame() || frame().fetch === window.fetch,
    /** One token exchange; the time (epoch ms, high resolution) is taken as the page's fetch promise resolves. */
    async exchange(i) {
      const res = await fetch('${TOKEN_PATH}', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' }, body: tokenBody(i) });
      const respondedAt = performance.timeOrigin + performance.now();
      const json = await res.json();
      check(res.ok && typeof json.access_token === 'string', 'no token');
      return { respondedAt, token: json.access_token };
    },
  };
})();
</script>
</body></html>`;

export async function startBenchSite() {
  const counts = { data: 0, items: 0 };
  const json = (res, value) => send(res, 200, 'application/json', JSON.stringify(value));
  const routes = (req, res, url, body) => {
    if (req.method === 'GET' && url.pathname === '/bench') {
      send(res, 200, 'text/html; charset=utf-8', PAGE);
    } else if (req.method === 'GET' && url.pathname === '/api/data') {
      counts.data++;
      json(res, {
        ok: true,
        items: [
          { id: counts.data, name: 'alpha' },
          { id: 2, name: 'beta' },
        ],
      });
    } else if (req.method === 'POST' && url.pathname === '/api/items') {
      counts.items++;
      json(res, { ok: true, id: counts.items, received: body.length });
    } else {
      return false;
    }
    return true;
  };
  const globus = await startGlobus({ routes });
  const port = Number(new URL(globus.origin).port);
  return {
    port,
    watchedUrl: `http://127.0.0.1:${port}/bench`,
    unwatchedUrl: `http://localhost:${port}/bench`,
    close: globus.close,
  };
}
