/**
 * id-token-as-access-token: an ID token sent in `Authorization: Bearer` (or `DPoP`) to an API. An ID token tells the
 * client who signed in: its `aud` is the client (OpenID Connect Core 1.0 s2), and it is not an access token. An API
 * that takes it accepts a token the issuer made for some client, which is why RFC 9068 s4 and s5 have resource servers
 * check `typ: at+jwt` and RFC 8725 s3.11 asks for explicit typing.
 *
 * Two places are judged otherwise:
 * - the client's own origin (its redirect URI's): the client's back end is the ID token's audience, and sending it
 *   there to say who signed in is the pattern providers document (Google's "Authenticate with a backend server"):
 *   no finding;
 * - the ID token's own issuer (its `iss` origin, most often its userinfo endpoint): OpenID Connect Core s5.3.1 asks for
 *   the access token there, so the client is still wrong, but the token goes nowhere it did not come from and the
 *   issuer judges it itself: one step lower (low), with the reason.
 */
import { addFinding, quote, serverName } from '../analysis/findings.js';
import { issuedTokens } from '../issued-tokens.js';
import type { BearerUse, ExchangeReport, TokenReport } from '../types.js';

function originOf(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const origin = new URL(url).origin;
    return origin === 'null' ? null : origin;
  } catch {
    return null;
  }
}

interface IssuedIdToken {
  exchange: ExchangeReport;
  client: string;
  token: TokenReport;
}

/**
 * Each use of an ID token issued in the report, once per token and address. `clientOrigin` gives the origin of the
 * client an exchange belongs to (its sign-in's redirect URI), or null when none is known.
 */
export function checkIdTokenUses(
  exchanges: readonly ExchangeReport[],
  uses: readonly BearerUse[],
  clientOrigin: (exchange: ExchangeReport) => string | null,
): void {
  if (uses.length === 0) return;
  const idTokens = new Map<string, IssuedIdToken>();
  const otherTokens = new Set<string>();
  for (const { exchange, server, token } of issuedTokens(exchanges)) {
    if (token.kind !== 'id') otherTokens.add(token.fingerprint);
    else if (!idTokens.has(token.fingerprint)) idTokens.set(token.fingerprint, { exchange, client: server.id, token });
  }
  const reported = new Set<string>();
  for (const use of uses) {
    const issued = idTokens.get(use.fingerprint);
    // The same value issued as an access token too is that access token's business.
    if (!issued || otherTokens.has(use.fingerprint)) continue;
    const where = `${use.method} ${use.url.split(/[?#]/)[0]}`;
    const target = originOf(use.url);
    if (target === null || target === clientOrigin(issued.exchange)) continue;
    const key = `${use.fingerprint} ${where}`;
    if (reported.has(key)) continue;
    reported.add(key);
    const issuer = originOf(typeof issued.token.claims?.iss === 'string' ? issued.token.claims.iss : null);
    const toIssuer = issuer !== null && issuer === target;
    const scheme = use.scheme === 'dpop' ? 'DPoP' : 'Bearer';
    addFinding(issued.exchange.findings, 'id-token-as-access-token', {
      resourceServer: issued.client,
      tokenKind: 'id',
      message: toIssuer
        ? `The ID token issued to ${serverName(issued.client)} was sent as a ${scheme} token to its own issuer (${quote(where)}): the issuer's endpoints, userinfo among them, take the access token (OpenID Connect Core s5.3.1).`
        : `The ID token issued to ${serverName(issued.client)} was sent as a ${scheme} token to ${quote(where)}: an ID token says who signed in to the client and is no access token; an API that accepts it accepts tokens its issuer made for any client.`,
      evidence: {
        fingerprint: use.fingerprint,
        sentTo: where,
        at: use.at,
        ...(issued.token.claims?.aud !== undefined ? { aud: issued.token.claims.aud } : {}),
      },
      ...(toIssuer
        ? {
            severity: 'low' as const,
            lowered: {
              from: 'medium' as const,
              reason: 'it went back to the issuer that made it, which judges it itself; the token reaches no other service',
            },
          }
        : {}),
    });
  }
}
