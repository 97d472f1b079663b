/**
 * @globus/sdk 6.2 in Firefox ESR at Globus's real hostnames over TLS (the sites on 127.0.0.1:443): the flows of
 * test/tls/flows/globus.ts, the same table test/e2e/globus-tls.spec.ts reads. Run under `flock /tmp/tokenscope-443.lock`.
 */
import { describe, test } from 'node:test';
import { runFirefoxFlow } from '../tls/firefox-run.js';
import { GLOBUS_CORRECT_FLOW, GLOBUS_FLAWED_FLOW } from '../tls/flows/globus.js';

describe('Firefox: Globus SDK at auth.globus.org over TLS', () => {
  for (const flow of [GLOBUS_CORRECT_FLOW, GLOBUS_FLAWED_FLOW]) test(flow.title, () => runFirefoxFlow(flow));
});
