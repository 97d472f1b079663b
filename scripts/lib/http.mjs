/** Small HTTP servers for the demo, the benches and the tests: all on loopback, plain http. */
import { createServer } from 'node:http';

/** The request body, up to `limit` bytes (a larger one destroys the request). */
export function readBody(req, limit = 1024 * 1024) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > limit) req.destroy(new Error('request body too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Listen on `host`:`port` (0: a free port); resolves with the port. */
export function listen(server, { port = 0, host = '127.0.0.1' } = {}) {
  return new Promise((resolve, reject) => {
    server.once('error', (err) => {
      reject(err.code === 'EADDRINUSE' ? new Error(`port ${port} on ${host} is already in use: pick another (or 0 for a free one)`) : err);
    });
    server.listen(port, host, () => resolve(server.address().port));
  });
}

/** Close, keep-alive sockets first: Chromium holds them open and would hang close() for its idle timeout. */
export function closeServer(server) {
  if (!server.listening) return Promise.resolve();
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Answer with `body`, not cached. */
export function send(res, status, type, body, headers = {}) {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...headers });
  res.end(body);
}

/** A server whose async `handler` failing answers 500 (or ends the response). */
export async function serve(handler, { port = 0, host = '127.0.0.1' } = {}) {
  const server = createServer((req, res) => {
    Promise.resolve()
      .then(() => handler(req, res))
      .catch((err) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(err));
      });
  });
  const bound = await listen(server, { port, host });
  return { server, port: bound, origin: `http://${host}:${bound}`, close: () => closeServer(server) };
}

/** A server that answers 503 until `answer(handler)`: for one whose handler needs its own port, known once it listens. */
export function deferredServer() {
  let handler = null;
  const server = createServer((req, res) => (handler ? handler(req, res) : send(res, 503, 'text/plain', 'starting')));
  return {
    server,
    answer(next) {
      handler = next;
    },
  };
}
