/**
 * The vocabulary of Tokenscope, shared by the core, the extension and the CLI.
 *
 * A `CapturedExchange` is what a capture source saw (plain data, untrusted);
 * an `ExchangeReport` is what the core made of it. Views and the CLI render
 * reports; they never re-derive analysis.
 */
import type { AuthorizationDetail } from './authorization-details.js';
import type { SignInReport, SignInStep } from './sign-in/types.js';

/**
 * Where an exchange was seen. `file` is a raw token response given to the CLI; `playwright` is
 * the `tokenscope/playwright` fixture (Playwright's network events in a test).
 */
/** Where a capture came from; 'web-navigation': the browser's own record of a frame's navigation (optional permission). */
export type CaptureSource = 'har' | 'page-hook' | 'devtools' | 'filter' | 'import' | 'file' | 'playwright' | 'web-navigation';

export type Severity = 'high' | 'medium' | 'low' | 'info';
export type TokenKind = 'access' | 'refresh' | 'id';
export type TokenFormat = 'jwt' | 'opaque';

/**
 * How a resource server's identity was found (DESIGN: resource-server resolution, first that applies).
 * `provider`: the provider's documented API (its profile, with the documentation link).
 * `client`: not a resource server but the client itself, under which its ID tokens are filed (OIDC Core s2: an ID
 * token's `aud` is the client id); named by the ID token's `aud`, else the request's `client_id`.
 */
export type ResolvedBy = 'resource_server' | 'resource' | 'request' | 'aud' | 'provider' | 'scope' | 'unknown' | 'client';

/**
 * How sure Tokenscope is of a resource server, strongest first: named by the `response`, by the
 * `request` (token request, or the authorization request the sign-in started with), by the `token`'s
 * `aud`; taken from the `provider`'s documented API; `inferred` from scopes; or a `fallback` (nothing
 * named it). Severities follow it (docs/RULES.md, "Confidence" and "The severity ladder").
 */
export type Confidence = 'response' | 'request' | 'token' | 'provider' | 'inferred' | 'fallback';

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
  | 'token-sent-beyond-audience'
  | 'upstream-token-in-browser'
  | 'id-token-as-access-token'
  | 'refresh-token-reused'
  | DpopRuleId
  | FlowRuleId
  | AuthorizationDetailsRuleId;

/** Rules on rich authorization requests (src/core/rules/authorization-details.ts), RFC 9396. */
export type AuthorizationDetailsRuleId =
  | 'authorization-details-dropped'
  | 'authorization-details-added'
  | 'authorization-details-beyond-audience';

/** Rules on DPoP proofs and bound tokens (src/core/rules/dpop.ts), RFC 9449. */
export type DpopRuleId =
  | 'dpop-proof-key-mismatch'
  | 'dpop-ath-mismatch'
  | 'dpop-proof-target-mismatch'
  | 'dpop-token-sent-as-bearer'
  | 'dpop-jkt-mismatch';

/** Rules on the sign-in flow (src/core/rules/flow.ts). */
export type FlowRuleId =
  | 'pkce-missing'
  | 'pkce-plain'
  | 'csrf-unprotected'
  | 'token-in-front-channel'
  | 'nonce-missing'
  | 'authorization-error'
  | 'redirect-uri-mismatch'
  | 'issuer-mismatch'
  | 'requested-server-no-token';

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
    /** Request headers, lower-cased names. Only `content-type`, `authorization` and `dpop` (RFC 9449 proof) are read. */
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
  /** Why the token is opaque or undecodable, or what it is when it is not what its field suggests. */
  note?: string;
  /** RFC 8693 token exchange: the response's `issued_token_type`, as sent. */
  issuedTokenType?: string;
  /**
   * The SDK whose service worker holds this token: the response had a known placeholder in its place
   * (`src/core/held-tokens.ts`), so the value was never visible to the page.
   */
  heldBy?: string;
  /** Where the token was later sent as a Bearer token (AnalyzeOptions.bearerUses): each address once, the query left out. */
  sentTo?: TokenSent[];
  /** How the access token is bound to its holder (sender-constrained, RFC 9700 s4.10.1): DPoP (RFC 9449) or mTLS (RFC 8705). */
  binding?: TokenBinding;
}

/** How a token is bound to its holder (src/core/dpop.ts). */
export interface TokenBinding {
  /** `dpop`: RFC 9449; `mtls`: RFC 8705 certificate-bound. */
  method: 'dpop' | 'mtls';
  /** DPoP: the key's RFC 7638 thumbprint: the token's `cnf.jkt`, else the token request's proof key; null when neither is visible. */
  jkt?: string | null;
  /** mTLS: the certificate's SHA-256 thumbprint (`cnf["x5t#S256"]`); the certificate itself is not visible to a browser extension. */
  x5tS256?: string;
  /** Where it was read: the token's `cnf` claim, the response's `token_type`, or the token request's DPoP proof. */
  from: 'cnf' | 'token_type' | 'proof';
}

