/** What the analysis of one exchange works on: its context, and the grant each resource server received. */
import type { RequestParams } from '../parse.js';
import type { ProfileContext, ProviderProfile } from '../providers.js';
import { isIdentityScope, isSameServer, scopeServer } from '../scopes.js';
import type { DecodedToken } from '../tokens.js';
import type { Finding, ResolvedBy, ResourceServerReport } from '../types.js';

/** One token of a grant, with the scopes the response gave for the entry it came in. */
export interface GrantedToken {
  decoded: DecodedToken;
  responseScopes: string[];
}

/** What one resource server received in one exchange: scopes and tokens (DESIGN: "grant"). */
export interface ServerGrant {
  id: string;
  resolvedBy: ResolvedBy;
  scopes: string[];
  requestedScopes: string[];
  tokens: GrantedToken[];
}

export interface ExchangeContext {
  /** The time exp and nbf are checked against. */
  capturedAt: Date;
  showTokens: boolean;
  request: RequestParams;
  profile: ProviderProfile | null;
  profileContext: ProfileContext;
  /** The server that owns identity scopes (openid, profile, email): the provider's, else the issuer, else the endpoint's origin. */
  identityServer: string;
  /** The exchange's findings: every rule adds to this list. */
  findings: Finding[];
}

/** The scope's resource server, asking the provider profile first; null for identity scopes and scopes that name none. */
export function serverOfScope(scope: string, profile: ProviderProfile | null): string | null {
  if (isIdentityScope(scope)) return null;
  return profile?.scopeServer?.(scope) ?? scopeServer(scope);
}

/** Whether `audience` names `resourceServer`: the same id, or an alias the provider profile knows (either way round). */
export function isAliasOf(audience: string, resourceServer: string, context: ExchangeContext): boolean {
  const isAlias = context.profile?.isAlias;
  return (
    isSameServer(audience, resourceServer) ||
    isAlias?.(audience, resourceServer, context.profileContext) === true ||
    isAlias?.(resourceServer, audience, context.profileContext) === true
  );
}

/** The grant as the report shows it. */
export function toResourceServerReport(grant: ServerGrant): ResourceServerReport {
  return {
    id: grant.id,
    resolvedBy: grant.resolvedBy,
    scopes: grant.scopes,
    requestedScopes: grant.requestedScopes,
    tokens: grant.tokens.map((token) => token.decoded.report),
  };
}
