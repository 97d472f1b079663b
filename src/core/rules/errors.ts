/** Rules on answers that hold no tokens to check: error-response, unparseable-response. */
import type { ErrorResponse } from '../analysis/error-response.js';
import { addFinding, quote } from '../analysis/findings.js';
import type { CapturedExchange, Finding } from '../types.js';

/** RFC 6749 s5.2: the token endpoint answered with an error. */
export function reportErrorResponse(error: ErrorResponse, status: number | null, findings: Finding[]): void {
  const { code, description } = error;
  addFinding(findings, 'error-response', {
    message:
      `The token endpoint answered ${status ?? ''} ${quote(code)}${description ? `: ${quote(description)}` : ''}`
        .replace(/\s+/g, ' ')
        .trim() + (description?.endsWith('.') ? '' : '.'),
    evidence: error.evidence,
  });
}

/** RFC 6749 s5.1: a body that is neither JSON nor form data; `reason` says where parsing failed. */
export function reportUnparseable(reason: string, captured: CapturedExchange, findings: Finding[]): void {
  addFinding(findings, 'unparseable-response', {
    message: `The token response could not be read: ${reason}.`,
    evidence: { status: captured.status, contentType: captured.response.contentType ?? null },
  });
}
