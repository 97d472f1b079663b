/**
 * @auth0/auth0-spa-js 2.27 in Firefox ESR at its real hostnames over TLS (the sites on 127.0.0.1:443): the flows of test/tls/flows/auth0-custom-domain.ts,
 * the same table test/e2e/auth0-custom-domain-tls.spec.ts reads. Run under `flock /tmp/tokenscope-443.lock`.
 */
import { describe, test } from 'node:test';
import { runFirefoxFlow } from '../tls/firefox-run.js';
import { AUTH0_FLOWS } from '../tls/flows/auth0-custom-domain.js';

describe('Firefox: Auth0 on a custom domain over TLS', () => {
  for (const flow of AUTH0_FLOWS) test(flow.title, () => runFirefoxFlow(flow));
});
