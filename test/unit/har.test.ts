/** HAR 1.2 as Chromium and Firefox save it: picking out token exchanges and introspection. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildReport } from '../../src/core/analysis/index.js';
import { exchangesFromHar, HarError } from '../../src/core/har.js';
import { InputError, readInput } from '../../src/core/input.js';
import { fingerprint } from '../../src/core/sha256.js';
import { entry, har, jwt, NOW_S } from './helpers.js';

const tokenBody = JSON.stringify({
  access_token: 'opaque-at-1',
  token_type: 'Bearer',
  expires_in: 3600,
  scope: 'urn:globus:auth:scope:transfer.api.globus.org:all',
  resource_server: 'transfer.api.globus.org',
});
const tokenPost = { mimeType: 'application/x-www-form-urlencoded', text: 'grant_type=authorization_code&code=abc&client_id=app' };

describe('exchangesFromHar', () => {
  test('picks token exchanges only; API calls with Bearer headers and token-ish JSON are not exchanges', () => {
    const exchanges = exchangesFromHar(
      har(
        entry({ url: 'https://app.test/index.html', content: { mimeType: 'text/html', text: '<html>access_token</html>' } }),
        entry({
          url: 'https://api.test/items',
          requestHeaders: [{ name: 'Authorization', value: `Bearer ${jwt({ aud: 'x' })}` }],
          content: { text: '{"token_count":3,"tokens":[]}' },
        }),
        entry({ method: 'POST', url: 'https://auth.globus.org/v2/oauth2/token', postData: tokenPost, content: { text: tokenBody } }),
        entry({ url: 'https://app.test/logo.png', content: { mimeType: 'image/png', encoding: 'base64', text: 'iVBORw0KGgo=' } }),
      ),
    );
    assert.equal(exchanges.length, 1);
    assert.equal(exchanges[0]?.url, 'https://auth.globus.org/v2/oauth2/token');
    assert.equal(exchanges[0]?.request.body, tokenPost.text);
    assert.equal(exchanges[0]?.source, 'har');
  });
  test('Firefox postData.params without text, and base64 response content', () => {
    const [exchange] = exchangesFromHar(
      har(
        entry({
          method: 'POST',
          url: 'https://idp.test/oauth2/v1/token',
          postData: {
            mimeType: 'application/x-www-form-urlencoded',
            params: [
              { name: 'grant_type', value: 'refresh_token' },
              { name: 'scope', value: 'openid api' },
            ],
          },
          content: { encoding: 'base64', text: Buffer.from(tokenBody).toString('base64') },
        }),
      ),
    );
    assert.equal(exchange?.request.body, 'grant_type=refresh_token&scope=openid+api');
    assert.equal(exchange?.response.body, tokenBody);
  });
  test('a body the HAR did not save is said so, not shown as an empty success', () => {
    const report = buildReport(
      exchangesFromHar(har(entry({ method: 'POST', url: 'https://idp.test/token', postData: tokenPost, content: {} }))),
    );
    assert.equal(report.exchanges.length, 1);
    assert.match(report.exchanges[0]?.notes[0] ?? '', /Body not captured/);
    assert.equal(report.exchanges[0]?.resourceServers.length, 0);
  });
  test('a token-shaped response without a grant_type (implicit-style session endpoint) is still picked out', () => {
    const exchanges = exchangesFromHar(
      har(entry({ url: 'https://app.test/session', content: { text: '{"access_token":"x","token_type":"Bearer"}' } })),
    );
    assert.equal(exchanges.length, 1);
  });
  test('an OIDC discovery document (which lists "id_token" as a response type) is not an exchange', () => {
    const discovery = JSON.stringify({
      issuer: 'https://idp.test',
      response_types_supported: ['code', 'id_token', 'code id_token'],
      token_endpoint: 'https://idp.test/token',
    });
    assert.equal(
      exchangesFromHar(har(entry({ url: 'https://idp.test/.well-known/openid-configuration', content: { text: discovery } }))).length,
      0,
    );
  });
  test('not a HAR: a clear error', () => {
    assert.throws(() => exchangesFromHar({ entries: [] }), HarError);
  });
});

describe('Bearer uses', () => {
  test('requests carrying Authorization: Bearer are read as uses of that token (fingerprint only), not as exchanges', () => {
    const input = readInput(
      JSON.stringify(
        har(
          entry({ method: 'POST', url: 'https://auth.globus.org/v2/oauth2/token', postData: tokenPost, content: { text: tokenBody } }),
          entry({
            url: 'https://groups.api.globus.org/v2/groups/my_groups',
            requestHeaders: [{ name: 'Authorization', value: 'Bearer opaque-at-1' }],
            content: { text: '[]' },
          }),
        ),
      ),
      'uses.har',
      '2026-01-10T10:00:00Z',
    );
    assert.equal(input.kind, 'har');
    if (input.kind !== 'har') return;
    assert.equal(input.exchanges.length, 1);
    assert.deepEqual(input.bearerUses, [
      {
        url: 'https://groups.api.globus.org/v2/groups/my_groups',
        method: 'GET',
        fingerprint: fingerprint('opaque-at-1'),
        at: '2026-01-10T10:00:00.000Z',
        scheme: 'bearer',
      },
    ]);
    const report = buildReport(input.exchanges, { bearerUses: input.bearerUses });
    assert.deepEqual(
      report.exchanges[0]?.findings.filter((f) => f.rule === 'token-sent-beyond-audience').map((f) => f.resourceServer),
      ['transfer.api.globus.org'],
    );
  });
});

describe('introspection (RFC 7662)', () => {
  test('links an introspection answer to the opaque token issued earlier and checks its aud', () => {
    const report = buildReport(
      exchangesFromHar(
        har(
          entry({ method: 'POST', url: 'https://auth.globus.org/v2/oauth2/token', postData: tokenPost, content: { text: tokenBody } }),
          entry({
            method: 'POST',
            url: 'https://auth.globus.org/v2/oauth2/token/introspect',
            postData: { mimeType: 'application/x-www-form-urlencoded', text: 'token=opaque-at-1' },
            content: {
              text: JSON.stringify({
                active: true,
                aud: ['transfer.api.globus.org', '0c7ee169-cefc-4a23-81e1-dc323307c863', 'groups.api.globus.org'],
                scope: 'urn:globus:auth:scope:transfer.api.globus.org:all',
                exp: NOW_S + 3600,
                client_id: 'app',
              }),
            },
          }),
        ),
      ),
    );
    const introspection = report.exchanges[1];
    assert.equal(introspection?.kind, 'introspection');
    assert.equal(introspection?.resourceServers[0]?.id, 'transfer.api.globus.org');
    assert.equal(introspection?.resourceServers[0]?.tokens[0]?.fingerprint, fingerprint('opaque-at-1'));
    const beyond = introspection?.findings.filter((f) => f.rule === 'audience-beyond-server') ?? [];
    assert.deepEqual(
      beyond.map((f) => f.evidence.extraAudience),
      ['groups.api.globus.org'],
      'the client id is an alias of the resource server at Globus; groups is another server',
    );
    assert.ok(!JSON.stringify(report).includes('opaque-at-1'), 'the introspected token never appears in the report');
  });
});

describe('readInput', () => {
  test('tells HAR, report, exchange and raw response apart', () => {
    assert.equal(readInput(JSON.stringify(har()), 'a.har', '2026-01-01T00:00:00Z').kind, 'har');
    assert.equal(readInput(JSON.stringify(buildReport([])), 'r.json', '2026-01-01T00:00:00Z').kind, 'report');
    assert.equal(
      readInput(
        JSON.stringify({ request: { body: 'grant_type=x' }, response: { status: 200, body: '{}' } }),
        'x.json',
        '2026-01-01T00:00:00Z',
      ).kind,
      'exchange',
    );
    assert.equal(readInput('{"access_token":"x"}', 'raw.json', '2026-01-01T00:00:00Z').kind, 'response');
    assert.equal(readInput('access_token=x&token_type=bearer', 'raw.txt', '2026-01-01T00:00:00Z').kind, 'response');
  });
  test('a cut-off HAR is an unreadable input with a one-line reason', () => {
    const text = JSON.stringify(har(entry({ url: 'https://a.test/' }))).slice(0, 200);
    assert.throws(
      () => readInput(text, 'cut.har', '2026-01-01T00:00:00Z'),
      (error: unknown) =>
        error instanceof InputError &&
        /cut\.har is not valid JSON .*HAR file complete/.test(error.message) &&
        !error.message.includes('\n'),
    );
    assert.throws(() => readInput('', 'empty.har', '2026-01-01T00:00:00Z'), InputError);
  });
});
