/**
 * Pages that move on at once, for "nothing lost when the page moves on" (issue #21), around the Globus-shaped token
 * endpoint (scripts/servers/globus.mjs):
 * - `/moves-on?tab=K&n=I&of=N`: a code exchange whose answer is read and, in the same task, `location.replace`d to
 *   the next sign-in (as the Globus SDK's `handleCodeRedirect()` does: node_modules/@globus/sdk
 *   `dist/esm/core/authorization/RedirectTransport.js`, `window.location.replace(url)` right after `.json()`); the last one says done.
 * - `/grant-burst?api=ORIGIN,ORIGIN`: a code exchange, and in the same task as its answer is read, 20 API calls
 *   with the fresh tokens (Transfer's to the Transfer API host and to this page's own host, outside its audience;
 *   Groups' to the Groups API host), as an SDK's first call after a grant. The tokens it got go into `#tokens`.
 * - `/api/...` on any host name: answers 200 with CORS, so a mapped API host accepts the page's Bearer calls.
 * Shared by the Chromium spec (test/e2e/page-moves-on.spec.ts) and the Firefox one (test/firefox/grant-burst.test.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { send } from '../../../scripts/lib/http.mjs';
import { startGlobus, TEST_CLIENT_ID, TOKEN_PATH } from '../../../scripts/servers/globus.mjs';

export interface MovesOnServer {
  origin: string;
  port: number;
  /** Bearer calls the API answered: the Host and Authorization of each. */
  apiCalls: Array<{ host: string; authorization: string }>;
  close(): Promise<void>;
}

const EXCHANGE = `
const exchange = async (code) => {
  const res = await fetch(${JSON.stringify(TOKEN_PATH)}, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, client_id: ${JSON.stringify(TEST_CLIENT_ID)},
      redirect_uri: location.origin + '/app', code_verifier: 'v'.repeat(43) }).toString(),
  });
  return res.json();
};`;

const movesOnPage = `<!doctype html><html><head><meta charset="utf-8"><title>moves on</title></head><body>
<p id="status">working</p>
<script>
${EXCHANGE}
const params = new URLSearchParams(location.search);
const tab = params.get('tab'), n = Number(params.get('n')), of = Number(params.get('of'));
if (n >= of) document.getElementById('status').textContent = 'done';
else exchange('moves-' + tab + '-' + n).then(() => {
  // The same task as the answer's body was read: the page is on its way before anything else runs.
  location.replace('/moves-on?tab=' + tab + '&n=' + (n + 1) + '&of=' + of);
});
</script></body></html>`;

const grantBurstPage = `<!doctype html><html><head><meta charset="utf-8"><title>grant burst</title></head><body>
<p id="status">working</p><pre id="tokens"></pre>
<script>
${EXCHANGE}
const [transferApi, groupsApi] = (new URLSearchParams(location.search).get('api') || '').split(',');
exchange('burst-' + Math.random()).then((answer) => {
  const token = (id) => answer.other_tokens.find((t) => t.resource_server === id).access_token;
  const transfer = token('transfer.api.globus.org'), groups = token('groups.api.globus.org');
  // The same task as the answer's body was read: 20 calls with the fresh tokens, none awaited before the next.
  const calls = [];
  const call = (url, bearer) => calls.push(fetch(url, { headers: { Authorization: 'Bearer ' + bearer } }).then((r) => r.status, () => 0));
  for (let i = 0; i < 8; i++) call(transferApi + '/api/v0.10/endpoint_search?i=' + i, transfer);
  for (let i = 0; i < 8; i++) call(groupsApi + '/api/v2/groups/my_groups?i=' + i, groups);
  for (let i = 0; i < 4; i++) call(location.origin + '/api/data?i=' + i, transfer); // Outside Transfer's audience.
  return Promise.all(calls).then((statuses) => {
    document.getElementById('tokens').textContent = JSON.stringify({ transfer, groups, statuses });
    document.getElementById('status').textContent = 'done';
  });
}).catch((error) => { document.getElementById('status').textContent = 'error ' + error.message; });
</script></body></html>`;

export async function startMovesOnServer(): Promise<MovesOnServer> {
  const apiCalls: MovesOnServer['apiCalls'] = [];
  const routes = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> => {
    const method = req.method ?? 'GET';
    if (url.pathname.startsWith('/api/')) {
      const cors = { 'access-control-allow-origin': '*' };
      if (method === 'OPTIONS') {
        res.writeHead(204, { ...cors, 'access-control-allow-headers': 'authorization', 'access-control-max-age': '600' });
        res.end();
        return true;
      }
      apiCalls.push({ host: req.headers.host ?? '', authorization: req.headers.authorization ?? '' });
      send(res, 200, 'application/json', JSON.stringify({ DATA: [] }), cors);
      return true;
    }
    if (url.pathname === '/moves-on' && method === 'GET') {
      send(res, 200, 'text/html; charset=utf-8', movesOnPage);
      return true;
    }
    if (url.pathname === '/grant-burst' && method === 'GET') {
      send(res, 200, 'text/html; charset=utf-8', grantBurstPage);
      return true;
    }
    return false;
  };
  const globus = await startGlobus({ routes });
  return { origin: globus.origin, port: Number(new URL(globus.origin).port), apiCalls, close: globus.close };
}
