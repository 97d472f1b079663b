/**
 * Rules on the sign-in flow (the authorization request, its response, the code exchange):
 * pkce-missing, pkce-plain, csrf-unprotected, token-in-front-channel, nonce-missing,
 * authorization-error, redirect-uri-mismatch, issuer-mismatch, requested-server-no-token.
 * `resource-not-honoured` also covers a resource asked for at authorize only: resolution reads it.
 */
import { addFinding, quote, quoteList, serverName } from '../analysis/findings.js';
import { asksForCode, frontChannelTokenTypes } from '../sign-in/authorization-request.js';
import type { TokenRequestFacts } from '../sign-in/join.js';
import { isS256 } from '../sign-in/pkce.js';
import type { AuthorizationRequestReport, AuthorizationResponseReport, SignInServer } from '../sign-in/types.js';
import type { ExchangeReport, Finding } from '../types.js';

/** What the flow rules read about one sign-in. */
export interface FlowContext {
  request: AuthorizationRequestReport | null;
  response: AuthorizationResponseReport | null;
  /** The code exchange, when one joined the authorization. */
  codeExchange: { report: ExchangeReport; facts: TokenRequestFacts } | null;
  /** Whether any exchange of the sign-in issued a token. */
  issuedTokens: boolean;
  resourceServers: SignInServer[];
  findings: Finding[];
}

/** RFC 9700 s2.1.1: public clients MUST use PKCE, with S256; confidential clients SHOULD. */
function checkPkce({ request, codeExchange, findings }: FlowContext): void {
  if (!request || !asksForCode(request)) return;
  const evidence = { clientId: request.clientId, responseType: request.responseType, codeChallengeMethod: request.codeChallengeMethod };
  if (request.codeChallengeMethod === null) {
    const isPublic = codeExchange !== null && !codeExchange.facts.clientAuthenticated;
    addFinding(findings, 'pkce-missing', {
      severity: isPublic ? undefined : 'low',
      explanation: isPublic
        ? undefined
        : 'No code exchange by a public client was seen (a confidential client redeems its code on its server), where PKCE is recommended, not required.',
      message: `The authorization request of ${quote(request.clientId ?? 'the client')} asks for a code without PKCE (no code_challenge), so an intercepted code can be redeemed.`,
      evidence,
    });
  } else if (!isS256(request.codeChallengeMethod)) {
    addFinding(findings, 'pkce-plain', {
      message: `The authorization request uses PKCE with method ${quote(request.codeChallengeMethod)}: the challenge is the verifier itself, so it protects nothing once the request is seen.`,
      evidence,
    });
  }
}

/** RFC 9700 s4.7.1: without state and without PKCE, nothing ties the response to the browser that started the sign-in. */
function checkCsrf({ request, findings }: FlowContext): void {
  if (!request || request.redacted.state !== undefined || request.codeChallengeMethod !== null) return;
  if (request.via === 'query' && request.responseType === null) return; // by reference: the parameters are not visible
  addFinding(findings, 'csrf-unprotected', {
    message: `The authorization request of ${quote(request.clientId ?? 'the client')} sends neither state nor a PKCE challenge: a forged response could sign the user in to an attacker's account (CSRF).`,
    evidence: { clientId: request.clientId, responseType: request.responseType, nonce: request.redacted.nonce !== undefined },
  });
}

/** RFC 9700 s2.1.2: access tokens must not be issued in the authorization response (implicit grant, hybrid `token`). */
function checkFrontChannelTokens({ request, response, findings }: FlowContext): void {
  const askedForToken = request !== null && frontChannelTokenTypes(request).includes('token');
  const gotTokens = response?.outcome === 'tokens';
  if (!askedForToken && !gotTokens) return;
  const where = response
    ? `in the URL ${response.mode === 'fragment' ? 'fragment' : response.mode === 'query' ? 'query' : 'form post'}`
    : 'in the URL';
  addFinding(findings, 'token-in-front-channel', {
    message: `The sign-in gets tokens ${where} (response_type ${quote(request?.responseType ?? 'unknown')}), where browser history, referrers and page scripts can read them; use the code flow.`,
    evidence: { responseType: request?.responseType ?? null, mode: response?.mode ?? null },
  });
}

/** OIDC Core s3.2.2.1, s3.3.2.11: nonce is required when the ID token comes through the front channel. */
function checkNonce({ request, findings }: FlowContext): void {
  if (!request || !frontChannelTokenTypes(request).includes('id_token') || request.redacted.nonce !== undefined) return;
  addFinding(findings, 'nonce-missing', {
    tokenKind: 'id',
    message: `The authorization request asks for an ID token in the front channel (response_type ${quote(request.responseType ?? '')}) without a nonce, so a stolen ID token can be replayed.`,
    evidence: { responseType: request.responseType },
  });
}

