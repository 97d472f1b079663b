/** What a user must see for a Globus SDK sign-in (issue #21): every step, the right servers, no false finding; the fault when flawed. */
import { GLOBUS_AUTH, GROUPS_HOST, GROUPS_SERVER, TRANSFER_HOST, TRANSFER_SERVER } from '../providers/globus.js';
import { allFindings, type Check, noFindingAtOrOverLow, sentTo, tokenExchanges } from './report.js';

const TOKEN_URL = `https://${GLOBUS_AUTH}/v2/oauth2/token`;
const codeExchange = (report: Parameters<Check['pass']>[0]) => tokenExchanges(report, 'authorization_code', TOKEN_URL)[0];

/** The sign-in up to the code exchange: the authorization request, the exchange joined to it, the servers by their Globus names. */
export const GLOBUS_SIGN_IN: readonly Check[] = [
  {
    name: 'the authorization request to auth.globus.org is shown as a sign-in',
    pass: (r) => r.signIns.some((s) => s.authorization?.endpoint === `https://${GLOBUS_AUTH}/v2/oauth2/authorize`),
  },
  { name: 'the code exchange at auth.globus.org is captured', pass: (r) => codeExchange(r) !== undefined },
  {
    name: 'the code exchange is joined to its authorization request',
    pass: (r) => r.signIns.some((s) => s.authorization !== null && s.exchanges.includes(codeExchange(r)?.id ?? '-')),
  },
  {
    name: 'the code exchange shows access tokens for auth.globus.org, transfer.api.globus.org and groups.api.globus.org',
    pass: (r) =>
      JSON.stringify(
        codeExchange(r)
          ?.resourceServers.filter((rs) => rs.tokens.some((t) => t.kind === 'access'))
          .map((rs) => rs.id)
          .sort(),
      ) === JSON.stringify([GLOBUS_AUTH, GROUPS_SERVER, TRANSFER_SERVER].sort()),
  },
];

/** The correct flow: sign-in, refreshTokens() (one refresh per server), the SDK's Transfer call at its default host. */
export const GLOBUS_CORRECT: readonly Check[] = [
  ...GLOBUS_SIGN_IN,
  {
    name: 'the three per-server refreshes are captured, in the same sign-in',
    pass: (r) => {
      const refreshes = tokenExchanges(r, 'refresh_token', TOKEN_URL);
      const signIn = r.signIns.find((s) => s.exchanges.includes(codeExchange(r)?.id ?? '-'));
      return refreshes.length === 3 && refreshes.every((e) => signIn?.exchanges.includes(e.id));
    },
  },
  {
    name: "each refresh shows its one server's token and nothing requested-not-granted",
    pass: (r) =>
      tokenExchanges(r, 'refresh_token', TOKEN_URL).every((e) => {
        const withToken = e.resourceServers.filter((rs) => rs.tokens.some((t) => t.kind === 'access'));
        const dropped = e.resourceServers.flatMap((rs) => rs.requestedScopes.filter((s) => !rs.scopes.includes(s)));
        return withToken.length === 1 && dropped.length === 0;
      }),
  },
  {
    name: 'the sign-in says no requested scope went ungranted',
    pass: (r) => r.signIns.every((s) => s.resourceServers.every((rs) => rs.dropped.length === 0)),
  },
  {
    name: `the SDK's Transfer call (${TRANSFER_HOST}) is shown as a use of the Transfer token`,
    pass: (r) => sentTo(r, TRANSFER_SERVER).some((url) => url.startsWith(`https://${TRANSFER_HOST}/v0.10/endpoint_search`)),
  },
  noFindingAtOrOverLow,
];

/** The flawed flow: the app sends the Transfer token to Groups. */
export const GLOBUS_TRANSFER_TOKEN_TO_GROUPS: readonly Check[] = [
  ...GLOBUS_SIGN_IN,
  {
    name: 'the Transfer token sent to groups.api.globus.org is flagged HIGH token-sent-beyond-audience',
    pass: (r) =>
      allFindings(r).some(
        (f) =>
          f.rule === 'token-sent-beyond-audience' &&
          f.severity === 'high' &&
          f.resourceServer === TRANSFER_SERVER &&
          JSON.stringify(f.evidence).includes(GROUPS_HOST),
      ),
  },
  {
    name: 'no other finding at or over low',
    pass: (r) =>
      allFindings(r).filter((f) => ['low', 'medium', 'high'].includes(f.severity) && f.rule !== 'token-sent-beyond-audience').length === 0,
  },
];
