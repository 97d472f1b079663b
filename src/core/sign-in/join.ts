/**
 * Which sign-in each token exchange belongs to (DESIGN "sign-in"): a code exchange joins its
 * authorization by PKCE (`S256(code_verifier) = code_challenge`, RFC 7636 s4.6), else by the code
 * (RFC 6749 s4.1.3), else by client id and redirect URI within minutes of a response whose state
 * matched; a refresh grant joins the sign-in that issued its refresh token (by fingerprint). Any
 * other token exchange starts a sign-in of one step.
 */
import { readDpopProof } from '../dpop.js';
import { allValues, parseRequest, type RequestParams } from '../parse.js';
import { asOAuthExchange } from '../providers/cognito-api.js';
import { fingerprint } from '../sha256.js';
import type { CapturedExchange, ExchangeReport } from '../types.js';
import { NonceChallenges } from './nonce-challenges.js';
import { codeChallengeOf } from './pkce.js';
import { type FrontChannel, JOIN_WINDOW_MS, time } from './steps.js';
import type { JoinedBy } from './types.js';
import { foldUpstreamLegs } from './upstream.js';

/** What the authorization request asked for, handed to the analysis of the exchanges it led to. */
export interface RequestedAtAuthorization {
  scopes: string[];
  /** `resource` and `audience` values (resolution step 3). */
  resources: string[];
  /** Supabase Auth's `provider`: whose token a `provider_token` in the answer is. */
  upstreamProvider: string | null;
  /** The protected resource's own `resource` (RFC 9728 s2), when discovery led to the sign-in. */
  metadataResource?: string | null;
  /** RFC 9396 `authorization_details` of the authorization request (query, PAR body or request object), as read; null on a refresh or when none. */
  authorizationDetails: unknown;
}

/** What a token request says about the sign-in it belongs to. */
export interface TokenRequestFacts {
  grantType: string | null;
  clientId: string | null;
  redirectUri: string | null;
  /** Whether the client authenticated (secret, assertion, Basic): then it is a confidential client (RFC 6749 s2.1). */
  clientAuthenticated: boolean;
  codeVerifier: string | null;
  code: string | null;
  refreshToken: string | null;
  /** The RFC 7638 thumbprint of the token request's DPoP proof key (RFC 9449), when its headers were seen. */
  dpopJkt: string | null;
}

/** A sign-in being put together. */
export interface SignInChain {
  channel: FrontChannel | null;
  joinedBy: JoinedBy | null;
  exchanges: { captured: CapturedExchange; report: ExchangeReport; facts: TokenRequestFacts }[];
  refreshTokens: Set<string>;
}

/** The facts of a token request, read once from its body, URL and headers. */
export function tokenRequestFacts(exchange: CapturedExchange): TokenRequestFacts {
  // Cognito's user pools API in OAuth's words (providers/cognito-api.ts): its refresh joins by its refresh token.
  const captured = asOAuthExchange(exchange);
  const headers = captured.request.headers ?? {};
  const values = allValues(captured.request.body, headers['content-type'] ?? '');
  const request = parseRequest(captured.url, captured.request.body, headers);
  const one = (key: string) => values.get(key)?.[0] ?? null;
  return {
    grantType: request.grantType,
    clientId: request.clientId,
    redirectUri: one('redirect_uri'),
    clientAuthenticated: ['client_secret', 'client_assertion', 'authorization'].some((key) => key in request.redacted),
    codeVerifier: one('code_verifier'),
    code: request.redacted.code ?? request.redacted.auth_code ?? null,
    refreshToken: request.redacted.refresh_token ?? null,
    dpopJkt: readDpopProof(headers.dpop)?.jkt ?? null,
  };
}

/**
 * Whether a grant redeems an authorization code: RFC 6749's `authorization_code`, or Supabase Auth's
 * `pkce` (`POST /auth/v1/token?grant_type=pkce` with `{auth_code, code_verifier}`: @supabase/auth-js
 * src/GoTrueClient.ts, `_exchangeCodeForSession`).
 */
export function isCodeGrant(grantType: string | null): boolean {
  return grantType === 'authorization_code' || grantType === 'pkce';
}

/** The scopes granted with a refresh token in the sign-in so far: what a refresh without `scope` asks for again (RFC 6749 s6). */
function scopesGrantedWith(chain: SignInChain, refreshToken: string | null): string[] {
  for (const { report } of chain.exchanges)
    for (const server of report.resourceServers)
      if (server.tokens.some((token) => token.kind === 'refresh' && token.fingerprint === refreshToken)) return server.scopes;
  return [];
}

/**
 * What the sign-in's authorization request asked for, as this exchange's request reads it. A refresh
 * asks for one token again: RFC 6749 s6, a `scope` left out means the scope originally granted with that
 * refresh token, not every scope of the sign-in (a Globus refresh answers for one resource server).
 */
