/** The error a test fails with when Tokenscope found something at or over `tokenscopeFailOn`. */
import { plain } from '../core/format/text.js';
import type { FailOn } from '../core/severity.js';
import type { SignInReport } from '../core/sign-in/types.js';
import type { ExchangeReport, Finding } from '../core/types.js';

/** One line a finding, worst first as the report sorts them: severity, rule, resource server, message, where. */
export function failureMessage(
  failing: ReadonlyArray<{ exchange: ExchangeReport | SignInReport; finding: Finding }>,
  failOn: FailOn,
): string {
  const count = failing.length === 1 ? '1 finding' : `${failing.length} findings`;
  const lines = failing.map(({ exchange, finding }) => {
    const server = finding.resourceServer ?? '(no resource server)';
    // A sign-in's finding (a refused consent, no PKCE) is placed at its authorization endpoint.
    const where =
      'url' in exchange
        ? `${exchange.method} ${plain(exchange.url, 200)}`
        : `sign-in at ${plain(exchange.authorization?.endpoint ?? exchange.response?.redirectUri ?? 'an unseen authorization endpoint', 200)}`;
    return `  - ${finding.severity} ${finding.rule} ${plain(server, 200)}: ${plain(finding.message, 500)} (${where})`;
  });
  return [
    `Tokenscope: ${count} at or over tokenscopeFailOn '${failOn}':`,
    ...lines,
    'The report is attached to this test (tokenscope.json, tokenscope.md). Rules: docs/RULES.md in the tokenscope package.',
  ].join('\n');
}
