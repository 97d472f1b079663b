/**
 * Real token responses (test/fixtures/responses, each naming its source in the
 * file and in SOURCES.md) through the whole analysis, as the CLI reads them.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { buildReport } from '../../src/core/analysis/index.js';
import { readInput } from '../../src/core/input.js';
import type { ExchangeReport, RuleId } from '../../src/core/types.js';

const dir = join(import.meta.dirname, '../fixtures/responses');

interface Fixture {
  source: string;
  capturedAt: string;
  response: { body: string };
}

function load(name: string): { fixture: Fixture; exchange: ExchangeReport } {
  const text = readFileSync(join(dir, `${name}.json`), 'utf8');
  const input = readInput(text, name, '2000-01-01T00:00:00Z');
  assert.equal(input.kind, 'exchange');
  const report = buildReport(input.kind === 'exchange' ? input.exchanges : [], { showTokens: true });
  return { fixture: JSON.parse(text), exchange: report.exchanges[0] as ExchangeReport };
}
const servers = (e: ExchangeReport) => e.resourceServers.map((s) => [s.id, s.resolvedBy]);
const serversWithConfidence = (e: ExchangeReport) => e.resourceServers.map((s) => [s.id, s.resolvedBy, s.confidence]);
const ruleList = (e: ExchangeReport) => e.findings.map((f) => `${f.severity}:${f.rule}`).sort();
const has = (e: ExchangeReport, rule: RuleId) => e.findings.filter((f) => f.rule === rule);

test('every fixture names its source', () => {
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  assert.ok(files.length >= 14);
  for (const file of files) {
    const fixture = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    assert.ok(typeof fixture.source === 'string' && fixture.source.length > 20, file);
  }
});

/** globus-sdk's OAuthTokenResponse.by_resource_server, written from its definition: [data] + other_tokens, keyed by resource_server. */
function globusByResourceServer(body: unknown, capturedAt: string) {
  const entries = Array.isArray(body) ? body : [body, ...((body as { other_tokens?: unknown[] }).other_tokens ?? [])];
  const now = Math.floor(Date.parse(capturedAt) / 1000);
  return Object.fromEntries(
    (entries as Array<Record<string, unknown>>).map((e) => [
      e.resource_server,
      {
        scope: e.scope,
        access_token: e.access_token,
        refresh_token: e.refresh_token ?? null,
        token_type: e.token_type ?? null,
        expires_at_seconds: now + Number(e.expires_in ?? 0),
        resource_server: e.resource_server,
      },
    ]),
  );
}
function ourByResourceServer(exchange: ExchangeReport) {
  // Resource servers only: the client, under which the id_token is filed, is none (globus-sdk keeps id_token apart too).
  return Object.fromEntries(
    exchange.resourceServers
      .filter((server) => server.resolvedBy !== 'client')
      .map((server) => {
        const access = server.tokens.find((t) => t.kind === 'access');
        const refresh = server.tokens.find((t) => t.kind === 'refresh');
        return [
          server.id,
          {
            scope: server.scopes.join(' '),
            access_token: access?.value,
            refresh_token: refresh?.value ?? null,
            token_type: access?.tokenType ?? null,
            expires_at_seconds: access?.expiresAt ? Math.floor(Date.parse(access.expiresAt) / 1000) : null,
            resource_server: server.id,
          },
        ];
      }),
  );
}

