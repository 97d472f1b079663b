/**
 * Firefox for the TLS tests: the Firefox test build with TLS_APP_HOSTS, `network.dns.forceResolve` sending every name
 * to 127.0.0.1 (so the TLS server listens on 127.0.0.1:443, one test at a time: startTlsHosts waits for the port, and
 * commands run under `flock /tmp/tokenscope-443.lock`), and the local certificate accepted (`acceptInsecureCerts`).
 * shared/BROWSER-TESTING.md, "Real SDKs at their real hostnames, over TLS" and "Firefox".
 */
import { rmSync } from 'node:fs';
import { buildTestExtension, Firefox } from '../firefox/harness.js';
import { TLS_APP_HOSTS } from '../support/tls-hosts.js';
import { type SiteHandler, startTlsHosts, type TlsHosts } from './server.js';

/** The port Firefox reaches every name on (forceResolve keeps the URL's port: https is 443). */
export const FIREFOX_TLS_PORT = 443;

export interface FirefoxTls {
  firefox: Firefox;
  tls: TlsHosts;
  close(): Promise<void>;
}

/** Build the test extension, take port 443 for `sites` (waiting while another test has it), launch Firefox. */
export async function launchFirefoxTls(sites: Record<string, SiteHandler>, prefs: Record<string, unknown> = {}): Promise<FirefoxTls> {
  const [extensionDir, tls] = await Promise.all([buildTestExtension(TLS_APP_HOSTS), startTlsHosts(sites, { port: FIREFOX_TLS_PORT })]);
  let firefox: Firefox;
  try {
    firefox = await Firefox.launch(extensionDir, { 'network.dns.forceResolve': '127.0.0.1', ...prefs }, { acceptInsecureCerts: true });
  } catch (error) {
    await tls.close();
    rmSync(extensionDir, { recursive: true, force: true });
    throw error;
  }
  return {
    firefox,
    tls,
    async close() {
      await firefox.close();
      await tls.close();
      rmSync(extensionDir, { recursive: true, force: true });
    },
  };
}
