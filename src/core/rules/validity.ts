/** Rules on a token's own validity: malformed-token, unsigned-token, expired, not-yet-valid. */
import type { ExchangeContext, GrantedToken } from '../analysis/exchange-context.js';
import { addFinding, quote, serverName } from '../analysis/findings.js';
import { isoFromSeconds, numericClaim } from '../tokens.js';

/** RFC 7519 s4.1.4: "MAY provide for some small leeway". Client and server clocks differ. */
const CLOCK_LEEWAY_SECONDS = 60;

/** RFC 7519 s7.2: a value shaped like a JWT that does not decode. True when it fired (nothing more can be checked). */
export function checkMalformed(token: GrantedToken, resourceServer: string, context: ExchangeContext): boolean {
  const { report, malformed, problem } = token.decoded;
  if (!malformed) return false;
  addFinding(context.findings, 'malformed-token', {
    resourceServer,
    tokenKind: report.kind,
    message: `The ${report.kind} token for ${serverName(resourceServer)} looks like a JWT but does not decode: ${quote(problem ?? 'unknown reason')}.`,
    evidence: { fingerprint: report.fingerprint },
  });
  return true;
}

/** RFC 8725 s2.1, s3.1: `alg: none` means anyone can forge the claims. */
export function checkSignature(token: GrantedToken, resourceServer: string, context: ExchangeContext): void {
  const { report } = token.decoded;
  const header = report.header;
  if (header && typeof header.alg === 'string' && header.alg.toLowerCase() === 'none') {
    addFinding(context.findings, 'unsigned-token', {
      resourceServer,
      tokenKind: report.kind,
      message: `The ${report.kind} token for ${serverName(resourceServer)} is unsigned (alg "none"): anyone can forge its claims.`,
      evidence: { alg: header.alg, fingerprint: report.fingerprint },
    });
  }
}

/** RFC 7519 s4.1.4, s4.1.5: `exp` and `nbf` against the capture time, with a minute of leeway. */
export function checkValidity(token: GrantedToken, resourceServer: string, context: ExchangeContext): void {
  const { report } = token.decoded;
  const claims = report.claims;
  if (!claims) return;
  const now = context.capturedAt.getTime() / 1000;
  const exp = numericClaim(claims.exp);
  if (exp !== null && exp < now - CLOCK_LEEWAY_SECONDS) {
    addFinding(context.findings, 'expired', {
      resourceServer,
      tokenKind: report.kind,
      severity: report.kind === 'refresh' ? 'low' : 'medium',
      message: `The ${report.kind} token for ${serverName(resourceServer)} had already expired when it was captured.`,
      evidence: {
        exp: claims.exp,
        expiresAt: isoFromSeconds(exp),
        capturedAt: context.capturedAt.toISOString(),
        fingerprint: report.fingerprint,
      },
    });
  }
  const nbf = numericClaim(claims.nbf);
  if (nbf !== null && nbf > now + CLOCK_LEEWAY_SECONDS) {
    addFinding(context.findings, 'not-yet-valid', {
      resourceServer,
      tokenKind: report.kind,
      message: `The ${report.kind} token for ${serverName(resourceServer)} is not valid until ${isoFromSeconds(nbf) ?? nbf}, after it was captured.`,
      evidence: { nbf: claims.nbf, capturedAt: context.capturedAt.toISOString(), fingerprint: report.fingerprint },
    });
  }
}
