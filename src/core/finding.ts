/**
 * The findings vocabulary: where a capture came from, the rule ids and severities, and a finding. A leaf module
 * (it imports nothing), so that types.ts and sign-in/types.ts both import it and neither imports the other;
 * types.ts re-exports all of it, and the rest of the project imports these names from there.
 */

/**
 * Where an exchange was seen. `file` is a raw token response given to the CLI; `playwright` is
 * the `tokenscope/playwright` fixture (Playwright's network events in a test); `web-navigation` the
 * browser's own record of a frame's navigation (optional permission).
 */
export type CaptureSource = 'har' | 'page-hook' | 'devtools' | 'filter' | 'import' | 'file' | 'playwright' | 'web-navigation';

export type Severity = 'high' | 'medium' | 'low' | 'info';
export type TokenKind = 'access' | 'refresh' | 'id';

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
  | DpopRuleId
  | FlowRuleId;

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
