/**
 * Provider knowledge from the providers' own sources (issue #21): correct sign-ins of real SDKs raise no false
 * alarm, and the fault of a misconfigured one is still flagged. Fixtures: test/fixtures/responses (SOURCES.md).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { buildReport } from '../../src/core/analysis/index.js';
import { tokenMap } from '../../src/core/analysis/token-map.js';
import type { SignInReport } from '../../src/core/sign-in/types.js';
import { verdictLine } from '../../src/ui/format.js';
import { readInput } from '../../src/core/input.js';
import type { CapturedExchange, ExchangeReport, Finding } from '../../src/core/types.js';
import { analyzeFixture, analyzeFixtureReport } from './fixture-analysis.js';
import { fingerprint } from '../../src/core/sha256.js';
import { CAPTURED_AT, exchange } from './helpers.js';

const only = (e: ExchangeReport, rule: string): Finding[] => e.findings.filter((f) => f.rule === rule);
const atLeastLow = (e: ExchangeReport) => e.findings.filter((f) => f.severity !== 'info').map((f) => `${f.severity}:${f.rule}`);

describe('Globus: each resource server at the hosts the Globus SDK calls it', () => {
  test('a Transfer token sent to transfer.api.globusonline.org (the SDK default host) is within its server', () => {
    // npm @globus/sdk 6.2, dist/esm/services/transfer/config.js: HOSTS.production = 'transfer.api.globusonline.org'.
    const e = analyzeFixture('globus-other-tokens', [
      ['other_tokens.0.access_token', 'https://transfer.api.globusonline.org/v0.10/endpoint_search?filter_scope=my-endpoints'],
      ['other_tokens.0.access_token', 'https://transfer.api.globus.org/v0.10/task_list'],
      ['access_token', 'https://auth.globus.org/v2/oauth2/userinfo'],
    ]);
    assert.equal(e.provider, 'globus');
    assert.deepEqual(only(e, 'token-sent-beyond-audience'), []);
    const transfer = e.resourceServers.find((s) => s.id === 'transfer.api.globus.org');
    assert.deepEqual(
      transfer?.tokens.find((t) => t.kind === 'access')?.sentTo?.map((s) => s.url),
      ['https://transfer.api.globusonline.org/v0.10/endpoint_search', 'https://transfer.api.globus.org/v0.10/task_list'],
    );
  });

  test('a Transfer token sent to Groups is HIGH: another Globus service, though on the same site', () => {
    const e = analyzeFixture('globus-other-tokens', [['other_tokens.0.access_token', 'https://groups.api.globus.org/v2/groups/my_groups']]);
    const [sent] = only(e, 'token-sent-beyond-audience');
    assert.equal(sent?.severity, 'high');
    assert.equal(sent?.lowered, undefined);
    assert.equal(sent?.evidence.hostOf, 'groups.api.globus.org');
    assert.match(sent?.message ?? '', /to groups\.api\.globus\.org, another service of the same provider it was not issued for/);
  });

  test('the Auth token sent to the SDK default Transfer host is HIGH', () => {
    const e = analyzeFixture('globus-other-tokens', [['access_token', 'https://transfer.api.globusonline.org/v0.10/task_list']]);
    assert.deepEqual(
      only(e, 'token-sent-beyond-audience').map((f) => [f.resourceServer, f.severity]),
      [['auth.globus.org', 'high']],
    );
  });

  test('the CLI reads the SDK calls from a HAR: the default Transfer host is clean, the Transfer token at Groups is HIGH', () => {
    const report = (name: string) => {
      const input = readInput(readFileSync(join(import.meta.dirname, '../fixtures/har', `${name}.har`), 'utf8'), name, CAPTURED_AT);
      assert.equal(input.kind, 'har');
      return input.kind === 'har' ? buildReport(input.exchanges, { bearerUses: input.bearerUses }) : null;
    };
    const correct = report('globus-sdk-transfer');
    assert.deepEqual(correct?.summary.findings, { high: 0, medium: 0, low: 0, info: 2 });
    const misconfigured = report('globus-transfer-token-to-groups');
    assert.deepEqual(
      misconfigured?.exchanges[0]?.findings.filter((f) => f.severity !== 'info').map((f) => [f.rule, f.severity, f.evidence.sentTo]),
      [['token-sent-beyond-audience', 'high', 'GET https://groups.api.globus.org/v2/groups/my_groups']],
    );
  });

  test('a Transfer token sent to an unknown host on globus.org stays one step lower (same site)', () => {
    const e = analyzeFixture('globus-other-tokens', [['other_tokens.0.access_token', 'https://www.globus.org/x']]);
    assert.deepEqual(atLeastLow(e), ['medium:token-sent-beyond-audience']);
  });
});

/** The fixture's access token with its `aud` replaced, as a misconfigured tenant would issue it. */
function withAudience(name: string, aud: unknown): CapturedExchange {
  const text = readFileSync(join(import.meta.dirname, '../fixtures/responses', `${name}.json`), 'utf8');
  const input = readInput(text, name, CAPTURED_AT);
  const captured = (input.kind === 'exchange' ? input.exchanges[0] : undefined) as CapturedExchange;
  const body = JSON.parse(captured.response.body ?? '{}');
  const [header, payload, signature] = String(body.access_token).split('.');
  const claims = { ...JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()), aud };
  body.access_token = [header, Buffer.from(JSON.stringify(claims)).toString('base64url'), signature].join('.');
  return { ...captured, response: { ...captured.response, body: JSON.stringify(body) } };
}

