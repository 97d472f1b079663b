/**
 * Real responses from providers that name no resource server, and shapes real traffic has
 * (test/fixtures/responses, each with its source in SOURCES.md): for each, the servers a reviewer
 * would expect, how sure each is, and the findings, with the reason beside the assertion.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ExchangeReport, Finding } from '../../src/core/types.js';
import { analyzeFixture } from './fixture-analysis.js';

const analyze = analyzeFixture;
const servers = (e: ExchangeReport) => e.resourceServers.map((s) => [s.id, s.resolvedBy, s.confidence]);
const rules = (e: ExchangeReport) => e.findings.map((f) => `${f.severity}:${f.rule}`).sort();
const only = (e: ExchangeReport, rule: string): Finding[] => e.findings.filter((f) => f.rule === rule);

describe('providers that name no resource server: their documented API, at provider confidence', () => {
  test('slack-oauth-v2: the bot token and the nested authed_user token are both for the Slack Web API', () => {
    const e = analyze('slack-oauth-v2', [['access_token', 'https://slack.com/api/chat.postMessage']]);
    assert.equal(e.provider, 'slack');
    assert.deepEqual(servers(e), [['https://slack.com/api', 'provider', 'provider']]);
    const tokens = e.resourceServers[0]?.tokens ?? [];
    assert.deepEqual(
      tokens.map((t) => [t.kind, t.tokenType]),
      [
        ['access', 'bot'],
        ['access', 'user'],
      ],
      'authed_user is read as an entry of its own, not ignored',
    );
    assert.deepEqual(e.resourceServers[0]?.scopes, ['commands', 'incoming-webhook', 'chat:write']);
    assert.ok(e.notes.some((n) => /authed_user token acts for the user who installed the app/.test(n)));
    // Two opaque tokens: nothing to check locally, said once each; the bot token used on slack.com is within its server.
    assert.deepEqual(rules(e), ['info:opaque-token', 'info:opaque-token']);
  });

  test('slack-token-rotation: the rotated bot token and its xoxe refresh token, both for the Web API', () => {
    const e = analyze('slack-token-rotation');
    assert.deepEqual(servers(e), [['https://slack.com/api', 'provider', 'provider']]);
    assert.deepEqual(
      e.resourceServers[0]?.tokens.map((t) => t.kind),
      ['access', 'refresh'],
    );
    assert.equal(e.resourceServers[0]?.tokens[0]?.expiresAt, '2022-06-01T12:00:00.000Z', 'expires_in 43200 from the capture time');
  });

  test("salesforce-web-server: instance_url is the org's API", () => {
    const e = analyze('salesforce-web-server');
    assert.deepEqual(servers(e), [['https://mycompany.my.salesforce.com', 'provider', 'provider']]);
    assert.deepEqual(rules(e), ['info:opaque-token']);
  });

  test('twitch-scope-array: Helix API; the JSON-array scope read and said', () => {
    const e = analyze('twitch-scope-array');
    assert.deepEqual(servers(e), [['https://api.twitch.tv', 'provider', 'provider']]);
    assert.deepEqual(e.resourceServers[0]?.scopes, ['channel:moderate', 'chat:edit', 'chat:read']);
    assert.ok(e.notes.some((n) => /scope is a JSON array/.test(n)));
  });

  test('reddit-password: oauth.reddit.com, where the quick start then sends it: no finding', () => {
    const e = analyze('reddit-password', [['access_token', 'https://oauth.reddit.com/api/v1/me']]);
    assert.deepEqual(servers(e), [['https://oauth.reddit.com', 'provider', 'provider']]);
    assert.deepEqual(rules(e), ['info:opaque-token']);
  });

  test("spotify-code-flow: the Web API; sent to the developer site's own backend is low, not HIGH", () => {
    const e = analyze('spotify-code-flow', [
      ['access_token', 'https://api.spotify.com/v1/me'],
      ['access_token', 'https://developer.spotify.com/api/dashboard'],
    ]);
    assert.deepEqual(servers(e), [['https://api.spotify.com', 'provider', 'provider']]);
    // provider knowledge is one step below HIGH, the same site (spotify.com) one more: low, with both reasons.
    const [sent] = only(e, 'token-sent-beyond-audience');
    assert.equal(sent?.severity, 'low');
    assert.match(sent?.lowered?.reason ?? '', /same site \(spotify\.com\).*documented API/);
    assert.equal(only(e, 'token-sent-beyond-audience').length, 1, 'api.spotify.com is its own server');
  });

  test('discord-code: identify is an API scope at Discord: the API, not an identity server', () => {
    const e = analyze('discord-code');
    assert.deepEqual(servers(e), [['https://discord.com/api', 'provider', 'provider']]);
  });

  test('dropbox-code: api.dropboxapi.com; content.dropboxapi.com is the same documented API, so no finding', () => {
    const e = analyze('dropbox-code', [['access_token', 'https://content.dropboxapi.com/2/files/download']]);
    assert.deepEqual(servers(e), [['https://api.dropboxapi.com', 'provider', 'provider']]);
    assert.equal(only(e, 'token-sent-beyond-audience').length, 0);
  });

  test('linkedin-code: api.linkedin.com, a 60-day token with no token_type', () => {
    const e = analyze('linkedin-code');
    assert.deepEqual(servers(e), [['https://api.linkedin.com', 'provider', 'provider']]);
    assert.equal(e.resourceServers[0]?.tokens[0]?.tokenType, undefined);
  });

  test('orcid-openid: the sandbox member API; 20-year expires_in said; the id_token names the client', () => {
    const e = analyze('orcid-openid');
    // The id_token is filed under the client it was issued to (its aud), not under the API.
    assert.deepEqual(servers(e), [
      ['https://api.sandbox.orcid.org', 'provider', 'provider'],
      ['APP-CY6IU882C8WLCEVB', 'client', 'token'],
    ]);
    assert.ok(e.notes.some((n) => /631138518 seconds \(about 20 years\)/.test(n)));
    const id = e.resourceServers[1]?.tokens.find((t) => t.kind === 'id');
    assert.equal(id?.claims?.aud, 'APP-CY6IU882C8WLCEVB');
    assert.deepEqual(rules(e), ['info:opaque-token'], 'no id-token-audience: aud is the client that asked');
  });
});

describe("the token's aud, read through the provider's documented names", () => {
  test("zoom-code: aud https://oauth.zoom.us is Zoom's name for api.zoom.us; no finding", () => {
    const e = analyze('zoom-code', [['access_token', 'https://api.zoom.us/v2/users/me']]);
    assert.deepEqual(servers(e), [['https://api.zoom.us', 'aud', 'token']]);
    assert.deepEqual(rules(e), []);
  });

  test('atlassian-code: aud api.atlassian.com, used there as the same file does; no finding', () => {
    const e = analyze('atlassian-code', [['access_token', 'https://api.atlassian.com/ex/jira/11223344/rest/api/3/issue/ABC-1']]);
    assert.equal(e.provider, 'atlassian', 'an auth0.com tenant issues it, but the endpoint is Atlassian');
    assert.deepEqual(servers(e), [['api.atlassian.com', 'aud', 'token']]);
    assert.deepEqual(rules(e), []);
  });

  test('auth0-custom-domain: the API, not the issuer; the tenant /userinfo is low and explained; sent to another site is HIGH', () => {
    const e = analyze('auth0-custom-domain', [['access_token', 'https://api.fluent-forever.app/v1/en-US_es-MX/ugc/sentences']]);
    // Before: resolved to the issuer by scope, and a HIGH said the issuer's token "is also accepted by" the API.
    assert.deepEqual(servers(e), [['https://fluent-forever.com/api/', 'aud', 'token']]);
    const [extra] = only(e, 'audience-beyond-server');
    assert.equal(extra?.severity, 'low');
    assert.equal(extra?.evidence.extraAudience, 'https://fluentforever.auth0.com/userinfo');
    assert.match(extra?.explanation ?? '', /Auth0 adds its \/userinfo/);
    // The token names its API (token confidence) and went to fluent-forever.app, another registrable domain than
    // fluent-forever.com: HIGH. Auth0 API identifiers are names the owner chose; the reviewer confirms the host.
    const [sent] = only(e, 'token-sent-beyond-audience');
    assert.equal(sent?.severity, 'high');
    assert.equal(sent?.lowered, undefined);
  });

  test('identityserver-two-apis: aud ["api1","api2"] names both servers, one HIGH for the shared token, no double count', () => {
    const e = analyze('identityserver-two-apis', [['access_token', 'https://localhost:44353/identity']]);
    assert.deepEqual(servers(e), [
      ['api1', 'aud', 'token'],
      ['api2', 'aud', 'token'],
    ]);
    assert.deepEqual(rules(e), ['high:audience-beyond-server'], 'token-shared-across-servers does not repeat it');
    assert.deepEqual(only(e, 'audience-beyond-server')[0]?.evidence.resourceServers, ['api1', 'api2']);
    // api1 and api2 name no host: where the token may go cannot be compared, so the call to :44353 is not judged.
  });

  test("entra-v2 is covered in fixtures.test.ts: Graph's application id read as https://graph.microsoft.com", () => {
    const e = analyze('entra-v2');
    assert.deepEqual(servers(e), [
      ['https://graph.microsoft.com', 'aud', 'token'],
      ['6cb04018-a3f5-46a7-b995-940c78f5aef3', 'client', 'token'],
    ]);
  });
});

describe('RFC 8693 token exchange', () => {
  test('orcid-token-exchange: issued_token_type access_token is an access token, kept as said', () => {
    const e = analyze('orcid-token-exchange');
    assert.deepEqual(servers(e), [['https://api.sandbox.orcid.org', 'provider', 'provider']]);
    const access = e.resourceServers[0]?.tokens[0];
    assert.equal(access?.kind, 'access');
    assert.equal(access?.issuedTokenType, 'urn:ietf:params:oauth:token-type:access_token');
    assert.ok(e.request.redacted.subject_token?.startsWith('sha256:'), 'the id_token sent as subject_token is only a fingerprint');
  });

  test('janssen-txn-token: a txn_token with token_type N_A is not misread as an access token with two audiences', () => {
    const e = analyze('janssen-txn-token');
    // The request's audience names the trust domain: request confidence.
    assert.deepEqual(servers(e), [['http://trusted.com', 'request', 'request']]);
    const token = e.resourceServers[0]?.tokens[0];
    assert.equal(token?.issuedTokenType, 'urn:ietf:params:oauth:token-type:txn_token');
    assert.match(token?.note ?? '', /not an access token.*issued txn_token with token_type N_A/);
    assert.equal(token?.tokenType, 'N_A');
    // Its aud [client id, trusted.com] would be audience-beyond-server on an access token; it is not one.
    assert.deepEqual(rules(e), []);
  });
});

describe('shapes that are not failures, and failures that are not token responses', () => {
  test('device-pending-entra: authorization_pending is a note, not an error finding', () => {
    const e = analyze('device-pending-entra');
    assert.equal(e.kind, 'token');
    assert.deepEqual(rules(e), []);
    assert.ok(e.notes.some((n) => /authorization_pending.*not a failure/.test(n)));
  });

  test('device-slow-down-oidc-provider: slow_down is a note that says to wait longer', () => {
    const e = analyze('device-slow-down-oidc-provider');
    assert.deepEqual(rules(e), []);
    assert.ok(e.notes.some((n) => /slow_down.*5 seconds longer/.test(n)));
  });

  test('html-502-intuit: an nginx 502 page is an outage at info, lowered from low with the reason', () => {
    const e = analyze('html-502-intuit');
    assert.deepEqual(rules(e), ['info:unparseable-response']);
    assert.match(e.findings[0]?.message ?? '', /^The token endpoint answered HTTP 502 with an HTML error page/);
    assert.match(e.findings[0]?.lowered?.reason ?? '', /outage, not a token response/);
  });

  test('carto-float-expires: expires_in 3599.933042715 read as given and said; nothing names a server: fallback', () => {
    const e = analyze('carto-float-expires');
    assert.deepEqual(servers(e), [['unknown', 'unknown', 'fallback']]);
    assert.equal(e.resourceServers[0]?.tokens[0]?.expiresAt, '2019-01-01T00:59:59.933Z');
    assert.ok(e.notes.some((n) => /3599\.933042715 is not a whole number of seconds/.test(n)));
  });
});
