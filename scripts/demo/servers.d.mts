/** Types of the demo's sign-in world (servers.mjs), for the TypeScript tests that start it. */
export declare const IDENTITY_SERVER: string;
export declare const CLIENT_ID: string;
export declare const RESOURCE_SERVERS: Array<{ id: string; scope: string; format: string; extraAudience?: string }>;
export declare const REQUESTED_SCOPE: string;
export interface Demo {
  issuer: string;
  appUrl: string;
  appOrigin: string;
  tokenUrl: string;
  close(): Promise<void>;
}
export declare function startDemo(options?: {
  portApp?: number;
  portAuth?: number;
  autoApprove?: boolean;
  log?: (line: string) => void;
}): Promise<Demo>;
