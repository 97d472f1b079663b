/**
 * @azure/msal-browser 5.29 in Firefox ESR at login.microsoftonline.com and graph.microsoft.com over TLS (the sites on
 * 127.0.0.1:443): the flows of test/tls/flows/msal.ts, the same table test/e2e/msal-tls.spec.ts reads. Run under
 * `flock /tmp/tokenscope-443.lock`.
 */
import { describe, test } from 'node:test';
import { runFirefoxFlow } from '../tls/firefox-run.js';
import { MSAL_CORRECT_FLOWS, MSAL_FLAWED_FLOW } from '../tls/flows/msal.js';

describe('Firefox: msal-browser at login.microsoftonline.com over TLS', () => {
  for (const flow of [...MSAL_CORRECT_FLOWS, MSAL_FLAWED_FLOW]) test(flow.title, () => runFirefoxFlow(flow));
});
