/**
 * The findings vocabulary: where a capture came from, the rule ids and severities, and a finding. A leaf module
 * (it imports nothing), so that types.ts and sign-in/types.ts both import it and neither imports the other;
 * types.ts re-exports all of it, and the rest of the project imports these names from there.
 */

/**
 * Where an exchange was seen. `file` is a raw token response given to the CLI; `playwright` is
 * the `tokenscope/playwright` fixture (Playwright's network events in a test); `web-navigation` the
 * browser's own record of a frame's navigation (optional permission).
 * @see [HAR 1.2: the HTTP Archive format](https://w3c.github.io/web-performance/specs/HAR/Overview.html)
 */
export type CaptureSource = 'har' | 'page-hook' | 'devtools' | 'filter' | 'import' | 'file' | 'playwright' | 'web-navigation';

/**
 * How bad a finding is, worst first: `high`, `medium`, `low`, `info` (docs/RULES.md, "The severity ladder").
 * @see [RFC 9700 s2.3: access token privilege restriction](https://www.rfc-editor.org/rfc/rfc9700#section-2.3)
 */
export type Severity = 'high' | 'medium' | 'low' | 'info';
/**
 * An access token, a refresh token or an OpenID Connect ID token.
 * @see [RFC 6749 s1.4: access token](https://www.rfc-editor.org/rfc/rfc6749#section-1.4)
 * @see [RFC 6749 s1.5: refresh token](https://www.rfc-editor.org/rfc/rfc6749#section-1.5)
 */
export type TokenKind = 'access' | 'refresh' | 'id';

/**
 * A rule's id: a stable contract (reports, SARIF, CI configurations name it); docs/RULES.md explains each with the
 * standard behind it.
 * @see [RFC 9700: OAuth 2.0 Security Best Current Practice](https://www.rfc-editor.org/rfc/rfc9700)
 */
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
  | DiscoveryRuleId
  | AuthorizationDetailsRuleId;

/** Rules on rich authorization requests (src/core/rules/authorization-details.ts), RFC 9396. */
export type AuthorizationDetailsRuleId =
  | 'authorization-details-dropped'
  | 'authorization-details-added'
  | 'authorization-details-beyond-audience';

/** Rules on discovery (RFC 9728 protected-resource metadata) and MCP servers (src/core/rules/discovery.ts, mcp.ts). */
export type DiscoveryRuleId =
  | 'metadata-resource-mismatch'
  | 'metadata-issuer-not-listed'
  | 'resource-differs-from-metadata'
  | 'mcp-resource-missing'
  | 'mcp-audience-not-server'
  | 'mcp-token-passthrough';

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

/**
 * One thing a rule found: its rule id, severity, the resource server and token kind it is about, a plain sentence
 * and the evidence (fingerprints, never token values).
 * @see [RFC 9700 s2.3: access token privilege restriction](https://www.rfc-editor.org/rfc/rfc9700#section-2.3)
 */
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
