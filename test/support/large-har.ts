/**
 * HARs for tests and benchmarks about size: token exchanges and their Bearer uses, and a HAR of
 * any size written to a file piece by piece (never held whole).
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { API, entry, jwt, NOW_S } from './builders.js';

const tokenPost = (resource: string) => ({
  mimeType: 'application/x-www-form-urlencoded',
  text: `grant_type=authorization_code&code=abc&client_id=app&resource=${encodeURIComponent(resource)}`,
});
export const accessToken = (n: number) =>
  jwt({ iss: 'https://as.example.test/', aud: API, exp: NOW_S + 3600, iat: NOW_S, sub: `user-${n}`, client_id: 'app' });

/** A token exchange issuing `accessToken(n)` for the API. */
export function tokenEntry(n: number) {
  const body = JSON.stringify({ access_token: accessToken(n), token_type: 'Bearer', expires_in: 3600 });
  return entry({ method: 'POST', url: `https://as.example.test/oauth2/token?n=${n}`, postData: tokenPost(API), content: { text: body } });
}

/** That token sent as Bearer to a host outside its server (token-sent-beyond-audience). */
export function bearerEntry(n: number) {
  return entry({
    url: `https://elsewhere.example.test/data/${n}`,
    requestHeaders: [{ name: 'Authorization', value: `Bearer ${accessToken(n)}` }],
  });
}

/** Writes a HAR of at least `bytes` bytes without holding it: 1 MiB image entries, a token exchange and its Bearer use every 40. */
export function writeLargeHar(file: string, bytes: number): { exchanges: number } {
  const image = JSON.stringify(
    entry({
      url: 'https://cdn.example.test/img.png',
      content: { mimeType: 'image/png', encoding: 'base64', text: Buffer.alloc(768 * 1024, 7).toString('base64') },
    }),
  );
  const fd = openSync(file, 'w');
  let written = writeSync(fd, '{"log": {"version": "1.2", "creator": {"name": "test", "version": "1"}, "entries": [\n');
  let exchanges = 0;
  for (let i = 0; written < bytes; i++) {
    let piece = i === 0 ? image : `,\n${image}`;
    if (i % 40 === 20) {
      exchanges++;
      piece += `,\n${JSON.stringify(tokenEntry(exchanges))},\n${JSON.stringify(bearerEntry(exchanges))}`;
    }
    written += writeSync(fd, piece);
  }
  writeSync(fd, '\n]}}\n');
  closeSync(fd);
  return { exchanges };
}
