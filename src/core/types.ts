/**
 * The vocabulary of Tokenscope, shared by the core, the extension and the CLI.
 *
 * A `CapturedExchange` is what a capture source saw (plain data, untrusted);
 * an `ExchangeReport` is what the core made of it. Views and the CLI render
 * reports; they never re-derive analysis.
 */

/** Where an exchange was seen. `file` is a raw token response given to the CLI. */
export type CaptureSource = 'har' | 'page-hook' | 'devtools' | 'filter' | 'import' | 'file';

export type Severity = 'high' | 'medium' | 'low' | 'info';
export type TokenKind = 'access' | 'refresh' | 'id';
export type TokenFormat = 'jwt' | 'opaque';

/** How a resource server's identity was found (DESIGN: resource-server resolution, first that applies). */
export type ResolvedBy = 'resource_server' | 'resource' | 'request' | 'aud' | 'scope' | 'unknown';

export type RuleId =
  | 'audience-beyond-server'
  | 'audience-missing-server'
  | 'no-audience'
  | 'scope-beyond-server'
  | 'token-shared-across-servers'
  | 'resource-not-honoured'
  | 'id-token-audience'
  | 'unsigned-token'
  | 'expired'
  | 'not-yet-valid'
  | 'opaque-token'
  | 'malformed-token'
  | 'scope-diff'
  | 'error-response'
  | 'unparseable-response'
  | 'token-sent-beyond-audience';

/** One token-endpoint (or introspection) request and its response, as a capture source saw it. */
export interface CapturedExchange {
  url: string;
  method: string;
  /** HTTP status; null when the source did not see one. */
  status: number | null;
  /** ISO-8601 time the request started (the capture time used for exp / nbf checks). */
  startedAt: string;
  source: CaptureSource;
  request: {
    /** Request headers, lower-cased names. Only `content-type` and `authorization` are read. */
    headers?: Record<string, string>;
    /** The raw request body as text (form or JSON), or null when not seen. */
    body: string | null;
  };
  response: {
    contentType?: string;
    /** The raw response body as text, or null when it was not captured. */
    body: string | null;
    /** Why the body is missing or partial, in words a user understands. */
    bodyNote?: string;
  };
}

export interface TokenReport {
  kind: TokenKind;
  format: TokenFormat;
  fingerprint: string;
  /** ISO-8601; from `exp` for JWTs, else from `expires_in` and the capture time; null when unknown. */
  expiresAt: string | null;
  header: Record<string, unknown> | null;
  claims: Record<string, unknown> | null;
  /** The response's `token_type` for an access token (any case, as sent: `Bearer`, `bearer`, `DPoP`, `N_A`). */
  tokenType?: string;
  /** The token itself, only when the user asked to see tokens (`--show-tokens`, "reveal"). */
  value?: string;
  /** Why the token is opaque or undecodable, when it is. */
  note?: string;
}

export interface ResourceServerReport {
  id: string;
  resolvedBy: ResolvedBy;
  /** Scopes this resource server was granted in this exchange. */
  scopes: string[];
  /** Scopes the request asked for that belong to this resource server (empty when the request named none). */
  requestedScopes: string[];
  tokens: TokenReport[];
}

export interface Finding {
  rule: RuleId;
  severity: Severity;
  resourceServer: string | null;
  tokenKind: TokenKind | null;
  /** One plain sentence. */
  message: string;
  /** The values that triggered the rule. Never a token value: fingerprints only. */
  evidence: Record<string, unknown>;
  /** Set when a provider profile explains (and lowered) this finding. */
  explanation?: string;
}

export interface ExchangeReport {
  id: string;
  url: string;
  method: string;
  status: number | null;
  startedAt: string;
  source: CaptureSource;
  /** `token` for a token endpoint, `introspection` for RFC 7662, `other` when nothing token-like was found. */
  kind: 'token' | 'introspection' | 'other';
  provider: string | null;
  request: {
    grantType: string | null;
    scopes: string[];
    resources: string[];
    clientId: string | null;
    /** Secret request values (client_secret, code, code_verifier, refresh_token, ...) as fingerprints. */
    redacted: Record<string, string>;
  };
  resourceServers: ResourceServerReport[];
  findings: Finding[];
  notes: string[];
}

export interface ReportSummary {
  exchanges: number;
  resourceServers: number;
  tokens: number;
  findings: Record<Severity, number>;
}

export interface Report {
  tool: 'tokenscope';
  version: string;
  exchanges: ExchangeReport[];
  summary: ReportSummary;
  /** What was not read, or read only in part (a HAR cut short, entries over the size cap), one sentence each; absent when all was read. */
  notes?: string[];
}

/**
 * A captured token later sent as `Authorization: Bearer` (seen in a HAR's
 * request headers, or reported by the extension's page hook). The token itself
 * is never kept: only its fingerprint.
 */
export interface BearerUse {
  url: string;
  method: string;
  fingerprint: string;
  at: string;
}

export interface AnalyzeOptions {
  /** Where captured tokens were sent afterwards (token-sent-beyond-audience). */
  bearerUses?: readonly BearerUse[];
  /** Include token values in the report. Off by default: fingerprints only. */
  showTokens?: boolean;
  /** Evaluate exp / nbf at this time instead of each exchange's capture time. */
  at?: Date;
}
