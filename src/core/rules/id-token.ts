/** The ID token rule: id-token-audience. */
import type { ExchangeContext, GrantedToken, ServerGrant } from '../analysis/exchange-context.js';
import { addFinding, quote, quoteList } from '../analysis/findings.js';
import { audiences } from '../tokens.js';

/** OIDC Core s3.1.3.7 (3) and (4)-(5): aud contains the client id; several audiences need azp = client id. */
export function checkIdToken(token: GrantedToken, grant: ServerGrant, context: ExchangeContext): void {
  const claims = token.decoded.report.claims;
  if (!claims) return;
  const auds = audiences(claims);
  const clientId = context.request.clientId;
  const evidence = { aud: claims.aud ?? null, azp: claims.azp ?? null, clientId, fingerprint: token.decoded.report.fingerprint };
  if (clientId && !auds.includes(clientId)) {
    addFinding(context.findings, 'id-token-audience', {
      resourceServer: grant.id,
      tokenKind: 'id',
      message: `The ID token's audience (${quoteList(auds) || 'none'}) does not include the client ${quote(clientId)} that asked for it.`,
      evidence,
    });
  } else if (auds.length > 1 && (clientId ? claims.azp !== clientId : typeof claims.azp !== 'string')) {
    addFinding(context.findings, 'id-token-audience', {
      resourceServer: grant.id,
      tokenKind: 'id',
      message: `The ID token names ${auds.length} audiences but its azp ${typeof claims.azp === 'string' ? `(${quote(claims.azp)}) is not the client` : 'is missing'}.`,
      evidence,
    });
  }
}
