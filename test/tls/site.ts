/** What the TLS tests' sites share: JSON and CORS answers, request bodies, and an app page with its bundled script. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody } from '../../scripts/lib/http.mjs';
import { bundleApp } from '../support/servers/bundle.js';
import type { SiteHandler } from './server.js';

export { bundleApp };

export { readBody };

/** CORS for a browser app at `origin` (or any, `*`) calling this host, with credentials when an origin is named. */
export function corsHeaders(req: IncomingMessage): Record<string, string> {
  const origin = req.headers.origin;
  if (!origin) return {};
  return {
    'access-control-allow-origin': origin,
    'access-control-allow-credentials': 'true',
    'access-control-allow-headers': req.headers['access-control-request-headers'] ?? '*',
    'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
    'access-control-expose-headers': '*',
    'access-control-max-age': '600',
    vary: 'Origin',
  };
}

/** Answer a CORS preflight (true: answered, the handler is done). */
export function preflight(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method !== 'OPTIONS') return false;
  res.writeHead(204, corsHeaders(req));
  res.end();
  return true;
}

export function json(req: IncomingMessage, res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    ...corsHeaders(req),
    ...headers,
  });
  res.end(JSON.stringify(body));
}

export function redirect(res: ServerResponse, location: string): void {
  res.writeHead(302, { location, 'cache-control': 'no-store' });
  res.end();
}

/** A form-encoded (or JSON) request body as key/value pairs. */
export async function formBody(req: IncomingMessage): Promise<URLSearchParams> {
  const text = (await readBody(req)).toString('utf8');
  if ((req.headers['content-type'] ?? '').includes('json')) {
    const parsed = JSON.parse(text || '{}') as Record<string, unknown>;
    return new URLSearchParams(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
  }
  return new URLSearchParams(text);
}

/**
 * An app site: `/app.js` is the bundled script, every other GET path the page (so redirect URIs and callbacks land on
 * the app, as a single-page app's server does): a `#status` line the tests wait on, buttons by id, and the app's
 * settings as JSON in `<script id="config">` (test/support/servers/app-page.ts reads them). `extra` answers first (null:
 * not handled).
 */
export function appSite(options: {
  title: string;
  script: Promise<string> | string;
  config: Record<string, unknown>;
  buttons?: readonly string[];
  extra?: (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;
}): SiteHandler {
  const config = JSON.stringify(options.config).replace(/</g, '\\u003c');
  const buttons = (options.buttons ?? []).map((id) => `<button id="${id}">${id}</button>`).join('\n');
  const html = `<!doctype html>
<html><head><meta charset="utf-8"><title>${options.title}</title></head>
<body>
<h1>${options.title}</h1>
${buttons}
<pre id="status">loading</pre>
<pre id="log"></pre>
<script id="config" type="application/json">${config}</script>
<script src="/app.js"></script>
</body></html>`;
  return async (req, res) => {
    if (options.extra && (await options.extra(req, res))) return;
    const path = new URL(req.url ?? '/', 'https://app.invalid').pathname;
    if (path === '/app.js') {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' });
      res.end(await options.script);
      return;
    }
    if (path === '/favicon.ico') {
      res.writeHead(404);
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(html);
  };
}
