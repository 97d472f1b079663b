/**
 * Rules on DPoP (RFC 9449): the token request's proof against the token it got (dpop-proof-key-mismatch,
 * dpop-proof-target-mismatch), and each use of a bound token against its proof and scheme (dpop-ath-mismatch,
 * dpop-proof-target-mismatch, dpop-token-sent-as-bearer). dpop-jkt-mismatch is a flow rule (flow.ts).
 * Nothing is verified cryptographically: the proofs' signatures are the servers' to check.
 */
import { addFinding, quote, serverName } from '../analysis/findings.js';
import { sameTarget } from '../dpop.js';
import { issuedTokens } from '../issued-tokens.js';
import type { BearerUse, ExchangeReport, Finding, TokenReport } from '../types.js';

/** RFC 9449 s4.3: `htm` is the request's method, `htu` its URI without query and fragment. */
function targetProblem(proof: { htm: string | null; htu: string | null }, method: string, url: string): string | null {
  if (proof.htm !== null && proof.htm.toUpperCase() !== method.toUpperCase())
    return `its htm is ${quote(proof.htm)}, the request was a ${method}`;
  if (proof.htu !== null && !sameTarget(proof.htu, url))
    return `its htu is ${quote(proof.htu)}, the request went to ${quote(url.split(/[?#]/)[0] ?? url)}`;
  return null;
}

/** The token request's proof against its own request and against the key the tokens were bound to (RFC 9449 s4.3, s6.1). */
export function checkDpopExchange(report: ExchangeReport): void {
  const proof = report.dpopProof;
  if (!proof) return;
  const problem = targetProblem(proof, report.method, report.url);
  if (problem)
    addFinding(report.findings, 'dpop-proof-target-mismatch', {
      message: `The token request's DPoP proof is not for this request: ${problem}.`,
      evidence: { htm: proof.htm, htu: proof.htu, method: report.method },
    });
  for (const server of report.resourceServers)
    for (const token of server.tokens) {
      const jkt = token.binding?.from === 'cnf' ? token.binding.jkt : null;
      if (!jkt || proof.jkt === null || jkt === proof.jkt) continue;
      addFinding(report.findings, 'dpop-proof-key-mismatch', {
        resourceServer: server.id,
        tokenKind: token.kind,
        message: `The access token for ${serverName(server.id)} is bound to key ${quote(jkt)} (cnf.jkt), not to ${quote(proof.jkt)}, the key of the token request's DPoP proof.`,
        evidence: { fingerprint: token.fingerprint, cnfJkt: jkt, proofJkt: proof.jkt },
      });
    }
}

interface Bound {
  exchange: ExchangeReport;
  server: string;
  token: TokenReport;
}

/** One use of a DPoP-bound token: its scheme (s7.1), its proof's `ath` (s4.3, s7), `htm`/`htu` (s4.3) and key (s6.1). */
function checkUse(bound: Bound, use: BearerUse, reported: Set<string>): void {
  const { exchange, server, token } = bound;
  const jkt = token.binding?.jkt ?? null;
  const where = `${use.method} ${use.url.split(/[?#]/)[0]}`;
  const once = (rule: string) => {
    const key = `${rule} ${token.fingerprint} ${where}`;
    if (reported.has(key)) return false;
    reported.add(key);
    return true;
  };
  const base = { resourceServer: server, tokenKind: token.kind } as const;
  const evidence = { fingerprint: token.fingerprint, sentTo: where, at: use.at };
  const findings: Finding[] = exchange.findings;
  // Only a use whose scheme is known (the page hook, a HAR, Playwright all say it; an older hook's use does not).
  if (use.scheme === 'bearer' && token.binding?.method === 'dpop' && once('bearer'))
    addFinding(findings, 'dpop-token-sent-as-bearer', {
      ...base,
      message: `The DPoP-bound access token for ${serverName(server)} was sent to ${quote(where)} with the Bearer scheme, not DPoP: a server that accepts it so does not check the binding.`,
      evidence,
    });
  const proof = use.proof;
  if (!proof) return;
  if (proof.athMatches === false && once('ath'))
    addFinding(findings, 'dpop-ath-mismatch', {
      ...base,
      message: `The DPoP proof sent to ${quote(where)} has an ath that is not the hash of the access token sent with it.`,
      evidence,
    });
  const problem = targetProblem(proof, use.method, use.url);
  if (problem && once('target'))
    addFinding(findings, 'dpop-proof-target-mismatch', {
      ...base,
      message: `The DPoP proof sent with the access token to ${quote(where)} is not for that request: ${problem}.`,
      evidence: { ...evidence, htm: proof.htm, htu: proof.htu },
    });
  // The same key mismatch already said at the token request (its proof made with the same key) is not said again.
  const saidAtIssue = findings.some(
    (f) => f.rule === 'dpop-proof-key-mismatch' && f.evidence.proofJkt === proof.jkt && f.evidence.fingerprint === token.fingerprint,
  );
  if (jkt && proof.jkt !== null && proof.jkt !== jkt && !saidAtIssue && once('key'))
    addFinding(findings, 'dpop-proof-key-mismatch', {
      ...base,
      message: `The access token for ${serverName(server)} is bound to key ${quote(jkt)}, but the DPoP proof sent with it to ${quote(where)} was made with key ${quote(proof.jkt)}.`,
      evidence: { ...evidence, cnfJkt: jkt, proofJkt: proof.jkt },
    });
}

/** Each use of a DPoP-bound (or DPoP-sent) access token issued in the report. */
export function checkDpopUses(exchanges: readonly ExchangeReport[], uses: readonly BearerUse[]): void {
  if (uses.length === 0) return;
  const bound = new Map<string, Bound>();
  for (const { exchange, server, token } of issuedTokens(exchanges))
    if (token.kind === 'access' && !bound.has(token.fingerprint)) bound.set(token.fingerprint, { exchange, server: server.id, token });
  const reported = new Set<string>();
  for (const use of uses) {
    const found = bound.get(use.fingerprint);
    if (found && (found.token.binding?.method === 'dpop' || use.scheme === 'dpop')) checkUse(found, use, reported);
  }
}
