// A Globus-Auth-shaped token endpoint plus a same-origin app page that calls it with fetch and XHR.
import { generateKeyPairSync, randomBytes, randomUUID, sign, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TokenEndpointSetup {
  origin: string;
  tokenUrl: string;
  pageUrl: string;
  requests: Array<{ method: string; url: string; body: string }>;
  close(): Promise<void>;
}

const TOKEN_PATH = '/v2/oauth2/token';
const CLIENT_ID = 'a1b2c3d4-0000-4000-8000-00000000c11e';
const EXPIRES_IN = 172800;
const TRANSFER_SCOPE = 'urn:globus:auth:scope:transfer.api.globus.org:all';
const GROUPS_SCOPE = 'urn:globus:auth:scope:groups.api.globus.org:view_my_groups_and_memberships';
const SUBJECT = '5e2f1a7c-3b6d-4c8e-9f0a-1b2c3d4e5f60';

let signingKey: KeyObject | undefined;
function key(): KeyObject {
  if (!signingKey) {
    signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  }
  return signingKey;
}

const b64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url');
const opaque = (bytes = 32): string => randomBytes(bytes).toString('base64url');

function idToken(clientId: string): string {
  const now = Math.floor(Date.now() / 1000);
  const header = { alg: 'RS256', typ: 'JWT', kid: 'test-key' };
  const payload = {
    iss: 'https://auth.globus.org',
    sub: SUBJECT,
    aud: clientId,
    azp: clientId,
    iat: now,
    exp: now + EXPIRES_IN,
    at_hash: opaque(16),
    email: 'test.user@example.org',
    name: 'Test User',
    preferred_username: 'test.user@example.org',
    identity_provider: '41143743-f3c8-4d60-bbdb-eeecaba85bd9',
    identity_provider_display_name: 'Example University',
    organization: 'Example University',
    last_authentication: now,
  };
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
  return `${input}.${b64url(sign('sha256', Buffer.from(input), key()))}`;
}

function tokenFor(resourceServer: string, scope: string) {
  return {
    access_token: opaque(),
    expires_in: EXPIRES_IN,
    resource_server: resourceServer,
    token_type: 'Bearer',
    state: '_default',
    scope,
    refresh_token: opaque(48),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function pageHtml(origin: string): string {
  const config = JSON.stringify({ tokenPath: TOKEN_PATH, clientId: CLIENT_ID, redirectUri: `${origin}/app` });
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
  const issuedTransferTokens = new Set<string>();
  let origin = '';

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', origin);
    requests.push({ method, url: url.href, body });

    if (url.pathname === TOKEN_PATH && method === 'POST') {
      const params = new URLSearchParams(body);
      const noStore = { 'cache-control': 'no-store', pragma: 'no-cache' };
      if (url.searchParams.get('format') === 'form') {
        // GitHub style: the top-level token only, form-encoded.
        const form = new URLSearchParams({ access_token: opaque(), scope: 'openid profile email', token_type: 'bearer' });
        res.writeHead(200, { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', ...noStore });
        res.end(form.toString());
        return;
      }
      const clientId = params.get('client_id') ?? CLIENT_ID;
      const transfer = tokenFor('transfer.api.globus.org', TRANSFER_SCOPE);
      issuedTransferTokens.add(transfer.access_token);
      const answer = {
        ...tokenFor('auth.globus.org', 'openid profile email'),
        id_token: idToken(clientId),
        other_tokens: [transfer, tokenFor('groups.api.globus.org', GROUPS_SCOPE)],
      };
      res.writeHead(200, { 'content-type': 'application/json', ...noStore });
      res.end(JSON.stringify(answer));
      return;
    }

    if (url.pathname === '/api/data' && method === 'GET') {
      const auth = req.headers.authorization ?? '';
      const token = auth.startsWith('Bearer ') ? auth.slice(7) : '';
      if (!issuedTransferTokens.has(token)) {
        res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Bearer error="invalid_token"' });
        res.end(JSON.stringify({ code: 'AuthenticationFailed', message: 'invalid token' }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ DATA_TYPE: 'endpoint_list', DATA: [{ id: randomUUID(), display_name: 'Test endpoint' }] }));
      return;
    }

    if (url.pathname === '/app' && method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(pageHtml(origin));
      return;
    }

    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
  }

  key();
  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(err));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    origin,
    tokenUrl: `${origin}${TOKEN_PATH}`,
    pageUrl: `${origin}/app`,
    requests,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