function requestedFor(chain: SignInChain | null, facts: TokenRequestFacts): RequestedAtAuthorization | null {
  const request = chain?.channel?.request;
  if (!chain || !request) return null;
  const scopes = facts.grantType === 'refresh_token' ? scopesGrantedWith(chain, facts.refreshToken) : request.scopes;
  // RFC 9396 s7: a refresh that names no details gets what the server decides, not necessarily what authorize asked.
  const authorizationDetails = facts.grantType === 'refresh_token' ? null : (request.authorizationDetails ?? null);
  return {
    scopes,
    resources: [...request.resources, ...request.audiences],
    upstreamProvider: request.upstreamProvider ?? null,
    metadataResource: chain.channel?.discovery?.resource ?? null,
    authorizationDetails,
  };
}

/** A sign-in with an authorization request that no exchange joined yet. */
const isOpen = (chain: SignInChain): boolean => chain.channel !== null && chain.joinedBy === null;

function listed<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

const clientRedirectKey = (clientId: string, redirectUri: string): string => `${clientId}\u0000${redirectUri}`;

/**
 * The sign-ins a state join can take for one client and redirect URI, by the time of their answer (oldest first), with
 * a "nearest open at or before" link per place: a sign-in another join took is passed over once, its link then
 * pointing past it (path halving), so a capture of thousands of such sign-ins joins in near-linear time.
 */
class StateCandidates {
  private readonly chains: SignInChain[];
  private readonly times: number[];
  private readonly left: number[];

  constructor(chains: SignInChain[]) {
    const placed = chains.map((chain) => ({ chain, at: time(chain.channel?.response?.at ?? '') }));
    placed.sort((a, b) => a.at - b.at); // Stable: sign-ins answered at once stay in sign-in order.
    this.chains = placed.map(({ chain }) => chain);
    this.times = placed.map(({ at }) => at);
    this.left = placed.map((_, index) => index);
  }

  /** The open sign-in answered latest within [from, to]: the one a state join takes. */
  latestOpen(from: number, to: number): SignInChain | null {
    let low = 0;
    let high = this.times.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((this.times[mid] as number) <= to) low = mid + 1;
      else high = mid;
    }
    let index = this.openAtOrBefore(low - 1);
    while (index >= 0 && (this.times[index] as number) >= from) {
      const chain = this.chains[index] as SignInChain;
      if (isOpen(chain)) return chain;
      this.left[index] = index - 1; // Joined (by any join): never a candidate again.
      index = this.openAtOrBefore(index - 1);
    }
    return null;
  }

  private openAtOrBefore(start: number): number {
    let index = start;
    while (index >= 0 && this.left[index] !== index) {
      const next = this.left[index] as number;
      if (next >= 0) this.left[index] = this.left[next] as number;
      index = next;
    }
    return index;
  }
}

/** Puts exchanges into sign-ins as they are analyzed, in capture order. */
export class SignInJoiner {
  readonly chains: SignInChain[];
  private readonly byCaptured = new Map<CapturedExchange, SignInChain>();

  /**
   * Indexes of the sign-ins by what joins an exchange to them, so a capture of thousands of sign-ins joins in linear
   * time (each exchange hashed once per challenge method, never once per open sign-in): the authorization request's
   * code challenge by its method, the answer's code, and every refresh token a sign-in was issued.
   */
  private readonly byChallenge = new Map<string, SignInChain[]>();
  private readonly challengeMethods = new Set<string | null>();
  private readonly byResponseCode = new Map<string, SignInChain[]>();
  private readonly byRefreshToken = new Map<string, SignInChain>();
  /** Sign-ins whose answer's state matched its request's (and was no error), by client id and redirect URI, in sign-in order. */
  private readonly byClientRedirect = new Map<string, StateCandidates>();
  /** Each sign-in's place, and the sign-ins whose last exchange was a `use_dpop_nonce` challenge (a retry joins one). */
  private readonly order = new Map<SignInChain, number>();
  private readonly challenged = new NonceChallenges<SignInChain>((chain) => this.order.get(chain) ?? 0);

  constructor(channels: readonly FrontChannel[]) {
    this.chains = foldUpstreamLegs(channels).map((channel) => ({ channel, joinedBy: null, exchanges: [], refreshTokens: new Set() }));
    const stateMatched = new Map<string, SignInChain[]>();
    for (const [index, chain] of this.chains.entries()) this.order.set(chain, index);
    for (const chain of this.chains) {
      if (chain.channel?.tokens) this.byCaptured.set(chain.channel.tokens, chain);
      const request = chain.channel?.request;
      const challenge = request?.redacted.code_challenge;
      if (challenge !== undefined) {
        const method = request?.codeChallengeMethod ?? null;
        this.challengeMethods.add(method);
        listed(this.byChallenge, `${method}\u0000${challenge}`, chain);
      }
      const code = chain.channel?.response?.redacted.code;
      if (code !== undefined) listed(this.byResponseCode, code, chain);
      const response = chain.channel?.response;
      if (
        request?.redacted.state !== undefined &&
        response?.redacted.state === request.redacted.state &&
        response.outcome !== 'error' &&
        request.clientId !== null &&
        request.redirectUri !== null
      )
        listed(stateMatched, clientRedirectKey(request.clientId, request.redirectUri), chain);
    }
    for (const [key, chains] of stateMatched) this.byClientRedirect.set(key, new StateCandidates(chains));
  }

