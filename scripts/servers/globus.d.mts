import type { IncomingMessage, ServerResponse } from 'node:http';

export interface ResourceServer {
  id: string;
  scope: string;
  format?: 'opaque' | 'jwt';
  /** Another service the JWT access token's audience names too (a misconfiguration). */
  extraAudience?: string;
}
export interface GlobusOptions {
  resourceServers?: ResourceServer[];
  user?: Record<string, string>;
  refreshTokens?: boolean;
  signIn?: { clientId: string; redirectUri: string; autoApprove?: boolean };
  corsOrigin?: string;
  routes?: (req: IncomingMessage, res: ServerResponse, url: URL, body: string) => boolean | Promise<boolean>;
  port?: number;
  log?: (line: string) => void;
}
export interface Globus {
  origin: string;
  issuer: string;
  tokenUrl: string;
  authorizeUrl: string;
  /** Every access token issued, to the resource server it was issued for. */
  issued: Map<string, string>;
  close(): Promise<void>;
}
export declare const TOKEN_PATH: string;
export declare const AUTHORIZE_PATH: string;
export declare const IDENTITY_SERVER: string;
export declare const IDENTITY_SCOPES: string;
export declare const GLOBUS_ISSUER: string;
export declare const TEST_CLIENT_ID: string;
export declare const GLOBUS_RESOURCE_SERVERS: ResourceServer[];
export declare const TEST_USER: Record<string, string>;
export declare function startGlobus(options?: GlobusOptions): Promise<Globus>;
