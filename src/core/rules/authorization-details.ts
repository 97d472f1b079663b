/**
 * Rules on rich authorization requests (RFC 9396): authorization-details-dropped and authorization-details-added
 * (requested vs granted, like scope-diff), authorization-details-beyond-audience (a detail assigned to a token whose
 * `locations` lie outside the token's `aud`: s9.1 filters a token's details to its audience, s12 makes `locations`
 * the audience restriction).
 */
import type { ExchangeContext, GrantedToken, ServerGrant } from '../analysis/exchange-context.js';
import { addFinding, quote, serverName, UNKNOWN_SERVER } from '../analysis/findings.js';
import { changeWords, compareAuthorizationDetails, type DetailChange, detailName, isLocationWithin } from '../authorization-details.js';
import { serverHost } from '../scopes.js';
import { audiences } from '../tokens.js';

/** A URI with an authority, or a host name: what a location and an audience can be compared as. */
const isAddress = (value: string): boolean => /^[a-z][a-z0-9+.-]*:\/\/[^/]/i.test(value) || serverHost(value) !== null;

/** Changes said in one sentence: at most this many, then how many more. */
const MAX_SAID = 5;

/** The server as a sentence's subject. */
const subject = (id: string): string => (id === UNKNOWN_SERVER ? 'An unidentified resource server' : serverName(id));

function sentence(changes: readonly DetailChange[], dropped: boolean): string {
  const said = changes.slice(0, MAX_SAID).map((item) => changeWords(item, dropped, quote));
  const more = changes.length > MAX_SAID ? `; and ${changes.length - MAX_SAID} more` : '';
  return `${said.join('; ')}${more}`;
}

/** RFC 9396 s7, s7.1: the details granted may be fewer than requested (the user consented to less) or more (enriched). */
export function checkAuthorizationDetailsDiff(grant: ServerGrant, context: ExchangeContext): void {
  const details = grant.authorizationDetails;
  if (!details || details.requested.length === 0) return;
  if (details.grantedFrom === null) {
    context.notes.push(
      `${subject(grant.id)} was asked for authorization details and the response lists none, nor does its access token (RFC 9396 s7: the server returns those granted): what was granted is not visible here.`,
    );
    return;
  }
  const { dropped, added } = compareAuthorizationDetails(details.requested, details.granted);
  if (dropped.length)
    addFinding(context.findings, 'authorization-details-dropped', {
      resourceServer: grant.id,
      message: `${subject(grant.id)} was granted fewer rights than requested: ${sentence(dropped, true)}.`,
      evidence: { dropped, grantedFrom: details.grantedFrom },
    });
  if (added.length)
    addFinding(context.findings, 'authorization-details-added', {
      resourceServer: grant.id,
      message: `${subject(grant.id)} was granted more rights than requested: ${sentence(added, false)}.`,
      evidence: { added, grantedFrom: details.grantedFrom },
    });
}

/** RFC 9396 s9.1, s12: each location of a detail assigned to the access token lies within the token's audience. */
export function checkAuthorizationDetailsAudience(token: GrantedToken, grant: ServerGrant, context: ExchangeContext): void {
  const details = token.authorizationDetails;
  const report = token.decoded.report;
  if (!details?.length || report.format !== 'jwt') return;
  // Only addresses can be compared: an `aud` of opaque names (RFC 9396 s9.1's own example has "a7AfcPcsl2") says nothing
  // about where a location lies, nor does a location that is no address.
  const aud = audiences(report.claims);
  if (!aud.some(isAddress)) return;
  for (const detail of details) {
    const outside = (detail.locations ?? []).filter(
      (location) => isAddress(location) && !aud.some((audience) => isLocationWithin(location, audience)),
    );
    if (outside.length === 0) continue;
    addFinding(context.findings, 'authorization-details-beyond-audience', {
      resourceServer: grant.id,
      tokenKind: 'access',
      confidence: grant.confidence,
      message: `The access token for ${serverName(grant.id)} carries ${detailName(detail, quote)} rights at ${outside.map((l) => quote(l)).join(', ')}, outside its audience (${aud.map((a) => quote(a)).join(', ')}): a token should carry only its own audience's authorization details (RFC 9396 s9.1).`,
      evidence: { type: detail.type, locations: outside, aud, fingerprint: report.fingerprint },
    });
  }
}
