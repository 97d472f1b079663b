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

/** Whether the body is an HTML page (a server's or a proxy's error page, not a token response). */
function isHtml(captured: CapturedExchange): boolean {
  return /html/i.test(captured.response.contentType ?? '') || /^\s*<(!doctype|html|head|body)\b/i.test(captured.response.body ?? '');
}

/**
 * RFC 6749 s5.1: a body that is neither JSON nor form data; `reason` says where parsing failed. An
 * HTML page with an HTTP 5xx status is an outage (a gateway or server error page), not a malformed
 * token response: said so, at info.
 */
export function reportUnparseable(reason: string, captured: CapturedExchange, findings: Finding[]): void {
  const evidence = { status: captured.status, contentType: captured.response.contentType ?? null };
  if (captured.status !== null && captured.status >= 500 && isHtml(captured)) {
    addFinding(findings, 'unparseable-response', {
      severity: 'info',
      lowered: {
        from: 'low',
        reason: 'an HTTP 5xx error page from the server or a proxy in front of it is an outage, not a token response',
      },
      message: `The token endpoint answered HTTP ${captured.status} with an HTML error page, not a token response: ${reason}.`,
      evidence,
    });
    return;
  }
  addFinding(findings, 'unparseable-response', { message: `The token response could not be read: ${reason}.`, evidence });
}
