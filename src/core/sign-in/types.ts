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
  /** The answer to a PAR (`{"request_uri": ..., "expires_in": ...}`). */
  responseBody?: string | null;
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
}
