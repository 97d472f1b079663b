/** The finding factory, and how untrusted values are quoted into a finding's one-sentence message. */
import { MAX_QUOTED_CHARS } from '../limits.js';
import { RULES } from '../rules/catalogue.js';
import type { Finding, RuleId, Severity, TokenKind } from '../types.js';

/** The resource-server id when no resolution step applies (DESIGN "Resource-server resolution", step 7). */
export const UNKNOWN_SERVER = 'unknown';

export interface FindingFields {
  resourceServer?: string | null;
  tokenKind?: TokenKind | null;
  message: string;
  evidence?: Record<string, unknown>;
  /** Set only by a provider profile that knows the pattern; it comes with an explanation. */
  severity?: Severity;
  explanation?: string;
}

/** Add a finding for `rule`, at the catalogue's severity unless a provider profile lowered it. */
export function addFinding(findings: Finding[], rule: RuleId, fields: FindingFields): void {
  const finding: Finding = {
    rule,
    severity: fields.severity ?? RULES[rule].severity,
    resourceServer: fields.resourceServer ?? null,
    tokenKind: fields.tokenKind ?? null,
    message: fields.message,
    evidence: fields.evidence ?? {},
  };
  if (fields.explanation) finding.explanation = fields.explanation;
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
