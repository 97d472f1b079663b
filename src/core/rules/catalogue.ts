/**
 * The rule catalogue. Ids are stable contracts (reports, SARIF, CI configs rely
 * on them); docs/RULES.md explains each with the standard behind it.
 */
import type { RuleId, Severity } from '../types.js';

/**
 * A rule's entry in the catalogue: its default severity, title and the standard behind it.
 * @see [RFC 9700: OAuth 2.0 Security Best Current Practice](https://www.rfc-editor.org/rfc/rfc9700)
 */
export interface RuleInfo {
  id: RuleId;
  /** Default severity; a provider profile may lower it, with an explanation. */
  severity: Severity;
  title: string;
  /** The standard behind the rule, as people cite it. */
  standard: string;
  /**
   * The rule judges a token against its resource server, so its verdict is only as sure as that
   * server: the severity ladder caps it by confidence (docs/RULES.md, "The severity ladder").
   */
  judgesServer?: true;
}

/** Where each rule is explained, relative to the project (and the package). */
export const RULES_DOC_PATH = 'docs/RULES.md';

/**
 * Every rule, by id: what `Finding.rule` names. docs/RULES.md explains each.
 * @see [RFC 9700: OAuth 2.0 Security Best Current Practice](https://www.rfc-editor.org/rfc/rfc9700)
 */
