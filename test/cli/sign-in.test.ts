/** The built CLI on a HAR holding a whole sign-in: the authorize redirect, the callback, the token exchange. Run `npm run build` first. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { entry, har, jwt, NOW_S } from '../unit/helpers.js';
import { AUTH0_PKCE, RFC7636_VERIFIER } from '../unit/sign-in-fixtures.js';

const cli = join(import.meta.dirname, '../..', 'dist/tokenscope.mjs');
const dir = mkdtempSync(join(tmpdir(), 'tokenscope-cli-sign-in-'));
const file = join(dir, 'sign-in.har');

function run(args: string[]) {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

before(() => {
  // Auth0's documented authorize request (audience and scopes there only), a code back on the callback, the SDK's token request without scope.
  const authorize = entry({ url: AUTH0_PKCE, status: 302 });
  authorize.response.redirectURL = 'https://app.example.com/callback?code=AUTHCODE';
  const callback = entry({ url: 'https://app.example.com/callback?code=AUTHCODE' });
  const accessToken = jwt({
    iss: 'https://example.us.auth0.com/',
    aud: 'https://api.example.com',
    exp: NOW_S + 3600,
    iat: NOW_S,
    scope: 'openid',
  });
  const token = entry({
    method: 'POST',
    url: 'https://example.us.auth0.com/oauth/token',
    postData: {
      mimeType: 'application/x-www-form-urlencoded',
      text: `grant_type=authorization_code&client_id=AUTH0CLIENT&code=AUTHCODE&code_verifier=${RFC7636_VERIFIER}&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcallback`,
    },
    content: { text: JSON.stringify({ access_token: accessToken, token_type: 'Bearer', scope: 'openid', expires_in: 86400 }) },
  });
  writeFileSync(file, JSON.stringify(har(authorize, callback, token)));
});

test('json: one sign-in joined by PKCE, the dropped scope named with its server', () => {
  const { status, stdout } = run(['analyze', file, '--format', 'json', '--fail-on', 'never']);
  assert.equal(status, 0);
  const report = JSON.parse(stdout);
  assert.equal(report.signIns.length, 1);
  const [signIn] = report.signIns;
  assert.equal(signIn.joinedBy, 'pkce');
  assert.deepEqual(signIn.exchanges, [report.exchanges[0].id]);
  assert.deepEqual(signIn.resourceServers.find((s: { id: string }) => s.id === 'https://api.example.com').dropped, ['read:messages']);
  assert.ok(!stdout.includes('AUTHCODE'), 'the code is kept only as a fingerprint');
});

test('table and markdown show the sign-in with its consent result and the dropped scope', () => {
  const table = run(['analyze', file, '--fail-on', 'never']).stdout;
  assert.match(table, /Sign-in 1 {2}https:\/\/example\.us\.auth0\.com\/authorize \(query\)/);
  assert.match(table, /consent result: code in the query; code exchange joined by PKCE/);
  assert.match(table, /https:\/\/api\.example\.com: requested openid read:messages; granted openid; DROPPED read:messages/);
  const markdown = run(['analyze', file, '--format', 'markdown', '--fail-on', 'never']).stdout;
  assert.match(markdown, /## Sign-ins/);
  assert.match(markdown, /\*\*`read:messages`\*\*/);
});