/** RFC 6749 s4.1.2.1: the user or the server refused; say what was asked for. */
function checkAuthorizationError({ request, response, findings }: FlowContext): void {
  if (!response?.error) return;
  const asked = request?.scopes.length ? ` The request asked for ${quoteList(request.scopes)}.` : '';
  const description = response.errorDescription ? `: ${quote(response.errorDescription)}` : '';
  addFinding(findings, 'authorization-error', {
    message: `The sign-in was refused with ${quote(response.error)}${description}.${asked}`,
    evidence: {
      error: response.error,
      error_description: response.errorDescription,
      error_uri: response.errorUri,
      requestedScopes: request?.scopes ?? [],
      prompt: request?.prompt ?? null,
    },
  });
}

/** RFC 6749 s4.1.3: the token request's redirect_uri must be identical to the authorization request's. */
function checkRedirectUri({ request, codeExchange, findings }: FlowContext): void {
  const atToken = codeExchange?.facts.redirectUri ?? null;
  const atAuthorize = request?.redirectUri ?? null;
  if (atToken === null || atAuthorize === null || atToken === atAuthorize) return;
  const issued = codeExchange?.report.resourceServers.some((server) => server.tokens.length > 0) === true;
  addFinding(findings, 'redirect-uri-mismatch', {
    message: `The code was redeemed with redirect_uri ${quote(atToken)}, not the ${quote(atAuthorize)} it was issued for${issued ? ', and the server still issued tokens' : ''}.`,
    evidence: { authorize: atAuthorize, token: atToken, issued },
  });
}

/** The `iss` of the code exchange's tokens (the ID token's first). */
function tokenIssuers(report: ExchangeReport): string[] {
  const issuers: string[] = [];
  for (const server of report.resourceServers) {
    for (const token of [...server.tokens].sort((a, b) => Number(b.kind === 'id') - Number(a.kind === 'id'))) {
      const iss = token.claims?.iss;
      if (typeof iss === 'string' && !issuers.includes(iss)) issuers.push(iss);
    }
  }
  return issuers;
}

/** RFC 9207 s2.4: the response's `iss` must be the issuer the client talks to; a different token issuer means a mix-up. */
function checkIssuer({ response, codeExchange, findings }: FlowContext): void {
  if (!response?.iss || !codeExchange) return;
  const issuers = tokenIssuers(codeExchange.report);
  if (issuers.length === 0 || issuers.includes(response.iss)) return;
  addFinding(findings, 'issuer-mismatch', {
    message: `The authorization response came from issuer ${quote(response.iss)}, but the tokens of its code exchange were issued by ${quoteList(issuers)}: a mix-up (RFC 9207).`,
    evidence: { responseIss: response.iss, tokenIss: issuers },
  });
}

/** RFC 6749 s3.3, RFC 8707 s2: scopes were asked for a server that got no token at all. */
function checkServersWithoutToken({ resourceServers, issuedTokens, findings }: FlowContext): void {
  if (!issuedTokens) return;
  for (const server of resourceServers) {
    if (server.hasToken || server.requested.length === 0) continue;
    addFinding(findings, 'requested-server-no-token', {
      resourceServer: server.id,
      message: `The sign-in asked for ${quoteList(server.requested)} for ${serverName(server.id)}, but no token for ${serverName(server.id)} came back.`,
      evidence: { requested: server.requested },
    });
  }
}

/** RFC 9449 s10: the code was bound to `dpop_jkt` at authorize; the code exchange's proof must use that key. */
function checkDpopJkt({ request, codeExchange, findings }: FlowContext): void {
  const bound = request?.dpopJkt;
  const proven = codeExchange?.facts.dpopJkt ?? null;
  if (!bound || proven === null || proven === bound) return;
  const issued = codeExchange?.report.resourceServers.some((server) => server.tokens.length > 0) === true;
  addFinding(findings, 'dpop-jkt-mismatch', {
    message: `The authorization request bound the code to DPoP key ${quote(bound)} (dpop_jkt), but the code exchange's proof was made with key ${quote(proven)}${issued ? ', and the server still issued tokens' : ''}.`,
    evidence: { dpopJkt: bound, proofJkt: proven, issued },
  });
}

/** Every flow rule on one sign-in. */
export function checkFlow(context: FlowContext): void {
  checkAuthorizationError(context);
  checkPkce(context);
  checkCsrf(context);
  checkFrontChannelTokens(context);
  checkNonce(context);
  checkRedirectUri(context);
  checkIssuer(context);
  checkServersWithoutToken(context);
  checkDpopJkt(context);
}
