/**
 * Sites: a host's registrable domain from the Public Suffix List (through `tldts`, which bundles the
 * list and is pure JavaScript), private section included, as browsers decide "same site": two apps on
 * `github.io` are two sites. A host the list gives no domain for (an IP address, `localhost`) is its
 * own site.
 */
import { getDomain } from 'tldts';

/** The registrable domain of `host` (`transfer.api.globus.org` gives `globus.org`), else the host itself. */
export function siteOf(host: string): string {
  const lower = host.toLowerCase();
  return getDomain(lower, { allowPrivateDomains: true }) ?? lower;
}

/** Whether two hosts are on the same site. */
export function isSameSite(a: string, b: string): boolean {
  return siteOf(a) === siteOf(b);
}
