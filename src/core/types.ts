/**
 * The vocabulary of Tokenscope, shared by the core, the extension and the CLI.
 *
 * A `CapturedExchange` is what a capture source saw (plain data, untrusted);
 * an `ExchangeReport` is what the core made of it. Views and the CLI render
 * reports; they never re-derive analysis.
 */
import type { CaptureSource, Finding, Severity, TokenKind } from './finding.js';
import type { AuthorizationDetail } from './authorization-details.js';
import type { SignInReport, SignInStep } from './sign-in/types.js';

export type {
  AuthorizationDetailsRuleId,
  CaptureSource,
  DiscoveryRuleId,
  DpopRuleId,
  Finding,
  FlowRuleId,
  RuleId,
  Severity,
  TokenKind,
} from './finding.js';

/**
 * A JWT (three base64url parts) or an opaque string the client cannot read.
 * @see [RFC 7519 s7.2: validating a JWT](https://www.rfc-editor.org/rfc/rfc7519#section-7.2)
 */
export type TokenFormat = 'jwt' | 'opaque';

/**
 * How a resource server's identity was found (DESIGN: resource-server resolution, first that applies).
 * `provider`: the provider's documented API (its profile, with the documentation link).
 * `client`: not a resource server but the client itself, under which its ID tokens are filed (OIDC Core s2: an ID
 * token's `aud` is the client id); named by the ID token's `aud`, else the request's `client_id`.
 * @see [RFC 8707 s2: the resource parameter](https://www.rfc-editor.org/rfc/rfc8707#section-2)
 */
export type ResolvedBy = 'resource_server' | 'resource' | 'request' | 'aud' | 'provider' | 'scope' | 'unknown' | 'client';

/**
 * How sure Tokenscope is of a resource server, strongest first: named by the `response`, by the
 * `request` (token request, or the authorization request the sign-in started with), by the `token`'s
 * `aud`; taken from the `provider`'s documented API; `inferred` from scopes; or a `fallback` (nothing
 * named it). Severities follow it (docs/RULES.md, "Confidence" and "The severity ladder").
 */
export type Confidence = 'metadata' | 'response' | 'request' | 'token' | 'provider' | 'inferred' | 'fallback';

/**
 * One token-endpoint (or introspection) request and its response, as a capture source saw it: the input of
 * `analyzeExchanges` and `buildReport`. Plain data, untrusted.
 * @see [RFC 6749 s4.1.3: the access token request](https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3)
 * @see [RFC 6749 s5.1: a successful token response](https://www.rfc-editor.org/rfc/rfc6749#section-5.1)
 */
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

/**
 * One token of a resource server: its kind, format, fingerprint and (for a JWT) its claims, never its value
 * unless `showTokens` asked for it.
 * @see [RFC 9068 s2.2: the claims of a JWT access token](https://www.rfc-editor.org/rfc/rfc9068#section-2.2)
 */
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

/**
 * A resource server (an API), the scopes and tokens issued for it, and how sure the report is of its name.
 * @see [RFC 8707 s2: the resource parameter](https://www.rfc-editor.org/rfc/rfc8707#section-2)
 * @see [RFC 9700 s2.3: access token privilege restriction](https://www.rfc-editor.org/rfc/rfc9700#section-2.3)
 */
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

/**
 * What the analysis made of one captured exchange: its request, the resource servers its tokens were issued for,
 * its findings and notes.
 * @see [RFC 6749 s5: issuing an access token](https://www.rfc-editor.org/rfc/rfc6749#section-5)
 */
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

/**
 * The report's counts: exchanges, distinct resource servers and tokens, findings by severity.
 * @see [RFC 9700 s2.3: access token privilege restriction](https://www.rfc-editor.org/rfc/rfc9700#section-2.3)
 */
export interface ReportSummary {
  exchanges: number;
  /** Distinct resource servers in the report (one server reached by several exchanges counts once). */
  resourceServers: number;
  /** Distinct tokens (by kind and fingerprint). */
  tokens: number;
  findings: Record<Severity, number>;
}

/**
 * A Tokenscope report: every exchange analyzed, the sign-ins they belong to, and the summary. Its JSON is
 * described by `tokenscope/report.schema.json`.
 * @see [RFC 9700 s2.3: access token privilege restriction](https://www.rfc-editor.org/rfc/rfc9700#section-2.3)
 */
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
 * @see [RFC 6750 s2.1: the Authorization request header field](https://www.rfc-editor.org/rfc/rfc6750#section-2.1)
 * @see [RFC 9449 s7.1: the DPoP authentication scheme](https://www.rfc-editor.org/rfc/rfc9449#section-7.1)
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

/**
 * What a report is built with beside the exchanges: where tokens were sent, the sign-ins' front channel, the
 * time to check validity at, and whether token values are kept.
 * @see [RFC 7519 s4.1.4: the exp claim](https://www.rfc-editor.org/rfc/rfc7519#section-4.1.4)
 * @see [RFC 6750 s2.1: the Authorization request header field](https://www.rfc-editor.org/rfc/rfc6750#section-2.1)
 */
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
