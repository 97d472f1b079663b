/**
 * @globus/sdk 6.2 at Globus's real hostnames (auth.globus.org, transfer.api.globusonline.org, groups.api.globus.org;
 * test/tls/providers/globus.ts), the portal at https://portal.research.example: the SDK signs in by itself (PKCE,
 * handleCodeRedirect's location.replace), refreshes per server and calls Transfer. Tokenscope shows every step with
 * Globus's server names and no false finding (checks/globus.ts); the Transfer token sent to Groups is flagged HIGH.
 */
import { GLOBUS_CORRECT, GLOBUS_TRANSFER_TOKEN_TO_GROUPS } from '../checks/globus.js';
import { globusSites, PORTAL_HOST } from '../providers/globus-site.js';
import { allPass, flow, type TlsStep } from './flow.js';

const SIGN_IN: TlsStep[] = [
  [null, 'ready'],
  // The SDK's redirect, the code exchange, then its location.replace back to the portal.
  ['#signin', 'signed-in 3 tokens'],
];
const sites = () => ({ sites: globusSites().sites, record: undefined });

export const GLOBUS_CORRECT_FLOW = flow({
  title: 'Globus SDK, correct: authorization, code exchange, a refresh per server and the Transfer call shown; no false finding',
  sites,
  appHost: PORTAL_HOST,
  steps: [...SIGN_IN, ['#refresh', 'refreshed 3; transfer 200 1 endpoints']],
  ...allPass(GLOBUS_CORRECT),
});

export const GLOBUS_FLAWED_FLOW = flow({
  title: 'Globus SDK, flawed: the Transfer token sent to groups.api.globus.org is flagged HIGH',
  sites,
  appHost: PORTAL_HOST,
  steps: [...SIGN_IN, ['#misuse', 'groups 401']],
  ...allPass(GLOBUS_TRANSFER_TOKEN_TO_GROUPS),
});
