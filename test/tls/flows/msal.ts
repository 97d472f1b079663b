/**
 * @azure/msal-browser 5.29 at login.microsoftonline.com and graph.microsoft.com (test/tls/providers/entra.ts), the app
 * at https://app.contoso.example: loginRedirect or loginPopup for Graph, GET /me, acquireTokenSilent for
 * api://orders-api (a v2.0 API whose tokens carry its application id in aud). Tokenscope shows every step, the APIs by
 * the names the app asked for, ID tokens under the client, no false finding (checks/entra.ts), and no "also watch
 * login.microsoftonline.com" when nothing was missed; an orders token naming another API too is flagged HIGH.
 */
import assert from 'node:assert/strict';
import { MSAL_CORRECT, MSAL_ORDERS_EXTRA_AUDIENCE } from '../checks/entra.js';
import { type EntraOptions, INVOICES_APP_ID } from '../providers/entra.js';
import { CONTOSO_HOST, entraSites } from '../providers/entra-site.js';
import { allPass, flow, type TlsStep } from './flow.js';

/** Sign in with `login` (#login-redirect or #login-popup, answered `how`), call Graph /me, get the orders token silently. */
const steps = (login: string, how: 'redirect' | 'popup'): TlsStep[] => [
  [null, 'ready'],
  [login, `signed-in ${how} User.Read openid profile`],
  ['#me', 'me 200 Megan Bowen'],
  ['#orders', 'orders token api://orders-api/Orders.Read'],
];
const sites = (options: EntraOptions) => () => ({ sites: entraSites(options).sites, record: undefined });
const correct = allPass(MSAL_CORRECT);

export const MSAL_CORRECT_FLOWS = (
  [
    ['#login-redirect', 'redirect', 'loginRedirect'],
    ['#login-popup', 'popup', 'loginPopup'],
  ] as const
).map(([login, how, name]) =>
  flow({
    title: `MSAL ${name}, correct: every step, Graph and api://orders-api by name, no false finding, no needless notice`,
    sites: sites({}),
    appHost: CONTOSO_HOST,
    steps: steps(login, how),
    wait: correct.wait,
    check(report, record, why, view) {
      correct.check(report, record, why, view);
      assert.deepEqual(view.suggestedHosts, [], 'nothing was missed: no "also watch" notice');
    },
  }),
);

export const MSAL_FLAWED_FLOW = flow({
  title: "MSAL loginRedirect, flawed: the orders token's aud also names another API: flagged HIGH",
  sites: sites({ ordersExtraAudience: INVOICES_APP_ID }),
  appHost: CONTOSO_HOST,
  steps: steps('#login-redirect', 'redirect'),
  ...allPass(MSAL_ORDERS_EXTRA_AUDIENCE),
});