describe('Globus', () => {
  for (const name of ['globus-other-tokens', 'globus-other-tokens-multi', 'globus-dependent-tokens', 'globus-dependent-tokens-multi']) {
    test(`${name}: grouped exactly as globus-sdk's by_resource_server`, () => {
      const { fixture, exchange } = load(name);
      const expected = globusByResourceServer(JSON.parse(fixture.response.body), fixture.capturedAt);
      assert.deepEqual(ourByResourceServer(exchange), expected);
      assert.deepEqual(Object.keys(ourByResourceServer(exchange)), Object.keys(expected), 'same order');
      assert.ok(exchange.resourceServers.every((s) => s.resolvedBy === 'resource_server' || s.resolvedBy === 'client'));
    });
  }
  test('globus-other-tokens: the id_token is filed under the client it names, not an API; audiences are clean', () => {
    const { exchange } = load('globus-other-tokens');
    assert.deepEqual(servers(exchange), [
      ['auth.globus.org', 'resource_server'],
      ['transfer.api.globus.org', 'resource_server'],
      ['7fb58e00-839d-44e3-8047-10a502612dca', 'client'],
    ]);
    assert.ok(exchange.resourceServers.slice(0, 2).every((server) => server.tokens.every((t) => t.kind !== 'id')));
    const id = exchange.resourceServers[2]?.tokens.find((t) => t.kind === 'id');
    assert.equal(id?.format, 'jwt');
    assert.equal(id?.claims?.iss, 'https://auth.globus.org');
    assert.equal(exchange.provider, 'globus');
    assert.deepEqual(ruleList(exchange), ['info:opaque-token', 'info:opaque-token']);
  });
  test('error-globus: errors[] becomes one error-response with the codes', () => {
    const { exchange } = load('error-globus');
    assert.equal(has(exchange, 'error-response').length, 1);
    assert.ok(Array.isArray(has(exchange, 'error-response')[0]?.evidence.errors));
  });
});

describe('Auth0, Keycloak, Cognito: known patterns lowered and explained', () => {
  test('auth0-userinfo-audience: the API is the server, /userinfo is a low, explained extra audience', () => {
    const { exchange } = load('auth0-userinfo-audience');
    assert.deepEqual(servers(exchange), [['https://api.coin.nl/consumer-api', 'aud']]);
    const [finding] = has(exchange, 'audience-beyond-server');
    assert.equal(finding?.severity, 'low');
    assert.equal(finding?.evidence.extraAudience, 'https://verenigingcoin-dev.eu.auth0.com/userinfo');
    assert.match(finding?.explanation ?? '', /Auth0 adds its \/userinfo/);
  });
  test('keycloak-account-audience: the refresh JWT stays a refresh token; its one audience, account, is its server', () => {
    const { exchange } = load('keycloak-account-audience');
    const tokens = exchange.resourceServers.flatMap((s) => s.tokens);
    const refresh = tokens.find((t) => t.kind === 'refresh');
    assert.equal(refresh?.format, 'jwt');
    assert.equal(refresh?.claims?.typ, 'Refresh');
    assert.equal(tokens.filter((t) => t.kind === 'access').length, 1);
    // aud "account" and nothing else, scopes profile email: the known extra audience is all there is, so it is the
    // server (named by the token), not an audience beyond the realm.
    assert.deepEqual(serversWithConfidence(exchange), [['account', 'aud', 'token']]);
    assert.equal(has(exchange, 'audience-beyond-server').length, 0);
    assert.equal(exchange.provider, 'keycloak');
  });
  test('cognito-no-aud: no-audience is low with the client_id explanation', () => {
    const { exchange } = load('cognito-no-aud');
    const [finding] = has(exchange, 'no-audience');
    assert.equal(finding?.severity, 'low');
    assert.equal(finding?.evidence.client_id, '2qmrop95lcvfjgd9pb8ljfgqr8');
    assert.equal(exchange.resourceServers[0]?.id, 'unknown', 'nothing names the server: said plainly');
  });
});