  /** The exchanges made of tokens in authorization responses (implicit, hybrid). */
  get frontChannelExchanges(): CapturedExchange[] {
    return [...this.byCaptured.keys()];
  }

  /** Join one exchange to its sign-in (before its analysis), and say what its authorization asked for; `known`: its facts, kept by a caller. */
  join(
    captured: CapturedExchange,
    known?: TokenRequestFacts,
  ): { chain: SignInChain | null; facts: TokenRequestFacts; requested: RequestedAtAuthorization | null } {
    const facts = known ?? tokenRequestFacts(captured);
    const chain = this.byCaptured.get(captured) ?? this.chainFor(captured, facts);
    return { chain, facts, requested: requestedFor(chain, facts) };
  }

  /** Record an analyzed exchange in its sign-in (a new one of one step when it joined none); only token exchanges are sign-in steps. */
  record(captured: CapturedExchange, report: ExchangeReport, chain: SignInChain | null, facts: TokenRequestFacts): void {
    if (report.kind !== 'token') return;
    const target = chain ?? { channel: null, joinedBy: null, exchanges: [], refreshTokens: new Set<string>() };
    if (!chain) {
      this.order.set(target, this.chains.length);
      this.chains.push(target);
    }
    target.exchanges.push({ captured, report, facts });
    if (report.challenge === 'use_dpop_nonce') this.challenged.add(target, facts);
    else this.challenged.delete(target);
    for (const server of report.resourceServers)
      for (const token of server.tokens)
        if (token.kind === 'refresh') {
          target.refreshTokens.add(token.fingerprint);
          // The first sign-in issued it: as `find` over the sign-ins in order would answer.
          if (!this.byRefreshToken.has(token.fingerprint)) this.byRefreshToken.set(token.fingerprint, target);
        }
  }

  private chainFor(captured: CapturedExchange, facts: TokenRequestFacts): SignInChain | null {
    const challenged = this.challenged.retriedBy(facts);
    if (challenged) return challenged;
    if (facts.grantType === 'refresh_token' && facts.refreshToken) return this.byRefreshToken.get(facts.refreshToken) ?? null;
    if (!isCodeGrant(facts.grantType)) return null;
    const found = this.byPkce(facts) ?? this.byCode(facts) ?? this.byState(facts, time(captured.startedAt));
    if (!found) return null;
    found.chain.joinedBy = found.by;
    return found.chain;
  }

  private byPkce(facts: TokenRequestFacts): { chain: SignInChain; by: JoinedBy } | null {
    const verifier = facts.codeVerifier;
    if (verifier === null) return null;
    let first: SignInChain | null = null;
    for (const method of this.challengeMethods) {
      const challenge = fingerprint(codeChallengeOf(verifier, method));
      const found = this.byChallenge.get(`${method}\u0000${challenge}`)?.find(isOpen);
      if (found && (first === null || (this.order.get(found) ?? 0) < (this.order.get(first) ?? 0))) first = found;
    }
    return first ? { chain: first, by: 'pkce' } : null;
  }

  private byCode(facts: TokenRequestFacts): { chain: SignInChain; by: JoinedBy } | null {
    if (facts.code === null) return null;
    const chain = this.byResponseCode.get(facts.code)?.find(isOpen);
    return chain ? { chain, by: 'code' } : null;
  }

  /**
   * The weakest join: a response whose state matched its request, the same client and redirect URI, the one answered
   * latest within the window (`StateCandidates`: looked up by client and redirect URI, found by its answer's time).
   */
  private byState(facts: TokenRequestFacts, at: number): { chain: SignInChain; by: JoinedBy } | null {
    if (facts.clientId === null || facts.redirectUri === null) return null;
    const chain = this.byClientRedirect
      .get(clientRedirectKey(facts.clientId, facts.redirectUri))
      ?.latestOpen(at - JOIN_WINDOW_MS, at + 1000);
    return chain ? { chain, by: 'state' } : null;
  }
}

/**
 * The token request as resolution and scope-diff read it: its own scopes and resources, else those
 * of the authorization request its sign-in started with (DESIGN resolution step 3; real SDKs send
 * `scope`, `resource` and `audience` only at authorize).
 */
export function withRequestedAtAuthorization(request: RequestParams, requested: RequestedAtAuthorization | null): RequestParams {
  if (!requested) return request;
  return {
    ...request,
    scopes: request.scopes.length > 0 ? request.scopes : requested.scopes,
    resources: request.resources.length > 0 ? request.resources : requested.resources,
    ...(request.authorizationDetails === undefined && requested.authorizationDetails !== null
      ? { authorizationDetails: requested.authorizationDetails }
      : {}),
  };
}
