/**
 * One https server on 127.0.0.1 for every host of a TLS test, answering by the request's `Host` (404 for a host it does
 * not serve). Each host is a site: a handler in that provider's shape (each provider file's header says where its
 * shapes come from).
 *
 * Port 443 (Firefox: `network.dns.forceResolve` sends every name to 127.0.0.1, on the URL's own port) is one per
 * machine: a test asking for it waits, bounded, while another holds it (EADDRINUSE), so parallel engineers' runs
 * queue and CI's serial run just works. Commands that use 443 also run under `flock /tmp/tokenscope-443.lock`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type Server } from 'node:https';
import { makeCertificate } from './cert.js';

/** A site's handler: answers one request to its host (an error answers 500). */
export type SiteHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/** One request the server answered: which host, what, and whether it carried a Bearer token (not the token). */
export interface SeenRequest {
  host: string;
  method: string;
  path: string;
  status: number;
  bearer: string | null;
}

export interface TlsHosts {
  port: number;
  /** `https://host`: both browsers reach every name at the default port (Chromium by MAP host 127.0.0.1:PORT). */
  origin(host: string): string;
  url(host: string, path?: string): string;
  /** Every request answered so far, in order. */
  seen: SeenRequest[];
  close(): Promise<void>;
}

export interface TlsOptions {
  /** 0 (default): a free port. 443: wait for it while another test holds it, up to `waitMs`. */
  port?: number;
  waitMs?: number;
}

function listenOnce(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => {
      server.off('listening', onListening);
      reject(error);
    };
    const onListening = () => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, '127.0.0.1');
  });
}

/** Listen on `port`; on EADDRINUSE try again every 250 ms until `waitMs` has passed. */
async function listenWaiting(server: Server, port: number, waitMs: number): Promise<number> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      return await listenOnce(server, port);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EADDRINUSE' || port === 0 || Date.now() > deadline)
        throw new Error(`cannot listen on 127.0.0.1:${port} (${code ?? String(error)}); another TLS test holds it?`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

/** The bare host a request was sent to, lower case, without the port. */
export function requestHost(req: IncomingMessage): string {
  return (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
}

/** Start the server for `sites` (host -> handler), with one certificate naming them all. */
export async function startTlsHosts(sites: Record<string, SiteHandler>, options: TlsOptions = {}): Promise<TlsHosts> {
  const hosts = Object.keys(sites).map((host) => host.toLowerCase());
  const handlers = new Map(Object.entries(sites).map(([host, handler]) => [host.toLowerCase(), handler]));
  const seen: SeenRequest[] = [];
  const server = createHttpsServer(makeCertificate(hosts), (req, res) => {
    const host = requestHost(req);
    const auth = /^Bearer\s+(\S+)/i.exec(req.headers.authorization ?? '');
    const handler = handlers.get(host);
    // The browser's own traffic (Firefox's settings service, sent here by forceResolve) is answered but not recorded.
    if (handler)
      res.on('finish', () =>
        seen.push({ host, method: req.method ?? '', path: req.url ?? '', status: res.statusCode, bearer: auth?.[1] ?? null }),
      );
    if (!handler) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end(`no site ${host}`);
      return;
    }
    Promise.resolve()
      .then(() => handler(req, res))
      .catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(error));
      });
  });
  const port = await listenWaiting(server, options.port ?? 0, options.waitMs ?? 180_000);
  const origin = (host: string) => `https://${host}`;
  return {
    port,
    origin,
    url: (host, path = '/') => `${origin(host)}${path}`,
    seen,
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
