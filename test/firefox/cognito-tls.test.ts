/**
 * aws-amplify 6.22 with the Cognito hosted UI in Firefox ESR at its real hostnames over TLS (the sites on 127.0.0.1:443): the flows of test/tls/flows/cognito.ts,
 * the same table test/e2e/cognito-tls.spec.ts reads. Run under `flock /tmp/tokenscope-443.lock`.
 */
import { describe, test } from 'node:test';
import { runFirefoxFlow } from '../tls/firefox-run.js';
import { COGNITO_FLOWS } from '../tls/flows/cognito.js';

describe('Firefox: Amplify with the Cognito hosted UI over TLS', () => {
  for (const flow of COGNITO_FLOWS) test(flow.title, () => runFirefoxFlow(flow));
});
