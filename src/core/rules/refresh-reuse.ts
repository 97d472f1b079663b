/**
 * refresh-token-reused: the same refresh token (by fingerprint: the value is never kept) redeemed twice. RFC 9700
 * s4.14.2 has the server rotate a public client's refresh token, issuing a new one at each refresh and invalidating the
 * old: when the old one comes back, the server "cannot determine which party submitted the invalid refresh token" and
 * revokes the active one. So:
 * - a later redemption answered `invalid_grant` after an earlier one succeeded: the server detected the reuse. The
 *   client sent a token it had already redeemed (two tabs or timers refreshing at once, a rotated token not replaced):
 *   a client bug, or a replay by someone holding a copy; and the user's session is likely revoked with it;
 * - both succeeded although the first redemption rotated the token (it issued a new, different refresh token): the
 *   server did not detect the reuse, so a stolen refresh token keeps working beside the real one. Some servers allow
 *   a short grace period for concurrent refreshes on purpose (said in docs/RULES.md).
 * A server that does not rotate (no new refresh token, or the same one back) expects its token to be used again: no
 * finding. A `use_dpop_nonce` challenge is no redemption: its retry carries the same token by design (RFC 9449 s8).
 */
import { addFinding, quote } from '../analysis/findings.js';
import { shortFingerprint } from '../format/text.js';
import type { ExchangeReport } from '../types.js';

type Outcome = 'issued' | 'invalid_grant' | 'other';

function outcomeOf(exchange: ExchangeReport): Outcome {
  if (exchange.findings.some((finding) => finding.rule === 'error-response' && finding.evidence.error === 'invalid_grant'))
    return 'invalid_grant';
  return exchange.resourceServers.some((server) => server.tokens.some((token) => token.kind === 'access')) ? 'issued' : 'other';
}

/** The refresh token a successful refresh issued, if it issued one. */
function issuedRefreshToken(exchange: ExchangeReport): string | null {
  for (const server of exchange.resourceServers) for (const token of server.tokens) if (token.kind === 'refresh') return token.fingerprint;
  return null;
}

/** Every refresh-token grant, grouped by the fingerprint of the token it redeems; the second and later judged against the first success. */
export function checkRefreshReuse(exchanges: readonly ExchangeReport[]): void {
  const byToken = new Map<string, ExchangeReport[]>();
  for (const exchange of exchanges) {
    const sent = exchange.request.redacted.refresh_token;
    if (exchange.kind !== 'token' || exchange.request.grantType !== 'refresh_token' || !sent || exchange.challenge) continue;
    const list = byToken.get(sent);
    if (list) list.push(exchange);
    else byToken.set(sent, [exchange]);
  }
  for (const [sent, redemptions] of byToken) {
    if (redemptions.length < 2) continue;
    const first = redemptions.find((exchange) => outcomeOf(exchange) === 'issued');
    if (!first) continue;
    const rotatedTo = issuedRefreshToken(first);
    const rotated = rotatedTo !== null && rotatedTo !== sent;
    for (const later of redemptions.slice(redemptions.indexOf(first) + 1)) {
      const outcome = outcomeOf(later);
      const evidence = { fingerprint: sent, firstAt: first.startedAt, firstExchange: first.id, rotated, outcome };
      const token = quote(shortFingerprint(sent));
      if (outcome === 'invalid_grant')
        addFinding(later.findings, 'refresh-token-reused', {
          tokenKind: 'refresh',
          message: `The refresh token ${token} was redeemed again after it had been redeemed at ${quote(first.startedAt)}, and the server refused it (invalid_grant): it detected the reuse (RFC 9700 s4.14.2). The client sent a token it had already used (two refreshes at once, or a rotated token not replaced), or someone replayed a copy; the server may have revoked the session with it.`,
          evidence,
        });
      else if (outcome === 'issued' && rotated)
        addFinding(later.findings, 'refresh-token-reused', {
          tokenKind: 'refresh',
          message: `The refresh token ${token} was redeemed twice and both succeeded, although the first redemption (at ${quote(first.startedAt)}) rotated it to a new one: the server did not detect the reuse (RFC 9700 s4.14.2), so a stolen copy keeps working beside the client's.`,
          evidence,
        });
    }
  }
}
