/**
 * The browser talks to a recording proxy in front of the Globus-shaped token
 * endpoint (../e2e/servers/token-endpoint.ts), so a test knows the exact bytes
 * each response carried. The proxy also serves large Globus-shaped token
 * responses itself (`/big/v2/oauth2/token?bytes=N`), written in many pieces
 * with multi-byte UTF-8 characters cut across the pieces.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTokenEndpoint } from '../e2e/servers/token-endpoint.js';

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
  /** Every POST response the browser was sent, in order. */
  responses: Recorded[];
  close(): Promise<void>;
}

export const BIG_TOKEN_PATH = '/big/v2/oauth2/token';

export const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

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

export async function startProxiedTokenEndpoint(): Promise<Proxied> {
  const upstream = await startTokenEndpoint();
  const target = new URL(upstream.origin);
  const responses: Recorded[] = [];
  let origin = '';

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', origin);
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
    if (req.method === 'POST') responses.push({ method: 'POST', url: url.href, status, contentType: String(upstreamRes.headers['content-type'] ?? ''), body: answer });
    const headers = { ...upstreamRes.headers };
    delete headers['transfer-encoding'];
    delete headers.connection;
    res.writeHead(status, { ...headers, 'content-length': String(answer.length) });
    res.end(answer);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    pageUrl: `${origin}/app`,
    responses,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await upstream.close();
    },
  };
}
