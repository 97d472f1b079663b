/**
 * How sure a resource server is, and what that allows a finding about it to say (docs/RULES.md,
 * "Confidence" and "The severity ladder"). Defined once for the resolution, the rules and the views.
 */
import { SEVERITIES } from './severity.js';
import type { Confidence, ResolvedBy, Severity } from './types.js';

/** Strongest first. */
export const CONFIDENCES: readonly Confidence[] = ['metadata', 'response', 'request', 'token', 'provider', 'inferred', 'fallback'];

/** Higher is surer. */
export function confidenceRank(confidence: Confidence): number {
  return CONFIDENCES.length - 1 - CONFIDENCES.indexOf(confidence);
}

/** The stronger of two. */
export function stronger(a: Confidence, b: Confidence): Confidence {
  return confidenceRank(a) >= confidenceRank(b) ? a : b;
}

/** The weaker of two. */
export function weaker(a: Confidence, b: Confidence): Confidence {
  return confidenceRank(a) <= confidenceRank(b) ? a : b;
}

/**
 * Whether something that cannot be a guess named the server: the server's own protected-resource metadata
 * (RFC 9728), the response, the request (token or authorization request) or the token's own `aud`. Only these
 * allow a HIGH about the server.
 */
export function isNamed(confidence: Confidence): boolean {
  return confidence === 'metadata' || confidence === 'response' || confidence === 'request' || confidence === 'token';
}

/**
 * The confidence each resolution step gives. A new step (say, one for the authorization request's
 * `resource`/`audience`) adds its row here; the type checker asks for it. The one exception is made
 * where it happens: the first of several requested resources is a `request` step with `fallback` confidence.
 */
export const CONFIDENCE_OF: Readonly<Record<ResolvedBy, Confidence>> = {
  resource_server: 'response',
  resource: 'response',
  request: 'request',
  aud: 'token',
  provider: 'provider',
  scope: 'inferred',
  unknown: 'fallback',
  client: 'token',
};

/** The most severe a finding that judges a token against its server may be (RULES: the severity ladder). */
export function severityCap(confidence: Confidence): Severity {
  if (isNamed(confidence)) return 'high';
  return confidence === 'fallback' ? 'low' : 'medium';
}

/** `severity` lowered by `steps` (never below info). */
export function stepDown(severity: Severity, steps: number): Severity {
  const index = Math.min(SEVERITIES.indexOf(severity) + steps, SEVERITIES.length - 1);
  return SEVERITIES[index] as Severity;
}

/** Why a finding about a server of this confidence was lowered, in words (null for a named server). */
export function confidenceReason(confidence: Confidence): string | null {
  switch (confidence) {
    case 'provider':
      return "the resource server comes from the provider's documented API, not from the response, the request or the token";
    case 'inferred':
      return "the resource server was only inferred from the token's scopes";
    case 'fallback':
      return 'no response, request, token or scope named the resource server';
    default:
      return null;
  }
}
