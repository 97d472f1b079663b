/**
 * One self-signed certificate for every name a TLS test serves (shared/BROWSER-TESTING.md, "Real SDKs at their real
 * hostnames, over TLS"): openssl in a temporary folder, a subjectAltName entry per host. Chromium takes it with
 * `--ignore-certificate-errors`, Firefox with `acceptInsecureCerts: true`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Certificate {
  key: string;
  cert: string;
}

/** A certificate (RSA 2048, valid 2 days) naming every host in `hosts` (DNS names; IPv4 addresses as IP entries). */
export function makeCertificate(hosts: readonly string[]): Certificate {
  if (hosts.length === 0) throw new Error('makeCertificate: no host');
  const san = hosts.map((host) => (/^[\d.]+$/.test(host) ? `IP:${host}` : `DNS:${host}`)).join(',');
  const dir = mkdtempSync(join(tmpdir(), 'tokenscope-cert-'));
  try {
    const [key, cert] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '2',
        '-subj',
        '/CN=tokenscope-test',
        '-addext',
        `subjectAltName=${san}`,
      ],
      { stdio: 'pipe' },
    );
    return { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
