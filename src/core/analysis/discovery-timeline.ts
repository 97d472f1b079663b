/**
 * A sign-in's discovery steps (sign-in/discovery.ts) as timeline steps: the resource server's 401, its
 * protected-resource metadata (RFC 9728), the authorization server's metadata (RFC 8414 / OIDC Discovery) and the
 * client's registration (RFC 7591), each with the findings about it in place.
 */
import { bySeverity } from '../severity.js';
import type { DiscoveryStepReport, SignInReport } from '../sign-in/types.js';
import type { Finding, RuleId } from '../types.js';
import type { TimelineEvent } from './timeline-types.js';

/** Rules about the metadata itself, shown at its step. */
export const METADATA_RULES: ReadonlySet<RuleId> = new Set(['metadata-resource-mismatch', 'metadata-issuer-not-listed']);

function summaryOf(step: DiscoveryStepReport, signIn: SignInReport): { summary: string; details: string[] } {
  const discovery = signIn.discovery;
  const status = step.status === null ? '' : ` → ${step.status}`;
  switch (step.kind) {
    case 'challenge':
      return {
        summary: `${step.method} ${step.url} → 401: the resource server names its metadata`,
        details: discovery?.resourceMetadataUrl ? [`resource_metadata ${discovery.resourceMetadataUrl}`] : [],
      };
    case 'resource-metadata': {
      const details: string[] = [];
      if (discovery?.resource) details.push(`resource ${discovery.resource}${discovery.mcp ? ' (an MCP server)' : ''}`);
      if (discovery?.resourceName) details.push(`named "${discovery.resourceName}"`);
      if (discovery?.authorizationServers.length) details.push(`authorization servers ${discovery.authorizationServers.join(' ')}`);
      return { summary: `Protected-resource metadata (RFC 9728) from ${step.url}${status}`, details };
    }
    case 'server-metadata':
      return {
        summary: `Authorization server metadata from ${step.url}${status}`,
        details: discovery?.issuer ? [`issuer ${discovery.issuer}`] : [],
      };
    case 'registration': {
      const client = discovery?.client;
      const details: string[] = [];
      if (client) details.push(`client ${client.clientName ? `"${client.clientName}", ` : ''}client id ${client.clientId ?? '(none)'}`);
      if (client?.redirectUris.length) details.push(`redirect URIs ${client.redirectUris.join(' ')}`);
      if (client && Object.keys(client.redacted).length > 0)
        details.push(`${Object.keys(client.redacted).join(' and ')} kept as fingerprints only`);
      return { summary: `Client registration (RFC 7591) at ${step.url}${status}`, details };
    }
  }
}

function shown(findings: readonly Finding[], keep: (finding: Finding) => boolean) {
  return findings
    .filter((finding) => keep(finding) && finding.severity !== 'info')
    .sort(bySeverity)
    .map(({ rule, severity, message }) => ({ rule, severity, message }));
}

/** The discovery steps of a sign-in, in the order they were seen. */
export function discoveryEvents(signIn: SignInReport): TimelineEvent[] {
  const steps = signIn.discovery?.steps ?? [];
  return steps.map((step) => {
    const { summary, details } = summaryOf(step, signIn);
    return {
      kind: 'discovery',
      at: step.at,
      offsetMs: null,
      summary,
      details,
      error: step.status !== null && step.status >= 400 && step.kind !== 'challenge' ? `answered HTTP ${step.status}` : null,
      findings: step.kind === 'resource-metadata' ? shown(signIn.findings, (finding) => METADATA_RULES.has(finding.rule)) : [],
      exchangeId: null,
    };
  });
}
