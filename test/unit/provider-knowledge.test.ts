/**
 * Provider knowledge from the providers' own sources (issue #21): correct sign-ins of real SDKs raise no false
 * alarm, and the fault of a misconfigured one is still flagged. Fixtures: test/fixtures/responses (SOURCES.md).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { buildReport } from '../../src/core/analysis/index.js';
import { readInput } from '../../src/core/input.js';
import type { CapturedExchange, ExchangeReport, Finding } from '../../src/core/types.js';
import { analyzeFixture } from './fixture-analysis.js';
import { CAPTURED_AT } from './helpers.js';

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
    assert.match(sent?.message ?? '', /the host of groups\.api\.globus\.org, another service/);
  });

  test('the Auth token sent to the SDK default Transfer host is HIGH', () => {
    const e = analyzeFixture('globus-other-tokens', [['access_token', 'https://transfer.api.globusonline.org/v0.10/task_list']]);
    assert.deepEqual(
      only(e, 'token-sent-beyond-audience').map((f) => [f.resourceServer, f.severity]),
      [['auth.globus.org', 'high']],
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
    assert.deepEqual(
      e.resourceServers.map((s) => s.id),
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
