/** Parsing bodies and requests as token endpoints and clients really send them. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { MAX_BODY_CHARS } from '../../src/core/limits.js';
import { parseBody, parseRequest } from '../../src/core/parse.js';
import { isSameServer, scopeServer, splitScopes } from '../../src/core/scopes.js';
import { fingerprint, sha256Hex } from '../../src/core/sha256.js';

describe('parseBody', () => {
  test('JSON object, JSON array, form data, empty', () => {
    assert.deepEqual(parseBody('{"access_token":"a"}'), { kind: 'json', value: { access_token: 'a' } });
    assert.equal(parseBody('[{"access_token":"a"}]').kind, 'json');
    const form = parseBody('access_token=gho_1&scope=repo%2Cgist&token_type=bearer\n');
    assert.equal(form.kind, 'form');
    assert.equal(form.kind === 'form' && form.value.scope, 'repo,gist');
    assert.equal(parseBody('  ').kind, 'empty');
    assert.equal(parseBody(null).kind, 'empty');
  });
  test('a body that is neither says where and why, and never throws', () => {
    const cut = parseBody('{"access_token": "abc", "expires');
    assert.equal(cut.kind, 'unparseable');
    assert.match(cut.kind === 'unparseable' ? cut.reason : '', /not valid JSON .*; the body starts "\{\\"access_token/);
    const html = parseBody('<!DOCTYPE html><title>Bad gateway</title>', 'text/html; charset=utf-8');
    assert.match(html.kind === 'unparseable' ? html.reason : '', /neither JSON nor form data \(content type "text\/html; charset=utf-8"\)/);
    const declaredJson = parseBody('access_token=x', 'application/json');
    assert.equal(declaredJson.kind, 'unparseable', 'a body declared JSON must be JSON');
  });
  test('control and bidi characters in the start of a bad body are not echoed raw', () => {
    const hostile = parseBody('\u001b[31m\u202eevil body');
    assert.ok(hostile.kind === 'unparseable' && !/[\u001b\u202e]/.test(hostile.reason));
  });
  test('a huge body is refused with its size, not parsed', () => {
    const huge = parseBody(`{"a":"${'x'.repeat(MAX_BODY_CHARS)}"}`);
    assert.equal(huge.kind, 'unparseable');
    assert.match(huge.kind === 'unparseable' ? huge.reason : '', /over the 1048576-character limit/);
  });
});

describe('parseRequest', () => {
  test('grant type, scopes, repeated resource, audience, client id', () => {
    const body =
      'grant_type=authorization_code&scope=openid+profile+api%3Aread&resource=https%3A%2F%2Fa.test&resource=https%3A%2F%2Fb.test&audience=https%3A%2F%2Fc.test&client_id=app';
    const request = parseRequest('https://as.test/token', body, { 'content-type': 'application/x-www-form-urlencoded' });
    assert.equal(request.grantType, 'authorization_code');
    assert.deepEqual(request.scopes, ['openid', 'profile', 'api:read']);
    assert.deepEqual(request.resources, ['https://a.test', 'https://b.test', 'https://c.test']);
    assert.equal(request.clientId, 'app');
  });
  test('secrets become fingerprints, never values', () => {
    const body =
      'grant_type=authorization_code&code=SplxlOBeZQQYbYS6WxSbIA&code_verifier=dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk&client_secret=s3cret&refresh_token=tGzv3JOkF0XG5Qx2TlKWIA';
    const request = parseRequest('https://as.test/token', body);
    const text = JSON.stringify(request);
    for (const secret of ['SplxlOBeZQQYbYS6WxSbIA', 'dBjftJeZ4CVP', 's3cret', 'tGzv3JOkF0XG5Qx2TlKWIA'])
      assert.ok(!text.includes(secret), secret);
    assert.equal(request.redacted.code, fingerprint('SplxlOBeZQQYbYS6WxSbIA'));
    assert.deepEqual(Object.keys(request.redacted).sort(), ['client_secret', 'code', 'code_verifier', 'refresh_token']);
  });
  test('JSON request bodies (Auth0) and Basic client authentication (RFC 6749 s2.3.1)', () => {
    const json = parseRequest(
      'https://t.auth0.com/oauth/token',
      '{"grant_type":"client_credentials","audience":"https://api.test","client_id":"abc","client_secret":"xyz"}',
      { 'content-type': 'application/json' },
    );
    assert.deepEqual([json.grantType, json.resources, json.clientId], ['client_credentials', ['https://api.test'], 'abc']);
    assert.ok(!JSON.stringify(json).includes('xyz'));
    const basic = parseRequest('https://as.test/token', 'grant_type=client_credentials', {
      authorization: `Basic ${Buffer.from('s6BhdRkqt3:7Fjfp0ZBr1KtDRbnfVdmIw').toString('base64')}`,
    });
    assert.equal(basic.clientId, 's6BhdRkqt3');
    assert.ok(!JSON.stringify(basic).includes('7Fjfp0ZBr1KtDRbnfVdmIw'));
  });
});

describe('scopes', () => {
  test('space-, comma-, array- and URL-encoded scope values', () => {
    assert.deepEqual(splitScopes('openid profile  email'), ['openid', 'profile', 'email']);
    assert.deepEqual(splitScopes('repo,gist'), ['repo', 'gist']);
    assert.deepEqual(splitScopes(['a', 'b', 3]), ['a', 'b']);
    assert.deepEqual(splitScopes('openid%20profile'), ['openid', 'profile']);
    assert.deepEqual(splitScopes('repo%2Cgist'), ['repo', 'gist']);
    assert.deepEqual(splitScopes(null), []);
  });
  test('the resource server a scope names', () => {
    const table: Array<[string, string | null]> = [
      ['urn:globus:auth:scope:transfer.api.globus.org:all', 'transfer.api.globus.org'],
      ['https://auth.globus.org/scopes/0c7ee169-cefc-4a23-81e1-dc323307c863/https', '0c7ee169-cefc-4a23-81e1-dc323307c863'],
      ['https://graph.microsoft.com/User.Read', 'https://graph.microsoft.com'],
      ['https://graph.microsoft.com/.default', 'https://graph.microsoft.com'],
      ['api://11111111-2222-3333-4444-555555555555/access_as_user', 'api://11111111-2222-3333-4444-555555555555'],
      ['orders-api/read', 'orders-api'],
      ['openid', null],
      ['read:messages', null],
      ['repo', null],
    ];
    for (const [scope, server] of table) assert.equal(scopeServer(scope), server, scope);
  });
  test('server identifiers compare by scheme, host and path, not by spelling', () => {
    assert.ok(isSameServer('transfer.api.globus.org', 'https://transfer.api.globus.org/'));
    assert.ok(isSameServer('HTTPS://API.example.test/', 'https://api.example.test'));
    assert.ok(!isSameServer('https://api.example.test/v1', 'https://api.example.test'));
    assert.ok(!isSameServer('account', 'https://kc.test/realms/x'));
  });
});

describe('sha256', () => {
  test('matches node:crypto on arbitrary text, including non-ASCII and block boundaries', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (text) => {
        assert.equal(sha256Hex(text), createHash('sha256').update(text, 'utf8').digest('hex'));
      }),
      { numRuns: 300 },
    );
    for (const length of [0, 55, 56, 63, 64, 65, 119, 120, 1000]) {
      const text = 'a'.repeat(length);
      assert.equal(sha256Hex(text), createHash('sha256').update(text).digest('hex'), `length ${length}`);
    }
  });
});