describe('Auth0 on a custom domain: <issuer>/userinfo is the known extra audience', () => {
  test('openid + an API audience: one server, the userinfo audience low and explained, nothing higher', () => {
    const e = analyzeFixture('auth0-custom-domain-userinfo');
    assert.equal(e.provider, 'auth0', 'recognised by /oauth/token and <issuer>/userinfo in aud, though no name says auth0');
    assert.deepEqual(
      e.resourceServers.filter((s) => s.resolvedBy !== 'client').map((s) => s.id),
      ['https://api.example-shop.com/'],
    );
    assert.deepEqual(atLeastLow(e), ['low:audience-beyond-server']);
    const [extra] = only(e, 'audience-beyond-server');
    assert.equal(extra?.evidence.extraAudience, 'https://login.example-shop.com/userinfo');
    assert.match(extra?.explanation ?? '', /Auth0 adds its \/userinfo/);
  });

  test('a second API in aud is still HIGH, and so is the userinfo of another domain than the issuer', () => {
    const twoApis = buildReport([
      withAudience('auth0-custom-domain-userinfo', [
        'https://api.example-shop.com/',
        'https://payments.example-shop.com/',
        'https://login.example-shop.com/userinfo',
      ]),
    ]).exchanges[0] as ExchangeReport;
    assert.deepEqual(atLeastLow(twoApis), ['high:audience-beyond-server', 'low:audience-beyond-server']);
    const foreign = buildReport([
      withAudience('auth0-custom-domain-userinfo', ['https://api.example-shop.com/', 'https://login.other-shop.example/userinfo']),
    ]).exchanges[0] as ExchangeReport;
    assert.deepEqual(
      only(foreign, 'audience-beyond-server').map((f) => f.severity),
      ['high'],
    );
  });
});

/** The fixture's access token with claims changed (a misconfigured app, another token version), re-signed with the placeholder. */
function withAccessClaims(name: string, change: Record<string, unknown>, request?: (form: URLSearchParams) => void): CapturedExchange {
  const captured = withAudience(name, undefined);
  const original = readInput(readFileSync(join(import.meta.dirname, '../fixtures/responses', `${name}.json`), 'utf8'), name, CAPTURED_AT);
  const body = JSON.parse((original.kind === 'exchange' ? original.exchanges[0]?.response.body : null) ?? '{}');
  const [header, payload, signature] = String(body.access_token).split('.');
  const claims = { ...JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()), ...change };
  body.access_token = [header, Buffer.from(JSON.stringify(claims)).toString('base64url'), signature].join('.');
  const form = new URLSearchParams(captured.request.body ?? '');
  request?.(form);
  return {
    ...captured,
    request: { ...captured.request, body: form.toString() },
    response: { ...captured.response, body: JSON.stringify(body) },
  };
}
const analyzeOne = (captured: CapturedExchange) => buildReport([captured]).exchanges[0] as ExchangeReport;
const ORDERS_API_ID = 'f2d9c6a8-1b3e-4c5d-9e7f-a0b1c2d3e4f5';

