/** What the analysis of one exchange works on: its context, and the grant each resource server received. */
import type { AuthorizationDetail } from '../authorization-details.js';
import type { DpopProof } from '../dpop.js';
import type { JsonObject } from '../json.js';
import { nonEmptyString } from '../json.js';
import type { RequestParams } from '../parse.js';
import { type KnownAudience, knownAudienceOf, type ProfileContext, type ProviderProfile, type UpstreamEntry } from '../providers.js';
import { isIdentityScope, isSameServer, scopeServer } from '../scopes.js';
import type { DecodedToken } from '../tokens.js';
import type { AuthorizationDetailsReport, Confidence, Finding, ResolvedBy, ResourceServerReport } from '../types.js';

/** One token of a grant, with the scopes the response gave for the entry it came in. */
export interface GrantedToken {
  decoded: DecodedToken;
  responseScopes: string[];
  /** An access token whose `aud` names several APIs is filed under each of them: their ids, in `aud` order. */
  audienceServers?: string[];
  /** RFC 8693: the exchange issued something that is not an access token (`token_type` N_A); the access-token rules do not apply. */
  notAccessToken?: boolean;
  /** RFC 9396: the authorization details assigned to this access token: its JWT claim (s9.1), else its response entry's (s7). */
  authorizationDetails?: AuthorizationDetail[];
}

/** What one resource server received in one exchange: scopes and tokens (DESIGN: "grant"). */
export interface ServerGrant {
  id: string;
  resolvedBy: ResolvedBy;
  confidence: Confidence;
  scopes: string[];
  requestedScopes: string[];
  tokens: GrantedToken[];
  /** Other names of the server its tokens carry in `aud` (Entra v2: the application id beside the App ID URI). */
  aliases?: string[];
  /** Requested scopes not listed but honoured by a token (token-response.ts `markHonoured`). */
  honoured?: string[];
  /** RFC 9396 authorization details requested of and granted to this server (analysis/authorization-details.ts). */
  authorizationDetails?: AuthorizationDetailsReport;
}

export interface ExchangeContext {
  /** The time exp and nbf are checked against. */
  capturedAt: Date;
  showTokens: boolean;
  request: RequestParams;
  /**
   * The resources the client asked for (RFC 8707 `resource`, Auth0 `audience`), in order: the token
   * request's. A sign-in's authorization request adds its own here: they name a server with the same
   * confidence (`request`).
   */
  requestedResources: string[];
  /**
   * The `resource` the protected resource's own metadata names (RFC 9728 s2), when the exchange's sign-in was led to
   * by it: a server resolved to the same resource is named with confidence `metadata`.
   */
  metadataResource: string | null;
  profile: ProviderProfile | null;
  profileContext: ProfileContext;
  /** The server that owns identity scopes (openid, profile, email): the provider's, else the issuer, else the endpoint's origin. */
  identityServer: string;
  /** Entries nested in another entry (Slack's `authed_user`), with what the provider profile says they are. */
  nestedEntries: Map<JsonObject, string>;
  /**
   * Servers named through another name their token's `aud` carries (a profile's `namedAudience`: Entra v2's
   * application id for the App ID URI the client asked for), by server id: the `aud` value. Filled as the
   * exchange's tokens are resolved; within this exchange the two names are one server.
   */
  audienceAliases: Map<string, string>;
  /** The upstream identity provider's tokens the response hands on (Supabase's `provider_token`), as entries of their own. */
  upstreamEntries: Map<JsonObject, UpstreamEntry>;
  /** The token request's DPoP proof (RFC 9449), when its headers were seen. */
  dpopProof: DpopProof | null;
  /** The exchange's findings: every rule adds to this list. */
  findings: Finding[];
  /** The exchange's notes: plain sentences. */
  notes: string[];
}

/** The scope's resource server, asking the provider profile first; null for identity scopes and scopes that name none. */
export function serverOfScope(scope: string, profile: ProviderProfile | null): string | null {
  if (isIdentityScope(scope)) return null;
  return profile?.scopeServer?.(scope) ?? scopeServer(scope);
}

/** Whether `audience` names `resourceServer`: the same id, or an alias the provider profile knows (either way round). */
export function isAliasOf(audience: string, resourceServer: string, context: ExchangeContext): boolean {
  const isAlias = context.profile?.isAlias;
  const learned = (server: string, aud: string) => context.audienceAliases.get(server)?.toLowerCase() === aud.toLowerCase();
  return (
    isSameServer(audience, resourceServer) ||
    learned(resourceServer, audience) ||
    learned(audience, resourceServer) ||
    isAlias?.(audience, resourceServer, context.profileContext) === true ||
    isAlias?.(resourceServer, audience, context.profileContext) === true
  );
}

/** An extra audience the provider is known to add, judged against the token's own issuer. */
export function knownAudience(audience: string, context: ExchangeContext, claims: JsonObject | null): KnownAudience | null {
  return knownAudienceOf(audience, context.profile, { ...context.profileContext, issuer: nonEmptyString(claims?.iss) });
}

/** The grant as the report shows it. */
export function toResourceServerReport(grant: ServerGrant): ResourceServerReport {
  return {
    id: grant.id,
    resolvedBy: grant.resolvedBy,
    confidence: grant.confidence,
    scopes: grant.scopes,
    requestedScopes: grant.requestedScopes,
    ...(grant.honoured ? { honoured: grant.honoured } : {}),
    tokens: grant.tokens.map((token) => token.decoded.report),
    ...(grant.aliases ? { aliases: grant.aliases } : {}),
    ...(grant.authorizationDetails ? { authorizationDetails: grant.authorizationDetails } : {}),
  };
}
