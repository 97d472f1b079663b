/**
 * The sign-in vocabulary (DESIGN "Vocabulary": authorization request, authorization response,
 * sign-in): what capture sources hand the core, and what the report says about each sign-in.
 * Secrets of the front channel (state, nonce, code, code_challenge, request_uri) appear only as
 * fingerprints.
 */
import type { CaptureSource, Finding } from '../finding.js';

/**
 * One front-channel step a capture source saw: a navigation (or a HAR entry) to an authorization
 * endpoint or back to a redirect URI, or a pushed authorization request (RFC 9126) POST. The core
 * decides which it is; a source only passes URLs that may be one. The streaming HAR reader's
 * `AuthorizationStep` is one of these.
 */
export interface SignInStep {
  /** The whole URL, query and fragment included. */
  url: string;
  /** GET for a navigation; POST for a PAR or a `form_post` response. */
  method: string;
  /** ISO-8601 time of the step. */
  at: string;
  status?: number | null;
  /** Where the answer sent the browser (a redirect's Location), if anywhere: the authorization response of a HAR. */
  location?: string | null;
  source?: CaptureSource;
  /** How the page opened it, when the capture source knows. */
  frame?: SignInFrame | null;
  /** A POST's body: the PAR's parameters, or the parameters of a `form_post` response. */
  body?: string | null;
  /** The answer to a PAR (`{"request_uri": ..., "expires_in": ...}`), or a discovery step's JSON answer (sign-in/discovery.ts). */
  responseBody?: string | null;
  /** A 401's `WWW-Authenticate` (RFC 9728 s5.1 `resource_metadata`): a resource server's challenge that starts discovery. */
  wwwAuthenticate?: string | null;
  /** The request's `MCP-Protocol-Version` header: an MCP client sends it with its discovery requests. */
  mcpProtocolVersion?: string | null;
}

export type SignInFrame = 'top' | 'popup' | 'iframe';

/** How the authorization request reached the server: its URL, a pushed request (RFC 9126), or a request object (RFC 9101, JAR). */
export type AuthorizationVia = 'query' | 'par' | 'request-object';

/** What the client asked the authorization endpoint for (RFC 6749 s4.1.1, OIDC Core s3.1.2.1). */
export interface AuthorizationRequestReport {
  /** The authorization endpoint: origin and path, no query (the query holds secrets). */
  endpoint: string;
  at: string;
  source: CaptureSource | null;
  frame: SignInFrame | null;
  via: AuthorizationVia;
  responseType: string | null;
  clientId: string | null;
  redirectUri: string | null;
  scopes: string[];
  /** RFC 8707 `resource`, each value. */
  resources: string[];
  /** Auth0's `audience`, each value. */
  audiences: string[];
  prompt: string | null;
  responseMode: string | null;
  /** `S256`, `plain`, or null when no `code_challenge` was sent (RFC 7636 s4.3: absent method means plain). */
  codeChallengeMethod: string | null;
  /** OIDC Core s5.5 `claims`, parsed when it is JSON. */
  claims: unknown;
  /** RFC 9396 `authorization_details`, parsed when it is JSON. */
  authorizationDetails: unknown;
  /** Fingerprints of `state`, `nonce`, `code_challenge`, `request_uri`: only those sent. */
  redacted: Record<string, string>;
  /** What was and was not visible, one plain sentence each. */
  notes: string[];
  /** Supabase Auth's `provider`: the upstream identity provider the sign-in goes through (github, google...). */
  upstreamProvider?: string;
  /** RFC 9449 s10 `dpop_jkt`: the thumbprint of the DPoP key the authorization code is bound to. */
  dpopJkt?: string;
}

/** How the response came back to the redirect URI (OAuth 2.0 Multiple Response Types; Form Post Response Mode). */
export type ResponseMode = 'query' | 'fragment' | 'form_post';

/** The consent result on the redirect URI (RFC 6749 s4.1.2, s4.1.2.1; RFC 9207). */
export interface AuthorizationResponseReport {
  /** The redirect URI it came back to: origin and path. */
  redirectUri: string;
  at: string;
  source: CaptureSource | null;
  /** Where the answer was read: the tab's page, a login popup, or an iframe (silent renew). */
  frame: SignInFrame | null;
  mode: ResponseMode;
  /** `code`: a code came back; `tokens`: tokens in the URL (implicit / hybrid, maybe with a code too); `error`: refused. */
  outcome: 'code' | 'tokens' | 'error';
  error: string | null;
  errorDescription: string | null;
  errorUri: string | null;
  /** RFC 9207 `iss`. */
  iss: string | null;
  /** Fingerprints of `code` and `state`: only those sent. */
  redacted: Record<string, string>;
  /** The exchange made of the tokens in the URL, when there were any (its id in `exchanges`). */
  tokensExchange: string | null;
}

