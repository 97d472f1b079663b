// Minimal ambient types for the parts of express@5 and cors the MCP test server uses (they come with
// @modelcontextprotocol/sdk; their @types packages are not installed).
declare module 'express' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export type Request = IncomingMessage & { body?: unknown; auth?: unknown };
  export type Response = ServerResponse & { json(body: unknown): Response; status(code: number): Response };
  export type NextFunction = (error?: unknown) => void;
  export type RequestHandler = (req: Request, res: Response, next: NextFunction) => void;

  export interface Application {
    (req: IncomingMessage, res: ServerResponse): void;
    use(...handlers: unknown[]): Application;
    post(path: string, ...handlers: unknown[]): Application;
    options(path: string, ...handlers: unknown[]): Application;
  }

  interface Express {
    (): Application;
    json(): RequestHandler;
  }
  const express: Express;
  export default express;
}

declare module 'cors' {
  import type { RequestHandler } from 'express';

  export default function cors(options?: { exposedHeaders?: string[]; allowedHeaders?: string[] }): RequestHandler;
}