/** One place a captured token was sent to as a Bearer token. */
export interface TokenSent {
  /** The request's address without its query or fragment. */
  url: string;
  method: string;
  at: string;
  /** `dpop` when it went as `Authorization: DPoP` (RFC 9449 s7.1); absent for Bearer (or not known). */
  scheme?: 'dpop';
  /**
   * The resource server asked for a DPoP nonce there (RFC 9449 s9: 401 `use_dpop_nonce`): `retried` when a later call
   * with the same token to the same address carried a nonce, `not-retried` when none was seen. Never a failure.
   */
  nonceChallenge?: 'retried' | 'not-retried';
}

export interface ResourceServerReport {
  id: string;
  resolvedBy: ResolvedBy;
  /** How sure the resolution is (beside `resolvedBy`, which says which step named the server). */
  confidence: Confidence;
  /**
   * Other names of this server that its tokens carry in `aud`, when the server is named by the one the client
   * asked for: Entra v2's application id (a GUID) beside the Application ID URI (`api://orders-api`). Absent when none.
   */
  aliases?: string[];
  /** Scopes this resource server was granted in this exchange. */
  scopes: string[];
  /** Scopes the request asked for that belong to this resource server (empty when the request named none). */
  requestedScopes: string[];
  /**
   * Requested scopes the response did not list but honoured with a token: `offline_access` with a refresh token
   * (OIDC Core s11), the OpenID scopes with an ID token (s3.1.2.1, s5.4). Not dropped. Absent when none.
   */
  honoured?: string[];
  tokens: TokenReport[];
  /** RFC 9396 authorization details this server was asked for and granted, like `requestedScopes` and `scopes`; absent when neither side named any. */
  authorizationDetails?: AuthorizationDetailsReport;
}

/** The authorization details (RFC 9396) of one resource server in one exchange: requested vs granted. */
export interface AuthorizationDetailsReport {
  /** From the token request, else the sign-in's authorization request (its query, PAR body or request object). */
  requested: AuthorizationDetail[];
  granted: AuthorizationDetail[];
  /** Where `granted` was read: the token response (RFC 9396 s7) or the JWT access token's claim (s9.1); null when neither carried any. */
  grantedFrom: 'response' | 'token' | null;
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
  /**
   * Set when the severity is below what the rule (and any provider explanation) gave, because of how
   * sure the resource server is or how near the receiving host is: the severity before, and why.
   */
  lowered?: { from: Severity; reason: string };
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
  /** A challenge the client answers by retrying: `use_dpop_nonce` (RFC 9449 s8), not a failure. */
  challenge?: 'use_dpop_nonce';
  /** The token request's DPoP proof (RFC 9449 s4), what the report needs of it; absent when none was seen. */
  dpopProof?: { jkt: string | null; htm: string | null; htu: string | null; iat: number | null; nonce: boolean };
}

export interface ReportSummary {
  exchanges: number;
  /** Distinct resource servers in the report (one server reached by several exchanges counts once). */
  resourceServers: number;
  /** Distinct tokens (by kind and fingerprint). */
  tokens: number;
  findings: Record<Severity, number>;
}

export interface Report {
  tool: 'tokenscope';
  version: string;
  exchanges: ExchangeReport[];
  /** Each authorization request with its response and the exchanges it led to; an exchange with nothing before it is a sign-in of one step. */
  signIns: SignInReport[];
  summary: ReportSummary;
  /** What was not read, or read only in part (a HAR cut short, entries over the size cap), one sentence each; absent when all was read. */
  notes?: string[];
}

/**
 * A captured token later sent as `Authorization: Bearer` (or `DPoP`, RFC 9449 s7.1) (seen in a HAR's
 * request headers, or reported by the extension's page hook). The token itself
 * is never kept: only its fingerprint.
 */
export interface BearerUse {
  url: string;
  method: string;
  fingerprint: string;
  at: string;
  /** The Authorization scheme: `bearer` (RFC 6750) or `dpop` (RFC 9449 s7.1); absent when the capture did not say (an older page hook's use). */
  scheme?: 'bearer' | 'dpop';
  /** The request's DPoP proof, when the capture saw its headers, with whether its `ath` is the hash of the token sent (and, when known, whether it carried a nonce). */
  proof?: { jkt: string | null; htm: string | null; htu: string | null; athMatches: boolean | null; nonce?: boolean };
  /** The resource server answered 401 `WWW-Authenticate: DPoP error="use_dpop_nonce"` (RFC 9449 s9): a challenge the client answers by retrying. */
  challenge?: 'use_dpop_nonce';
}

export interface AnalyzeOptions {
  /** Where captured tokens were sent afterwards (token-sent-beyond-audience). */
  bearerUses?: readonly BearerUse[];
  /** Include token values in the report. Off by default: fingerprints only. */
  showTokens?: boolean;
  /** Evaluate exp / nbf at this time instead of each exchange's capture time. */
  at?: Date;
  /** Navigations to authorization endpoints and back to redirect URIs, and pushed authorization requests: the sign-ins' front channel. */
  signInSteps?: readonly SignInStep[];
}
