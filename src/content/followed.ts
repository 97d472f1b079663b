/**
 * What the page hook follows, and where a followed request goes once answered: a token exchange (or an
 * introspection) to the relay as an exchange, a pushed authorization request (RFC 9126) as a sign-in step.
 */
import { isCandidateRequest as isTokenRequest, isPushedAuthorizationRequest } from '../core/candidate.js';
import type { PageExchange } from '../protocol/page-exchange.js';
import { frameOf } from './front-channel.js';
import { post, postSignInStep } from './hook-port.js';

/** What the hook follows: a token exchange (or introspection), or a pushed authorization request (RFC 9126). */
export function isCandidateRequest(method: string, url: string, body: string | null): boolean {
  return isTokenRequest(method, url, body) || isPushedAuthorizationRequest(method, url, body);
}

/**
 * A followed request, answered: a pushed authorization request goes to the relay as a sign-in step (its body and
 * its answer's `request_uri` join it to the authorize URL that names it), anything else as an exchange.
 */
export function report(exchange: PageExchange): void {
  if (!isPushedAuthorizationRequest(exchange.method, exchange.url, exchange.requestBody)) {
    post(exchange);
    return;
  }
  const frame = typeof window === 'undefined' ? 'top' : frameOf();
  postSignInStep({
    url: exchange.url,
    method: 'POST',
    at: exchange.startedAt,
    frame,
    body: exchange.requestBody,
    responseBody: exchange.responseBody,
  });
}