/** How a token exchange was tied to its authorization request (strongest first). */
export type JoinedBy = 'pkce' | 'code' | 'state';

/** One requested scope: the resource server it belongs to and the token that carries it, if any did. */
export interface RequestedScope {
  scope: string;
  /** Null when neither the grants nor the scope itself name a server. */
  resourceServer: string | null;
  granted: boolean;
  /** Fingerprint of the token that carries it (the access token of its server, else any token of it). */
  token: string | null;
}

/** Requested vs granted for one resource server across a sign-in. */
export interface SignInServer {
  id: string;
  requested: string[];
  granted: string[];
  /** Requested, not granted. */
  dropped: string[];
  /** Granted, not requested. */
  added: string[];
  /** Whether any token was issued for this server in the sign-in. */
  hasToken: boolean;
}

/**
 * The round trip a broker (Supabase Auth) makes to the upstream provider inside the app's sign-in: the
 * upstream authorization request (the broker is its client) and the answer on the broker's callback. The
 * broker redeems that code on its server, so no exchange of it is seen.
 */
export interface UpstreamLeg {
  authorization: AuthorizationRequestReport;
  response: AuthorizationResponseReport | null;
}

/**
 * What a client did before it signed in to a server it did not know (DESIGN "discovery steps"): the resource server's
 * 401 with `resource_metadata` (RFC 9728 s5.1), its protected-resource metadata (RFC 9728 s3), the authorization
 * server's metadata (RFC 8414 s3, OIDC Discovery s4), and dynamic client registration (RFC 7591 s3).
 */
export type DiscoveryKind = 'challenge' | 'resource-metadata' | 'server-metadata' | 'registration';

export interface DiscoveryStepReport {
  kind: DiscoveryKind;
  /** Origin and path, no query. */
  url: string;
  method: string;
  at: string;
  status: number | null;
  source: CaptureSource | null;
}

/** The client a dynamic registration made (RFC 7591 s3.2.1): its secrets as fingerprints only. */
export interface RegisteredClientReport {
  clientId: string | null;
  /** `client_name` (RFC 7591 s2): the answer's, else the request's. */
  clientName: string | null;
  redirectUris: string[];
  /** Fingerprints of `client_secret` and `registration_access_token`: only those the answer carried. */
  redacted: Record<string, string>;
}

export interface DiscoveryReport {
  steps: DiscoveryStepReport[];
  /** The URL a 401 named in `resource_metadata`, else the metadata's own URL. */
  resourceMetadataUrl: string | null;
  /** RFC 9728 s2 `resource`: the protected resource's identifier, as its metadata says. */
  resource: string | null;
  /** The resource the metadata URL was made for (the well-known suffix taken out, RFC 9728 s3.1). */
  metadataFor: string | null;
  /** The URL the 401 answered, when a challenge was seen. */
  challengedUrl: string | null;
  /** RFC 9728 s2 `authorization_servers`: issuer identifiers. */
  authorizationServers: string[];
  /** RFC 9728 s2 `resource_name`, when given. */
  resourceName: string | null;
  /** The authorization server metadata's `issuer` (RFC 8414 s2). */
  issuer: string | null;
  client: RegisteredClientReport | null;
  /** Whether the protected resource is an MCP server (providers/mcp.ts says how it is told). */
  mcp: boolean;
}

/** An authorization request, its response, the code exchange and the refresh grants that follow (DESIGN "sign-in"). */
export interface SignInReport {
  id: string;
  authorization: AuthorizationRequestReport | null;
  response: AuthorizationResponseReport | null;
  /** How the first exchange joined the authorization; null when none did (or no authorization was seen). */
  joinedBy: JoinedBy | null;
  /** Ids of the exchanges of this sign-in, in order: the code exchange, then each refresh grant joined by its refresh token. */
  exchanges: string[];
  /** The scopes asked for (the authorization request's, else the first token request's), each with its server and token. */
  requestedScopes: RequestedScope[];
  resourceServers: SignInServer[];
  findings: Finding[];
  notes: string[];
  /** A broker's round trip to the upstream provider (Supabase through GitHub), when one was seen. */
  upstream?: UpstreamLeg;
  /** The discovery steps that led to this sign-in (RFC 9728, RFC 8414, RFC 7591), when any were seen. */
  discovery?: DiscoveryReport;
}
