/** What a user must see for an msal-browser sign-in (issue #21): every step, the APIs by the names the app used, no false finding; the fault when flawed. */
import type { Report } from '../../../src/core/types.js';
import { ENTRA_HOST, GRAPH_APP_ID, GRAPH_HOST, INVOICES_APP_ID, ORDERS_APP_ID, ORDERS_URI, TENANT_ID } from '../providers/entra.js';
import { allFindings, type Check, noFindingAtOrOverLow, sentTo, tokenExchanges } from './report.js';

const TOKEN_URL = `https://${ENTRA_HOST}/${TENANT_ID}/oauth2/v2.0/token`;
const GRAPH = 'https://graph.microsoft.com';
const codeExchange = (r: Report) => tokenExchanges(r, 'authorization_code', TOKEN_URL)[0];
const ordersExchange = (r: Report) =>
  tokenExchanges(r, 'refresh_token', TOKEN_URL).find((e) => JSON.stringify(e.request.scopes).includes(ORDERS_URI));
const servers = (r: Report) => r.exchanges.flatMap((e) => e.resourceServers);

/** The sign-in (loginRedirect or loginPopup) and acquireTokenSilent for the orders API, as the report shows them. */
export const MSAL_SIGN_IN: readonly Check[] = [
  {
    name: 'the authorization request to login.microsoftonline.com is shown as a sign-in',
    pass: (r) => r.signIns.some((s) => s.authorization?.endpoint === `https://${ENTRA_HOST}/${TENANT_ID}/oauth2/v2.0/authorize`),
  },
  { name: 'the code exchange is captured', pass: (r) => codeExchange(r) !== undefined },
  {
    name: 'the code exchange is joined to its authorization request',
    pass: (r) => r.signIns.some((s) => s.authorization !== null && s.exchanges.includes(codeExchange(r)?.id ?? '-')),
  },
  {
    name: "acquireTokenSilent's refresh for api://orders-api is captured, in the same sign-in",
    pass: (r) =>
      r.signIns.some((s) => s.exchanges.includes(codeExchange(r)?.id ?? '-') && s.exchanges.includes(ordersExchange(r)?.id ?? '-')),
  },
];

export const MSAL_CORRECT: readonly Check[] = [
  ...MSAL_SIGN_IN,
  {
    name: 'the Graph token is shown for https://graph.microsoft.com',
    pass: (r) => codeExchange(r)?.resourceServers.some((rs) => rs.id === GRAPH && rs.tokens.some((t) => t.kind === 'access')) === true,
  },
  {
    name: 'the orders API is named api://orders-api, its application id beside it',
    pass: (r) =>
      ordersExchange(r)?.resourceServers.some(
        (rs) => rs.id === ORDERS_URI && ((rs as { aliases?: string[] }).aliases ?? []).includes(ORDERS_APP_ID),
      ) === true,
  },
  {
    name: 'no server is named by a bare application id (GUID)',
    pass: (r) => !servers(r).some((rs) => [ORDERS_APP_ID, GRAPH_APP_ID].includes(rs.id)),
  },
  {
    name: 'ID tokens are filed under the client, not under an API (Graph, orders)',
    pass: (r) =>
      servers(r).every((rs) => !(rs.tokens.some((t) => t.kind === 'id') && [GRAPH, ORDERS_URI, ORDERS_APP_ID].includes(rs.id))) &&
      r.exchanges.every((e) => JSON.stringify(e).includes('"kind":"id"')),
  },
  {
    name: `the Graph /me call is shown as a use of the Graph token (${GRAPH_HOST})`,
    pass: (r) => sentTo(r, GRAPH).includes(`https://${GRAPH_HOST}/v1.0/me`),
  },
  noFindingAtOrOverLow,
];

/** The flaw: the orders API's token also names another API of the tenant in `aud`. */
export const MSAL_ORDERS_EXTRA_AUDIENCE: readonly Check[] = [
  ...MSAL_SIGN_IN,
  {
    name: "the orders token whose aud also names another API's id is flagged HIGH",
    pass: (r) =>
      (ordersExchange(r)?.findings ?? []).some(
        (f) => f.severity === 'high' && JSON.stringify([f.message, f.evidence]).includes(INVOICES_APP_ID),
      ),
  },
  {
    name: 'nothing else at or over low on the Graph sign-in',
    pass: (r) =>
      allFindings({ ...r, exchanges: [codeExchange(r)].filter((e) => e !== undefined), signIns: r.signIns }).every(
        (f) => f.severity === 'info',
      ),
  },
];
