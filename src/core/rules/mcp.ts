/**
 * Rules on a sign-in to an MCP server, in the words of the MCP authorization spec (2025-06-18, "Authorization",
 * providers/mcp.ts): mcp-resource-missing, mcp-audience-not-server, mcp-token-passthrough.
 *
 * One fault, one finding: when an exchange's general rule already reports the same token (audience-beyond-server and
 * the other audience rules) or the same send (token-sent-beyond-audience), that finding carries the MCP spec's words as
 * its explanation and no MCP finding is added; the MCP rule speaks alone only where no general rule does
 * (docs/RULES.md, "MCP rules").
 */
import { addFinding, quote, quoteList } from '../analysis/findings.js';
import type { Finding, RuleId } from '../finding.js';
import { isObject } from '../json.js';
import { MCP_SERVER } from '../providers/mcp.js';
import { audiences } from '../tokens.js';
import type { BearerUse, Confidence, ExchangeReport } from '../types.js';
import { type DiscoveryContext, signInTokens } from './discovery.js';

export interface McpContext extends DiscoveryContext {
  /** Where tokens were sent afterwards (the report's Bearer uses). */
  bearerUses: readonly BearerUse[];
}

/** The server is named by its own metadata when it gave a `resource`, else by the URL that answered 401. */
function confidenceOf(context: McpContext): Confidence {
  return context.discovery.resource !== null ? 'metadata' : 'request';
}

/**
 * Gives the MCP spec's words to the general findings `matches` picks among the sign-in's exchanges (a new finding object
 * in place: an exchange's finding may be shared with a caller's memo). Whether there was one.
 */
function explainGeneral(exchanges: readonly ExchangeReport[], matches: (finding: Finding) => boolean, words: string): boolean {
  let found = false;
  for (const exchange of exchanges)
    exchange.findings.forEach((finding, index) => {
      if (!matches(finding)) return;
      found = true;
      if (finding.explanation?.includes(words)) return;
      exchange.findings[index] = { ...finding, explanation: finding.explanation ? `${finding.explanation} ${words}` : words };
    });
  return found;
}

/** The exchange rules that judge a token's audience: the same fault as mcp-audience-not-server. */
const AUDIENCE_RULES: ReadonlySet<RuleId> = new Set([
  'audience-beyond-server',
  'audience-missing-server',
  'resource-not-honoured',
  'no-audience',
]);

/** "The resource parameter MUST be included in both authorization requests and token requests" (Resource Parameter Implementation). */
function checkResourceSent(context: McpContext, canonical: string): void {
  const { request, exchanges, findings } = context;
  const missing: string[] = [];
  if (request && request.resources.length === 0) missing.push('authorize');
  const code = exchanges.find((exchange) => exchange.request.grantType === 'authorization_code' && exchange.challenge === undefined);
  if (code && code.request.resources.length === 0) missing.push('token');
  if (missing.length === 0) return;
  addFinding(findings, 'mcp-resource-missing', {
    resourceServer: canonical,
    message: `The sign-in to the MCP server ${quote(canonical)} sends no resource at ${missing.join(' and ')}: the MCP spec says the resource parameter MUST be included in both authorization requests and token requests, so the token is not bound to this server.`,
    evidence: { missingAt: missing, canonicalUri: canonical },
  });
}

/**
 * "MCP servers MUST validate that access tokens were issued specifically for them as the intended audience"
 * (Access Token Usage, Token Handling; Security Considerations, Token Audience Binding and Validation): a JWT access token whose `aud` is not the server's canonical URI. An opaque
 * token's audience cannot be read here: not judged.
 */
function checkAudience(context: McpContext, canonical: string): void {
  for (const { token } of signInTokens(context.exchanges)) {
    if (token.kind !== 'access' || !isObject(token.claims)) continue;
    const aud = audiences(token.claims);
    const others = aud.filter((value) => !MCP_SERVER.isCanonical(value, canonical));
    if (aud.length > 0 && others.length === 0) continue;
    const words = `The token is for the MCP server ${quote(canonical)}: the MCP spec says MCP servers MUST validate that access tokens were issued specifically for them as the intended audience.`;
    const sameToken = (finding: Finding) => AUDIENCE_RULES.has(finding.rule) && finding.evidence.fingerprint === token.fingerprint;
    if (explainGeneral(context.exchanges, sameToken, words)) continue;
    const names = others.length < aud.length;
    addFinding(context.findings, 'mcp-audience-not-server', {
      resourceServer: canonical,
      tokenKind: 'access',
      confidence: confidenceOf(context),
      message:
        aud.length === 0
          ? `The access token for the MCP server ${quote(canonical)} has no aud: the server cannot check that it was issued for it, as the MCP spec requires.`
          : `The access token for the MCP server ${quote(canonical)} has aud ${quoteList(aud)}${names ? ', more than the server' : ', not the server'}: the MCP spec says a server MUST only accept tokens issued specifically for it, and this one is also good at ${quoteList(others)}.`,
      evidence: { aud, canonicalUri: canonical, token: token.fingerprint },
    });
  }
}

function hostOf(url: string): string | null {
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return null;
  }
}

/** The host of a token-sent-beyond-audience finding's `sentTo` ("GET https://host/path"). */
function sentHost(sentTo: unknown): string | null {
  return typeof sentTo === 'string' ? hostOf(sentTo.slice(sentTo.indexOf(' ') + 1)) : null;
}

/**
 * "The MCP server MUST NOT pass through the token it received from the MCP client" (Access Token Privilege
 * Restriction; Security Best Practices, "Token Passthrough"): the MCP server's token seen sent to another host.
 */
function checkPassthrough(context: McpContext, canonical: string): void {
  const serverHost = hostOf(canonical);
  if (serverHost === null) return;
  const access = new Set(
    signInTokens(context.exchanges)
      .filter(({ token }) => token.kind === 'access')
      .map(({ token }) => token.fingerprint),
  );
  const hosts = new Map<string, string>();
  for (const use of context.bearerUses) {
    const host = hostOf(use.url);
    if (host !== null && host !== serverHost && access.has(use.fingerprint) && !hosts.has(host)) hosts.set(host, use.fingerprint);
  }
  for (const [host, token] of hosts) {
    const words = `The token is the MCP server ${quote(canonical)}'s: the MCP spec forbids token passthrough (the MCP server MUST NOT pass through the token it received from the MCP client).`;
    const sameSend = (finding: Finding) =>
      finding.rule === 'token-sent-beyond-audience' && finding.evidence.fingerprint === token && sentHost(finding.evidence.sentTo) === host;
    if (explainGeneral(context.exchanges, sameSend, words)) continue;
    addFinding(context.findings, 'mcp-token-passthrough', {
      resourceServer: canonical,
      tokenKind: 'access',
      confidence: confidenceOf(context),
      message: `The access token of the MCP server ${quote(canonical)} was sent on to ${quote(host)}: the MCP spec forbids token passthrough, a token issued for the MCP server is for it alone.`,
      evidence: { host, canonicalUri: canonical, token },
    });
  }
}

/** Every MCP rule on one sign-in whose discovery shows an MCP server. */
export function checkMcp(context: McpContext): void {
  const { discovery } = context;
  if (!discovery.mcp) return;
  const canonical = MCP_SERVER.canonicalUri(discovery.resource, discovery.metadataFor, discovery.challengedUrl);
  if (canonical === null) return;
  checkResourceSent(context, canonical);
  checkAudience(context, canonical);
  checkPassthrough(context, canonical);
}
