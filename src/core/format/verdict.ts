/** How sure a verdict is, in words shared by the CLI table, the Markdown report, SARIF and the views. */
import type { Finding, ResourceServerReport } from '../types.js';

/** `resolved by aud, confidence token`; a report from an older version has no confidence and says only how. */
export function resolutionWords(server: Pick<ResourceServerReport, 'resolvedBy' | 'confidence'>): string {
  if (server.resolvedBy === 'client') return "the client (its ID tokens' aud), not a resource server";
  return server.confidence ? `resolved by ${server.resolvedBy}, confidence ${server.confidence}` : `resolved by ${server.resolvedBy}`;
}

/**
 * The other names a server's tokens carry in `aud`, said beside its name: `aud f2d9c6a8-…` for an Entra API
 * named by its Application ID URI; null when it has none.
 */
export function aliasWords(server: Pick<ResourceServerReport, 'aliases'>): string | null {
  return server.aliases && server.aliases.length > 0 ? `aud ${server.aliases.join(', ')}` : null;
}

/** `lowered from high: the resource server was only inferred from the token's scopes`, or null. */
export function loweredWords(finding: Pick<Finding, 'lowered'>): string | null {
  return finding.lowered ? `lowered from ${finding.lowered.from}: ${finding.lowered.reason}` : null;
}
