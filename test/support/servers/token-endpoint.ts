// The Globus-shaped token endpoint (scripts/servers/globus.mjs) plus a same-origin app page that calls it with fetch and XHR,
// and an API that accepts only the Transfer tokens it issued (for Bearer-use findings).
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { send } from '../../../scripts/lib/http.mjs';
import { startGlobus, TEST_CLIENT_ID, TOKEN_PATH } from '../../../scripts/servers/globus.mjs';

export interface TokenEndpointSetup {
  origin: string;
  tokenUrl: string;
  pageUrl: string;
  requests: Array<{ method: string; url: string; body: string }>;
  /** Hold every token response from now on until the returned function is called (a reload mid-flow). */
  holdTokenResponses(): () => void;
  close(): Promise<void>;
}

function pageHtml(origin: string): string {
  const config = JSON.stringify({ tokenPath: TOKEN_PATH, clientId: TEST_CLIENT_ID, redirectUri: `${origin}/app` });
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>Token endpoint test app</title></head>
<body>
<h1>Token endpoint test app</h1>
<button id="fetch-json">fetch JSON</button>
<button id="xhr-json">XHR JSON</button>
<button id="fetch-form">fetch form</button>
<button id="xhr-form">XHR form</button>
<button id="fetch-other">fetch other</button>
<pre id="log"></pre>
<script>
(() => {
  const config = ${config.replace(/</g, '\\u003c')};
  const log = document.getElementById('log');
  const line = (text) => { log.textContent += text + '\\n'; };
  let transferToken = '';
  const random = () => {
    const bytes = crypto.getRandomValues(new Uint8Array(32));
    return btoa(String.fromCharCode(...bytes)).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
  };
  const body = () => new URLSearchParams({
    grant_type: 'authorization_code',
    code: random(),
    client_id: config.clientId,
    redirect_uri: config.redirectUri,
    code_verifier: random(),
  }).toString();
  const remember = (text) => {
    try {
      const json = JSON.parse(text);
      const transfer = (json.other_tokens || []).find((t) => t.resource_server === 'transfer.api.globus.org');
      if (transfer) transferToken = transfer.access_token;
    } catch { /* form-encoded answer */ }
  };
  const viaFetch = async (url) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: body(),
    });
    if (!res.ok) throw new Error('HTTP ' + res.status);
    remember(await res.text());
  };
  const viaXhr = (url) => new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.setRequestHeader('Content-Type', 'application/x-www-form-urlencoded');
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.onload = () => {
      if (xhr.status !== 200) return reject(new Error('HTTP ' + xhr.status));
      remember(xhr.responseText);
      resolve();
    };
    xhr.onerror = () => reject(new Error('network error'));
    xhr.send(body());
  });
  const other = async () => {
    const res = await fetch('/api/data', { headers: { Authorization: 'Bearer ' + (transferToken || 'none') } });
    const json = await res.json();
    if (!res.ok) throw new Error('HTTP ' + res.status + ' ' + json.code);
  };
  const actions = {
    'fetch-json': () => viaFetch(config.tokenPath),
    'xhr-json': () => viaXhr(config.tokenPath),
    'fetch-form': () => viaFetch(config.tokenPath + '?format=form'),
    'xhr-form': () => viaXhr(config.tokenPath + '?format=form'),
    'fetch-other': other,
  };
  for (const [id, action] of Object.entries(actions)) {
    document.getElementById(id).addEventListener('click', () => {
      action().then(() => line('done ' + id), (err) => line('error ' + id + ': ' + err.message));
    });
  }
})();
</script>
</body></html>`;
}

export async function startTokenEndpoint(): Promise<TokenEndpointSetup> {
  const requests: TokenEndpointSetup['requests'] = [];
  let held: Promise<void> | null = null;
  const routes = async (req: IncomingMessage, res: ServerResponse, url: URL, body: string): Promise<boolean> => {
    const method = req.method ?? 'GET';
    requests.push({ method, url: url.href, body });
    if (url.pathname === TOKEN_PATH && held) await held;
    if (url.pathname === '/api/data' && method === 'GET') {
      const auth = req.headers.authorization ?? '';
      const token = auth.startsWith('Bearer ') ? auth.slice(7) : '';
      if (globus.issued.get(token) !== 'transfer.api.globus.org') {
        send(res, 401, 'application/json', JSON.stringify({ code: 'AuthenticationFailed', message: 'invalid token' }), {
          'www-authenticate': 'Bearer error="invalid_token"',
        });
      } else {
        send(
          res,
          200,
          'application/json',
          JSON.stringify({ DATA_TYPE: 'endpoint_list', DATA: [{ id: randomUUID(), display_name: 'Test endpoint' }] }),
        );
      }
      return true;
    }
    if (url.pathname === '/app' && method === 'GET') {
      send(res, 200, 'text/html; charset=utf-8', pageHtml(url.origin));
      return true;
    }
    return false;
  };
  const globus = await startGlobus({ routes });
  const holdTokenResponses = () => {
    let release = () => {};
    held = new Promise<void>((resolve) => {
      release = () => {
        held = null;
        resolve();
      };
    });
    return release;
  };
  return {
    origin: globus.origin,
    tokenUrl: globus.tokenUrl,
    pageUrl: `${globus.origin}/app`,
    requests,
    holdTokenResponses,
    close: globus.close,
  };
}