describe('Entra ID', () => {
  test('entra-v1-resource: resource field, string expires_in, the unsigned v1 id_token is flagged', () => {
    const { exchange } = load('entra-v1-resource');
    assert.deepEqual(servers(exchange), [
      ['https://service.contoso.com/', 'resource'],
      ['2d4d11a2-f814-46a7-890a-274a72a7309e', 'client'],
    ]);
    const access = exchange.resourceServers[0]?.tokens.find((t) => t.kind === 'access');
    assert.equal(access?.claims?.aud, 'https://service.contoso.com/');
    assert.equal(has(exchange, 'audience-beyond-server').length + has(exchange, 'audience-missing-server').length, 0);
    assert.equal(has(exchange, 'unsigned-token')[0]?.tokenKind, 'id');
    assert.deepEqual(
      exchange.resourceServers[0]?.scopes,
      ['https://graph.microsoft.com/mail.read'],
      'URL-encoded scope inside JSON is decoded',
    );
  });
  test("entra-v2: Graph's application id is an alias of https://graph.microsoft.com, not a second audience", () => {
    const { exchange } = load('entra-v2');
    // The token's aud is Graph's application id; the Entra profile reads it as the API it stands for.
    assert.deepEqual(serversWithConfidence(exchange), [
      ['https://graph.microsoft.com', 'aud', 'token'],
      // The id_token names another client than the request's (the docs' two samples differ): filed under the one it names.
      ['6cb04018-a3f5-46a7-b995-940c78f5aef3', 'client', 'token'],
    ]);
    assert.equal(has(exchange, 'audience-beyond-server').length, 0);
    assert.equal(has(exchange, 'scope-beyond-server').length, 0);
    assert.equal(has(exchange, 'scope-diff').length, 0, 'requested and granted Graph scope are the same once decoded');
  });
  test('error-entra: error_codes, trace and correlation ids kept as evidence', () => {
    const { exchange } = load('error-entra');
    const [finding] = has(exchange, 'error-response');
    assert.ok(Array.isArray(finding?.evidence.error_codes));
    assert.ok(typeof finding?.evidence.trace_id === 'string' && typeof finding?.evidence.correlation_id === 'string');
    assert.match(finding?.message ?? '', /^The token endpoint answered 400 invalid_grant: AADSTS70002/);
  });
});

describe('Okta, Google, GitHub, generic', () => {
  test('okta: api://default from aud, id_token audience checked against the client', () => {
    const { exchange } = load('okta');
    assert.equal(exchange.provider, 'okta');
    assert.deepEqual(servers(exchange), [
      ['api://default', 'aud'],
      ['0oazsmpxZpVEg4chS2o4', 'client'],
    ]);
    assert.equal(has(exchange, 'audience-beyond-server').length, 0);
    // The SDK test pairs client "test" with tokens issued to 0oazsmpxZpVEg4chS2o4: exactly what id-token-audience exists for.
    assert.deepEqual(has(exchange, 'id-token-audience')[0]?.evidence.aud, '0oazsmpxZpVEg4chS2o4');
  });
  test('google-opaque: fingerprinted only, server from the googleapis scope', () => {
    const { exchange } = load('google-opaque');
    assert.deepEqual(servers(exchange), [['https://www.googleapis.com', 'scope']]);
    const access = exchange.resourceServers[0]?.tokens.find((t) => t.kind === 'access');
    assert.equal(access?.format, 'opaque');
    assert.equal(access?.claims, null);
    assert.match(access?.fingerprint ?? '', /^sha256:[0-9a-f]{64}$/);
    assert.deepEqual(ruleList(exchange), ['info:opaque-token']);
  });
  test('github-form and github-json: the same grant whichever encoding', () => {
    const form = load('github-form').exchange;
    const json = load('github-json').exchange;
    assert.deepEqual(form.resourceServers[0]?.scopes, ['repo', 'gist']);
    assert.deepEqual(
      form.resourceServers.map((s) => [s.id, s.scopes, s.tokens.map((t) => t.fingerprint)]),
      json.resourceServers.map((s) => [s.id, s.scopes, s.tokens.map((t) => t.fingerprint)]),
    );
  });
  test("non-json: a gateway's HTML error page, said to be one (info, lowered from low), not an exception", () => {
    const { exchange } = load('non-json');
    assert.deepEqual(ruleList(exchange), ['info:unparseable-response']);
    assert.match(exchange.findings[0]?.message ?? '', /HTTP 502 with an HTML error page.*text\/html.*502 Bad Gateway/);
    assert.equal(exchange.findings[0]?.lowered?.from, 'low');
  });
  test('error-oauth: RFC 6749 s5.2', () => {
    assert.deepEqual(ruleList(load('error-oauth').exchange), ['info:error-response']);
  });
});
