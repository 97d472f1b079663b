import type { IncomingMessage, Server, ServerResponse } from 'node:http';

export type Handler = (req: IncomingMessage, res: ServerResponse) => unknown;
export interface Served {
  server: Server;
  port: number;
  origin: string;
  close(): Promise<void>;
}
export declare function readBody(req: IncomingMessage, limit?: number): Promise<Buffer>;
export declare function listen(server: Server, options?: { port?: number; host?: string }): Promise<number>;
export declare function closeServer(server: Server): Promise<void>;
export declare function send(
  res: ServerResponse,
  status: number,
  type: string,
  body: string | Buffer,
  headers?: Record<string, string>,
): void;
export declare function serve(handler: Handler, options?: { port?: number; host?: string }): Promise<Served>;
export declare function deferredServer(): { server: Server; answer(handler: Handler): void };
