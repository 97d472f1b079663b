/** The finding factory, and how untrusted values are quoted into a finding's one-sentence message. */
import { confidenceReason, severityCap } from '../confidence.js';
import { MAX_QUOTED_CHARS } from '../limits.js';
import { RULES } from '../rules/catalogue.js';
import { severityRank } from '../severity.js';
import type { Confidence, Finding, RuleId, Severity, TokenKind } from '../types.js';

/** The resource-server id when no resolution step applies (DESIGN "Resource-server resolution", step 7). */
export const UNKNOWN_SERVER = 'unknown';

export interface FindingFields {
  resourceServer?: string | null;
  tokenKind?: TokenKind | null;
  message: string;
  evidence?: Record<string, unknown>;
  /** Set by a provider profile that knows the pattern (with an explanation), or by a rule that weighs its own case. */
  severity?: Severity;
  explanation?: string;
  /** How sure the finding's resource server is: for rules that judge a token against it, caps the severity (the ladder). */
  confidence?: Confidence;
  /** A severity the rule lowered itself (distance, a broader audience), with the severity before and why. */
  lowered?: { from: Severity; reason: string };
}

/**
 * Add a finding for `rule`, at the catalogue's severity unless a provider profile or the rule lowered it.
 * A rule that judges a token against its resource server (`judgesServer`) is then capped by how sure
 * that server is: a HIGH only on a server named by the response, the request or the token. Every
 * lowering says why, in `lowered`.
 */
export function addFinding(findings: Finding[], rule: RuleId, fields: FindingFields): void {
  let severity = fields.severity ?? RULES[rule].severity;
  let lowered = fields.lowered;
  if (fields.confidence && RULES[rule].judgesServer) {
    const cap = severityCap(fields.confidence);
    const reason = confidenceReason(fields.confidence);
    if (reason && severityRank(severity) > severityRank(cap)) {
      lowered = { from: lowered?.from ?? severity, reason: lowered ? `${lowered.reason}; ${reason}` : reason };
      severity = cap;
    }
  }
  const finding: Finding = {
    rule,
    severity,
    resourceServer: fields.resourceServer ?? null,
    tokenKind: fields.tokenKind ?? null,
    message: fields.message,
    evidence: fields.evidence ?? {},
  };
  if (fields.explanation) finding.explanation = fields.explanation;
  if (lowered) finding.lowered = lowered;
  findings.push(finding);
}

/** Text from a server or a page, fit for a message: whitespace collapsed, cut at MAX_QUOTED_CHARS. */
export function quote(text: string): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  return clean.length > MAX_QUOTED_CHARS ? `${clean.slice(0, MAX_QUOTED_CHARS)}…` : clean;
}

/** Several values quoted and joined with commas. */
export function quoteList(values: readonly string[]): string {
  return values.map(quote).join(', ');
}

/** How a resource server is named in a message. */
export function serverName(id: string): string {
  return id === UNKNOWN_SERVER ? 'an unidentified resource server' : quote(id);
}
