/** RFC 7662: an introspection response is the token's claims, as the authorization server sees them. */
import type { JsonObject } from '../json.js';
import type { RequestParams } from '../parse.js';
import { checkAudience } from '../rules/audience.js';
import { checkScopes } from '../rules/scopes.js';
import { splitScopes } from '../scopes.js';
import { isoFromSeconds, numericClaim } from '../tokens.js';
import type { Confidence, ExchangeReport, ResolvedBy } from '../types.js';
import { type ExchangeContext, type GrantedToken, type ServerGrant, toResourceServerReport } from './exchange-context.js';
import { quote } from './findings.js';
import { type ResolvedServer, resolveServers } from './resolve-server.js';

/** Where an access token issued earlier in the capture was filed, by its fingerprint. */
export type IssuedAccessTokens = Map<string, { resourceServer: string; resolvedBy: ResolvedBy; confidence: Confidence }>;

/** Whether a JSON answer is an introspection response: `active`, no `access_token`, and a `token` parameter or an introspection URL. */
export function looksLikeIntrospection(value: JsonObject, request: RequestParams, url: string): boolean {
  if (typeof value.active !== 'boolean' || 'access_token' in value) return false;
  return request.introspectedToken !== null || /introspect/i.test(url);
}

/** The introspected token as a granted token whose claims are the introspection answer. */
function introspectedToken(value: JsonObject, tokenFingerprint: string | null, scopes: string[]): GrantedToken {
  const exp = numericClaim(value.exp);
  return {
    decoded: {
      report: {
        kind: 'access',
        format: 'opaque',
        fingerprint: tokenFingerprint ?? 'sha256:unknown',
        expiresAt: exp !== null ? isoFromSeconds(exp) : null,
        header: null,
        claims: value,
        note: 'claims from token introspection (RFC 7662)',
      },
      malformed: false,
      problem: null,
    },
    responseScopes: scopes,
  };
}

/**
 * Check an active token's audience and scopes. Its resource server is where the capture filed the
 * same token when it was issued, else resolved from the claims as for a JWT.
 */
export function analyzeIntrospection(
  report: ExchangeReport,
  value: JsonObject,
  context: ExchangeContext,
  issuedAccessTokens: IssuedAccessTokens,
): void {
  report.kind = 'introspection';
  if (value.active !== true) {
    report.notes.push('The introspection response says the token is not active.');
    return;
  }
  const tokenFingerprint = context.request.introspectedToken;
  const linked = tokenFingerprint ? issuedAccessTokens.get(tokenFingerprint) : undefined;
  const scopes = splitScopes(value.scope);
  const claimsAsToken = {
    report: { kind: 'access', format: 'opaque', fingerprint: '', expiresAt: null, header: null, claims: value },
    malformed: false,
    problem: null,
  } as const;
  // Introspection describes one token: when its aud names several servers, the first is the one it is filed under.
  const resolved: ResolvedServer = linked
    ? { id: linked.resourceServer, resolvedBy: linked.resolvedBy, confidence: linked.confidence }
    : (resolveServers({}, claimsAsToken, scopes, context)[0] as ResolvedServer);
  if (linked) report.notes.push(`Introspection of the token issued for ${quote(linked.resourceServer)} earlier in this capture.`);
  const token = introspectedToken(value, tokenFingerprint, scopes);
  const grant: ServerGrant = { ...resolved, scopes, requestedScopes: [], tokens: [token] };
  checkAudience(token, grant, context, 'introspection');
  checkScopes(token, grant, context);
  report.resourceServers = [toResourceServerReport(grant)];
}
