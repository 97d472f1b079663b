/**
 * The browser talks to a recording proxy in front of the Globus-shaped token
 * endpoint (../support/servers/token-endpoint.ts), so a test knows the exact bytes
 * each response carried. The proxy also answers some token requests itself:
 * - `/big/v2/oauth2/token?bytes=N`: a large Globus-shaped token response,
 *   written in many pieces with multi-byte UTF-8 characters cut across them;
 * - `/latin1/v2/oauth2/token`: a token response in ISO-8859-1 (`café` as 0xE9);
 * - `/aud/v2/oauth2/token`: a JWT access token for the requested `resource`
 *   whose audience also names `EXTRA_AUDIENCE` (one high finding).
 * It can listen on more loopback addresses (`alsoOn`), and it is reachable as
 * `localhost` too; it records each request's URL with the host it was asked for.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import { closeServer, listen, readBody } from '../../scripts/lib/http.mjs';
import { JWT_HEADER, jwt } from '../support/builders.js';
import { startTokenEndpoint } from '../support/servers/token-endpoint.js';

export interface Recorded {
  method: string;
  url: string;
  status: number;
  contentType: string;
  body: Buffer;
}

export interface Proxied {
  origin: string;
  pageUrl: string;
  /** The same server on each `alsoOn` address (another port each), in order. */
  also: Array<{ origin: string; pageUrl: string }>;
  /** Every POST response the browser was sent, in order. */
  responses: Recorded[];
  close(): Promise<void>;
}

export const BIG_TOKEN_PATH = '/big/v2/oauth2/token';
export const LATIN1_TOKEN_PATH = '/latin1/v2/oauth2/token';
export const TWO_AUDIENCES_TOKEN_PATH = '/aud/v2/oauth2/token';
/** What LATIN1_TOKEN_PATH's answer carries in `name`, sent as ISO-8859-1 bytes. */
export const LATIN1_NAME = 'café Grüße ±½';
export const EXTRA_AUDIENCE = 'https://other.example.test';

export const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** A Globus-shaped token response of about `bytes` bytes: the tokens, then a long multi-byte note. */
export function bigTokenResponse(bytes: number): Buffer {
  const token = (resourceServer: string, scope: string) => ({
    access_token: randomBytes(32).toString('base64url'),
    expires_in: 172800,
    resource_server: resourceServer,
    token_type: 'Bearer',
    scope,
  });
  const answer = {
    ...token('auth.globus.org', 'openid profile email'),
    other_tokens: [token('transfer.api.globus.org', 'urn:globus:auth:scope:transfer.api.globus.org:all')],
    note: '',
  };
  const base = Buffer.byteLength(JSON.stringify(answer));
  const unit = 'é€😀 Grüße, 東京 ';
  answer.note = unit.repeat(Math.max(1, Math.ceil((bytes - base) / Buffer.byteLength(unit))));
  return Buffer.from(JSON.stringify(answer), 'utf8');
}

/** Write `body` in pieces of odd sizes (so multi-byte characters are cut), a turn of the event loop apart. */
async function writeInPieces(res: ServerResponse, body: Buffer): Promise<void> {
  for (let offset = 0, piece = 0; offset < body.length; piece++) {
    const size = 7_001 + (piece % 5) * 9_973;
    res.write(body.subarray(offset, offset + size));
    offset += size;
    await new Promise((resolve) => setImmediate(resolve));
  }
  res.end();
}

/** The ISO-8859-1 bytes of a token response: one byte per character, `é` as 0xE9. */
export function latin1TokenResponse(): Buffer {
  const answer = {
    access_token: randomBytes(32).toString('base64url'),
    token_type: 'Bearer',
    expires_in: 3600,
    scope: 'read',
    name: LATIN1_NAME,
  };
  return Buffer.from(JSON.stringify(answer), 'latin1');
}

/** A token response whose JWT access token (signature not verifiable: never checked) names `resource` and EXTRA_AUDIENCE. */
export function twoAudiencesTokenResponse(resource: string): Buffer {
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    iss: 'https://as.example.test/',
    sub: 'user-1',
    client_id: 'app',
    aud: [resource, EXTRA_AUDIENCE],
    iat: now,
    exp: now + 3600,
    scope: 'read',
    jti: randomBytes(8).toString('hex'),
  };
  const token = jwt(claims, JWT_HEADER, randomBytes(64).toString('base64url'));
  return Buffer.from(JSON.stringify({ access_token: token, token_type: 'Bearer', expires_in: 3600, scope: 'read' }), 'utf8');
}

export async function startProxiedTokenEndpoint(options: { alsoOn?: string[] } = {}): Promise<Proxied> {
  const upstream = await startTokenEndpoint();
  const target = new URL(upstream.origin);
  const responses: Recorded[] = [];

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    // The host the browser asked for: 127.0.0.1, another loopback address, or localhost.
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
    const own = (status: number, contentType: string, answer: Buffer) => {
      responses.push({ method: 'POST', url: url.href, status, contentType, body: answer });
      res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store', 'content-length': String(answer.length) });
      res.end(answer);
    };
    if (url.pathname === LATIN1_TOKEN_PATH && req.method === 'POST') {
      own(200, 'application/json; charset=iso-8859-1', latin1TokenResponse());
      return;
    }
    if (url.pathname === TWO_AUDIENCES_TOKEN_PATH && req.method === 'POST') {
      const resource = new URLSearchParams(body.toString('utf8')).get('resource') ?? 'https://api.example.test';
      own(200, 'application/json', twoAudiencesTokenResponse(resource));
      return;
    }
    if (url.pathname === BIG_TOKEN_PATH && req.method === 'POST') {
      const answer = bigTokenResponse(Number(url.searchParams.get('bytes') ?? 430_000));
      const contentType = 'application/json; charset=utf-8';
      responses.push({ method: 'POST', url: url.href, status: 200, contentType, body: answer });
      // Chunked, no content-length: the page hook reads the stream, as it would for most real servers.
      res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' });
      await writeInPieces(res, answer);
      return;
    }
    const upstreamRes = await new Promise<IncomingMessage>((resolve, reject) => {
      const forward = request(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } },
        resolve,
      );
      forward.on('error', reject);
      forward.end(body);
    });
    const answer = await readBody(upstreamRes);
    const status = upstreamRes.statusCode ?? 502;
    if (req.method === 'POST')
      responses.push({
        method: 'POST',
        url: url.href,
        status,
        contentType: String(upstreamRes.headers['content-type'] ?? ''),
        body: answer,
      });
    const headers = { ...upstreamRes.headers };
    delete headers['transfer-encoding'];
    delete headers.connection;
    res.writeHead(status, { ...headers, 'content-length': String(answer.length) });
    res.end(answer);
  }

  const listenOn = async (host: string) => {
    const server = createServer((req, res) => {
      handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(String(error));
      });
    });
    const origin = `http://${host}:${await listen(server, { host })}`;
    return { server, origin, pageUrl: `${origin}/app` };
  };
  const [main, ...also] = await Promise.all(['127.0.0.1', ...(options.alsoOn ?? [])].map(listenOn));
  if (!main) throw new Error('no listener');
  return {
    origin: main.origin,
    pageUrl: main.pageUrl,
    also: also.map(({ origin, pageUrl }) => ({ origin, pageUrl })),
    responses,
    async close() {
      for (const { server } of [main, ...also]) await closeServer(server);
      await upstream.close();
    },
  };
}