describe('Entra ID v2: an API asked for by its Application ID URI, its token aud the API application id', () => {
  test('msal-browser, api://orders-api/Orders.Read: the server is api://orders-api with the GUID beside it, no finding at or over low', () => {
    const e = analyzeFixture('entra-v2-app-id-uri');
    assert.equal(e.provider, 'entra');
    const [api] = e.resourceServers;
    assert.equal(api?.id, 'api://orders-api');
    assert.deepEqual(api?.aliases, [ORDERS_API_ID]);
    assert.deepEqual([api?.resolvedBy, api?.confidence], ['aud', 'token']);
    assert.deepEqual(atLeastLow(e), []);
  });

  test('a v1.0 token carries the App ID URI itself in aud: the same server, no alias needed', () => {
    const e = analyzeOne(withAccessClaims('entra-v2-app-id-uri', { aud: 'api://orders-api', ver: '1.0' }));
    assert.equal(e.resourceServers[0]?.id, 'api://orders-api');
    assert.equal(e.resourceServers[0]?.aliases, undefined);
    assert.deepEqual(atLeastLow(e), []);
  });

  test('an application token (client credentials, .default, roles) is named the same way', () => {
    const captured = withAccessClaims('entra-v2-app-id-uri', { scp: undefined, roles: ['Orders.Read.All'] }, (form) => {
      form.set('grant_type', 'client_credentials');
      form.set('scope', 'api://orders-api/.default');
    });
    const body = JSON.parse(captured.response.body ?? '{}');
    delete body.id_token;
    delete body.refresh_token;
    body.scope = 'api://orders-api/.default';
    const e = analyzeOne({ ...captured, response: { ...captured.response, body: JSON.stringify(body) } });
    assert.deepEqual(
      e.resourceServers.map((s) => [s.id, s.aliases]),
      [['api://orders-api', [ORDERS_API_ID]]],
    );
    assert.deepEqual(atLeastLow(e), []);
  });

  test('a token whose aud is another API (its scopes not the ones asked for) is still flagged, under its GUID', () => {
    const other = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
    const e = analyzeOne(withAccessClaims('entra-v2-app-id-uri', { aud: other, scp: 'Payments.Write' }));
    assert.equal(e.resourceServers[0]?.id, other);
    assert.equal(e.resourceServers[0]?.aliases, undefined);
    assert.deepEqual(atLeastLow(e), ['medium:scope-beyond-server']);
  });

  test('an app asking api://<client id>/... gets a token for another application id: still flagged', () => {
    const asked = 'api://0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d/Orders.Read';
    const captured = withAccessClaims('entra-v2-app-id-uri', {}, (form) => form.set('scope', `${asked} openid`));
    const body = { ...JSON.parse(captured.response.body ?? '{}'), scope: asked };
    const e = analyzeOne({ ...captured, response: { ...captured.response, body: JSON.stringify(body) } });
    assert.equal(e.resourceServers[0]?.id, ORDERS_API_ID);
    assert.deepEqual(atLeastLow(e), ['medium:scope-beyond-server']);
  });

  test('Graph: its application id is https://graph.microsoft.com (delegated scp); an unknown GUID is never named Graph', () => {
    const graph = analyzeOne(
      withAccessClaims('entra-v2-app-id-uri', { aud: '00000003-0000-0000-c000-000000000000', scp: 'User.Read' }, (form) =>
        form.set('scope', 'https://graph.microsoft.com/User.Read openid profile offline_access'),
      ),
    );
    assert.equal(graph.resourceServers[0]?.id, 'https://graph.microsoft.com');
    const notGraph = analyzeOne(
      withAccessClaims('entra-v2-app-id-uri', { scp: 'User.Read' }, (form) =>
        form.set('scope', 'https://graph.microsoft.com/User.Read openid'),
      ),
    );
    assert.equal(notGraph.resourceServers[0]?.id, ORDERS_API_ID);
  });
});

