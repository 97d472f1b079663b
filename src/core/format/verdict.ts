/** How sure a verdict is, in words shared by the CLI table, the Markdown report, SARIF and the views. */
import type { Finding, ResourceServerReport } from '../types.js';

/** `resolved by aud, confidence token`; a report from an older version has no confidence and says only how. */
export function resolutionWords(server: Pick<ResourceServerReport, 'resolvedBy' | 'confidence'>): string {
  return server.confidence ? `resolved by ${server.resolvedBy}, confidence ${server.confidence}` : `resolved by ${server.resolvedBy}`;
}

/** `lowered from high: the resource server was only inferred from the token's scopes`, or null. */
export function loweredWords(finding: Pick<Finding, 'lowered'>): string | null {
  return finding.lowered ? `lowered from ${finding.lowered.from}: ${finding.lowered.reason}` : null;
}