export const RULES: Readonly<Record<RuleId, RuleInfo>> = {
  'audience-beyond-server': {
    id: 'audience-beyond-server',
    judgesServer: true,
    severity: 'high',
    title: 'Access token audience goes beyond its resource server',
    standard: 'RFC 9068 s4; RFC 9700 s2.3',
  },
  'audience-missing-server': {
    id: 'audience-missing-server',
    judgesServer: true,
    severity: 'high',
    title: 'Access token audience does not name its resource server',
    standard: 'RFC 9068 s4',
  },
  'no-audience': {
    id: 'no-audience',
    severity: 'medium',
    title: 'JWT access token without an audience',
    standard: 'RFC 9068 s2.2',
  },
  'scope-beyond-server': {
    id: 'scope-beyond-server',
    judgesServer: true,
    severity: 'medium',
    title: "Token carries another resource server's scopes",
    standard: 'RFC 9068 s3; RFC 8707 s2',
  },
  'token-shared-across-servers': {
    id: 'token-shared-across-servers',
    judgesServer: true,
    severity: 'high',
    title: 'The same token is filed under two resource servers',
    standard: 'RFC 9700 s2.3',
  },
  'resource-not-honoured': {
    id: 'resource-not-honoured',
    judgesServer: true,
    severity: 'high',
    title: 'Requested resource or audience not honoured',
    standard: 'RFC 8707 s2',
  },
  'id-token-audience': {
    id: 'id-token-audience',
    severity: 'medium',
    title: 'ID token audience does not fit the client',
    standard: 'OpenID Connect Core 1.0 s3.1.3.7',
  },
  'unsigned-token': {
    id: 'unsigned-token',
    severity: 'high',
    title: 'Unsigned token (alg none)',
    standard: 'RFC 8725 s2.1, s3.1',
  },
  expired: {
    id: 'expired',
    severity: 'medium',
    title: 'Token already expired when captured',
    standard: 'RFC 7519 s4.1.4',
  },
  'not-yet-valid': {
    id: 'not-yet-valid',
    severity: 'low',
    title: 'Token not yet valid when captured',
    standard: 'RFC 7519 s4.1.5',
  },
  'opaque-token': {
    id: 'opaque-token',
    severity: 'info',
    title: 'Opaque access token: audience cannot be checked locally',
    standard: 'RFC 7662 (introspection)',
  },
  'malformed-token': {
    id: 'malformed-token',
    severity: 'medium',
    title: 'Token looks like a JWT but does not decode',
    standard: 'RFC 7519 s7.2',
  },
  'scope-diff': {
    id: 'scope-diff',
    severity: 'info',
    title: 'Granted scopes differ from requested scopes',
    standard: 'RFC 6749 s3.3',
  },
  'error-response': {
    id: 'error-response',
    severity: 'info',
    title: 'Token endpoint answered with an error',
    standard: 'RFC 6749 s5.2',
  },
  'unparseable-response': {
    id: 'unparseable-response',
    severity: 'low',
    title: 'Token response is neither JSON nor form data',
    standard: 'RFC 6749 s5.1',
  },
  'token-sent-beyond-audience': {
    id: 'token-sent-beyond-audience',
    judgesServer: true,
    severity: 'high',
    title: 'Token sent as Bearer to a host outside its resource server',
    standard: 'RFC 6750 s5.2; RFC 9700 s2.3',
  },
  'pkce-missing': {
    id: 'pkce-missing',
    severity: 'medium',
    title: 'Authorization code requested without PKCE',
    standard: 'RFC 9700 s2.1.1; RFC 7636',
  },
  'pkce-plain': {
    id: 'pkce-plain',
    severity: 'medium',
    title: 'PKCE with the plain method',
    standard: 'RFC 9700 s2.1.1; RFC 7636 s4.2',
  },
  'csrf-unprotected': {
    id: 'csrf-unprotected',
    severity: 'medium',
    title: 'Authorization request with neither state nor PKCE',
    standard: 'RFC 9700 s4.7.1; RFC 6749 s10.12',
  },
  'token-in-front-channel': {
    id: 'token-in-front-channel',
    severity: 'medium',
    title: 'Access token issued in the authorization response (implicit)',
    standard: 'RFC 9700 s2.1.2',
  },
  'nonce-missing': {
    id: 'nonce-missing',
    severity: 'medium',
    title: 'ID token from the front channel requested without a nonce',
    standard: 'OpenID Connect Core 1.0 s3.2.2.1, s3.3.2.11',
  },
  'authorization-error': {
    id: 'authorization-error',
    severity: 'low',
    title: 'The authorization request was refused',
    standard: 'RFC 6749 s4.1.2.1; OpenID Connect Core 1.0 s3.1.2.6',
  },
  'redirect-uri-mismatch': {
    id: 'redirect-uri-mismatch',
    severity: 'medium',
    title: 'redirect_uri differs between the authorization and token requests',
    standard: 'RFC 6749 s4.1.3',
  },
  'issuer-mismatch': {
    id: 'issuer-mismatch',
    severity: 'high',
    title: "The authorization response's iss is not the tokens' issuer",
    standard: 'RFC 9207 s2.4; RFC 9700 s4.4',
  },
  'upstream-token-in-browser': {
    id: 'upstream-token-in-browser',
    severity: 'info',
    title: "The upstream identity provider's own token is handed to the browser",
    standard: 'OAuth 2.0 for Browser-Based Applications (draft-ietf-oauth-browser-based-apps) s5',
  },
  'dpop-proof-key-mismatch': {
    id: 'dpop-proof-key-mismatch',
    severity: 'medium',
    title: "The access token's cnf.jkt is not the DPoP proof's key",
    standard: 'RFC 9449 s6.1',
  },
  'dpop-ath-mismatch': {
    id: 'dpop-ath-mismatch',
    severity: 'medium',
    title: "A DPoP proof's ath is not the hash of the access token sent with it",
    standard: 'RFC 9449 s4.3, s7',
  },
  'dpop-proof-target-mismatch': {
    id: 'dpop-proof-target-mismatch',
    severity: 'low',
    title: "A DPoP proof's htm or htu is not the request it was sent with",
    standard: 'RFC 9449 s4.3',
  },
  'dpop-token-sent-as-bearer': {
    id: 'dpop-token-sent-as-bearer',
    severity: 'medium',
    title: 'A DPoP-bound access token sent with the Bearer scheme',
    standard: 'RFC 9449 s7.1',
  },
  'dpop-jkt-mismatch': {
    id: 'dpop-jkt-mismatch',
    severity: 'medium',
    title: "dpop_jkt at authorize is not the key of the code exchange's DPoP proof",
    standard: 'RFC 9449 s10',
  },
  'metadata-resource-mismatch': {
    id: 'metadata-resource-mismatch',
    severity: 'medium',
    title: 'Protected-resource metadata whose resource is not the URL it was fetched for',
    standard: 'RFC 9728 s3.3',
  },
  'metadata-issuer-not-listed': {
    id: 'metadata-issuer-not-listed',
    severity: 'medium',
    title: "The token's issuer is not among the metadata's authorization_servers",
    standard: 'RFC 9728 s2, s7.6',
  },
  'resource-differs-from-metadata': {
    id: 'resource-differs-from-metadata',
    severity: 'medium',
    title: "A resource at authorize or token that is not the metadata's resource",
    standard: 'RFC 9728 s7.4; RFC 8707 s2',
  },
  'mcp-resource-missing': {
    id: 'mcp-resource-missing',
    severity: 'medium',
    title: 'An MCP sign-in without resource at authorize or token',
    standard: 'MCP 2025-06-18 Authorization, Resource Parameter Implementation; RFC 8707 s2',
  },
  'mcp-audience-not-server': {
    id: 'mcp-audience-not-server',
    judgesServer: true,
    severity: 'high',
    title: "An MCP server's access token whose aud is not the server's canonical URI",
    standard: 'MCP 2025-06-18 Authorization, Token Handling; Token Audience Binding and Validation; RFC 8707 s2',
  },
  'mcp-token-passthrough': {
    id: 'mcp-token-passthrough',
    judgesServer: true,
    severity: 'high',
    title: "An MCP server's token sent on to another host",
    standard: 'MCP 2025-06-18 Authorization, Access Token Privilege Restriction (token passthrough)',
  },
  'authorization-details-dropped': {
    id: 'authorization-details-dropped',
    severity: 'info',
    title: 'Authorization details requested and not granted',
    standard: 'RFC 9396 s7, s2.2',
  },
  'authorization-details-added': {
    id: 'authorization-details-added',
    severity: 'medium',
    title: 'Authorization details granted beyond what was requested',
    standard: 'RFC 9396 s7, s7.1, s2.2',
  },
  'authorization-details-beyond-audience': {
    id: 'authorization-details-beyond-audience',
    judgesServer: true,
    severity: 'high',
    title: "An access token's authorization details name locations outside its audience",
    standard: 'RFC 9396 s9.1, s12, s2.2',
  },
  'id-token-as-access-token': {
    id: 'id-token-as-access-token',
    severity: 'medium',
    title: 'An ID token sent as an access token',
    standard: 'OpenID Connect Core 1.0 s2, s5.3.1; RFC 9068 s4, s5; RFC 8725 s3.11',
  },
  'refresh-token-reused': {
    id: 'refresh-token-reused',
    severity: 'medium',
    title: 'The same refresh token redeemed twice',
    standard: 'RFC 9700 s4.14.2; RFC 6749 s6',
  },
  'requested-server-no-token': {
    id: 'requested-server-no-token',
    severity: 'low',
    title: 'Scopes requested for a resource server that got no token',
    standard: 'RFC 6749 s3.3; RFC 8707 s2',
  },
};

/** The rule's section in docs/RULES.md (a heading per rule id). */
export function ruleDocPath(rule: RuleId): string {
  return `${RULES_DOC_PATH}#${rule}`;
}
