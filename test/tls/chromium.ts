/**
 * Chromium for the TLS tests: the test build (whose manifest grants TLS_APP_HOSTS), every name of the test mapped to
 * the one https server (`--host-resolver-rules`, so `https://auth.globus.org/` reaches 127.0.0.1:PORT with its own
 * name in the URL, Host and SNI), and the local certificate accepted (`--ignore-certificate-errors`).
 * shared/BROWSER-TESTING.md, "Real SDKs at their real hostnames, over TLS".
 */
import { launchWithExtension, TEST_EXTENSION_DIR } from '../support/harness.js';

/** The Chromium switches that send each of `hosts` to 127.0.0.1:`port` and accept the test certificate. */
export function tlsSwitches(hosts: readonly string[], port: number): string[] {
  const rules = [...hosts.map((host) => `MAP ${host} 127.0.0.1:${port}`), 'EXCLUDE localhost'].join(', ');
  return [`--host-resolver-rules=${rules}`, '--ignore-certificate-errors'];
}

/** Headless Chromium with the test build, `hosts` served by the TLS server on `port`. */
export function launchChromiumTls(hosts: readonly string[], port: number): ReturnType<typeof launchWithExtension> {
  return launchWithExtension(TEST_EXTENSION_DIR, tlsSwitches(hosts, port));
}