describe('ID tokens are filed under the client they were issued to, not under an API', () => {
  test('msal-browser: the API holds the access and refresh tokens, the client (the ID token aud) the ID token', () => {
    const e = analyzeFixture('entra-v2-app-id-uri');
    assert.deepEqual(
      e.resourceServers.map((s) => [s.id, s.resolvedBy, s.confidence, s.tokens.map((t) => t.kind)]),
      [
        ['api://orders-api', 'aud', 'token', ['access', 'refresh']],
        ['b9c3a1e2-5d4f-4a6b-8c7d-0e1f2a3b4c5d', 'client', 'token', ['id']],
      ],
    );
    const report = analyzeFixtureReport('entra-v2-app-id-uri');
    assert.equal(report.summary.resourceServers, 1, 'the client is no resource server');
    assert.equal(report.summary.tokens, 3);
  });

  test('Auth0 and Globus alike; the API never lists the ID token', () => {
    for (const name of ['auth0-custom-domain-userinfo', 'globus-other-tokens']) {
      const e = analyzeFixture(name);
      const client = e.resourceServers.find((s) => s.resolvedBy === 'client');
      assert.equal(client?.id, e.request.clientId, name);
      assert.ok(
        e.resourceServers.filter((s) => s !== client).every((s) => s.tokens.every((t) => t.kind !== 'id')),
        name,
      );
    }
  });

  test('an ID token issued to another client is still flagged (id-token-audience), filed under the client it names', () => {
    const captured = withAudience('entra-v2-app-id-uri', undefined);
    const body = JSON.parse(captured.response.body ?? '{}');
    const [header, payload, signature] = String(body.id_token).split('.');
    const claims = { ...JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()), aud: 'someone-elses-client' };
    body.id_token = [header, Buffer.from(JSON.stringify(claims)).toString('base64url'), signature].join('.');
    const e = analyzeOne({ ...captured, response: { ...captured.response, body: JSON.stringify(body) } });
    const [finding] = only(e, 'id-token-audience');
    assert.equal(finding?.severity, 'medium', "the catalogue's severity, as before");
    assert.equal(finding?.resourceServer, 'someone-elses-client');
  });
});

describe('Globus services named by a client id or an old name are judged at their SDK hosts', () => {
  const timers = '524230d7-ea86-4a52-8312-86065a9e0417';
  const response = {
    access_token: 'auth-at',
    resource_server: 'auth.globus.org',
    scope: 'openid',
    token_type: 'Bearer',
    other_tokens: [
      { access_token: 'timers-at', resource_server: timers, scope: `https://auth.globus.org/scopes/${timers}/timer`, token_type: 'Bearer' },
      {
        access_token: 'compute-at',
        resource_server: 'funcx_service',
        scope: 'https://auth.globus.org/scopes/facd7ccc-c5f4-42aa-916b-a0e270e2c2a9/all',
        token_type: 'Bearer',
      },
    ],
  };
  const use = (token: string, url: string) => ({ url, method: 'GET', fingerprint: fingerprint(token), at: CAPTURED_AT });
  test('Timers at timer.automate.globus.org and Compute at compute.api.globus.org are clean; swapped, both are HIGH', () => {
    const captured = exchange(response, {}, { url: 'https://auth.globus.org/v2/oauth2/token' });
    const clean = buildReport([captured], {
      bearerUses: [
        use('timers-at', 'https://timer.automate.globus.org/v2/timer'),
        use('compute-at', 'https://compute.api.globus.org/v2/endpoints'),
      ],
    }).exchanges[0] as ExchangeReport;
    assert.deepEqual(only(clean, 'token-sent-beyond-audience'), []);
    const swapped = buildReport([captured], {
      bearerUses: [
        use('timers-at', 'https://compute.api.globus.org/v2/endpoints'),
        use('compute-at', 'https://timer.automate.globus.org/v2/timer'),
      ],
    }).exchanges[0] as ExchangeReport;
    assert.deepEqual(
      only(swapped, 'token-sent-beyond-audience').map((f) => [f.resourceServer, f.severity]),
      [
        [timers, 'high'],
        ['funcx_service', 'high'],
      ],
    );
  });
});

describe('the sign-in map names the Entra API by its App ID URI, its application id beside it, and the client apart', () => {
  test('map servers: api://orders-api with its aud alias, then the client', () => {
    const report = analyzeFixtureReport('entra-v2-app-id-uri');
    const map = tokenMap(report.signIns[0] as SignInReport, report.exchanges);
    assert.deepEqual(
      map.servers.map((s) => [s.id, s.aliases ?? null, s.client ?? false]),
      [
        ['api://orders-api', [ORDERS_API_ID], false],
        ['b9c3a1e2-5d4f-4a6b-8c7d-0e1f2a3b4c5d', null, true],
      ],
    );
    assert.equal(verdictLine(map), 'nothing wrong found: 2 tokens for 1 resource server');
  });
});
