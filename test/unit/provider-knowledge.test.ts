/**
 * Provider knowledge from the providers' own sources (issue #21): correct sign-ins of real SDKs raise no false
 * alarm, and the fault of a misconfigured one is still flagged. Fixtures: test/fixtures/responses (SOURCES.md).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ExchangeReport, Finding } from '../../src/core/types.js';
import { analyzeFixture } from './fixture-analysis.js';

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
