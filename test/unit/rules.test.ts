/** Every rule: one case that fires it, one that must not. Tokens are built here; real responses are in fixtures.test.ts. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildReport } from '../../src/core/analysis/index.js';
import { fingerprint } from '../../src/core/sha256.js';
import type { CapturedExchange, Finding, RuleId } from '../../src/core/types.js';
import { CAPTURED_AT, exchange, jwt, NOW_S } from './helpers.js';

const API = 'https://api.example.test';
const valid = { iss: 'https://as.example.test/', iat: NOW_S - 10, exp: NOW_S + 3600, sub: 'user-1', client_id: 'app' };

function findings(...exchanges: CapturedExchange[]): Finding[] {
  return buildReport(exchanges).exchanges.flatMap((e) => e.findings);
}
function rules(...exchanges: CapturedExchange[]): RuleId[] {
  return findings(...exchanges).map((f) => f.rule);
}
function only(rule: RuleId, list: Finding[]): Finding[] {
  return list.filter((f) => f.rule === rule);
}

describe('audience-beyond-server', () => {
  test('fires for each audience beyond the requested resource, high', () => {
    const token = jwt({ ...valid, aud: [API, 'https://other.example.test'], scope: 'read' });
    const list = only('audience-beyond-server', findings(exchange({ access_token: token, token_type: 'Bearer', scope: 'read' }, { grant_type: 'client_credentials', resource: API })));
    assert.equal(list.length, 1);
    assert.equal(list[0]?.severity, 'high');
    assert.equal(list[0]?.resourceServer, API);
    assert.equal(list[0]?.evidence.extraAudience, 'https://other.example.test');
    assert.match(list[0]?.message ?? '', /also accepted by https:\/\/other\.example\.test/);
  });
  test('does not fire when aud is exactly the resource server (trailing slash and case aside)', () => {
    const token = jwt({ ...valid, aud: 'HTTPS://api.example.test/' });
    assert.deepEqual(only('audience-beyond-server', findings(exchange({ access_token: token, token_type: 'Bearer' }, { grant_type: 'client_credentials', resource: API }))), []);
  });
  test('fires for a multi-audience token whose server cannot be told apart', () => {
    const token = jwt({ ...valid, aud: ['svc-a', 'svc-b'] });
    const list = only('audience-beyond-server', findings(exchange({ access_token: token, token_type: 'Bearer' }, { grant_type: 'client_credentials' })));
    assert.equal(list.length, 1);
    assert.equal(list[0]?.resourceServer, null);
  });
});

describe('audience-missing-server', () => {
  test('fires when the server named by the response is not in aud', () => {
    const token = jwt({ ...valid, aud: 'https://elsewhere.example.test' });
    const list = only('audience-missing-server', findings(exchange({ access_token: token, token_type: 'Bearer', resource: API })));
    assert.equal(list.length, 1);
    assert.equal(list[0]?.resourceServer, API);
  });
  test('does not fire when aud names the server', () => {
    const token = jwt({ ...valid, aud: API });
    assert.ok(!rules(exchange({ access_token: token, token_type: 'Bearer', resource: API })).includes('audience-missing-server'));
  });
});

describe('no-audience', () => {
  test('fires for a JWT access token without aud', () => {
    const token = jwt({ ...valid, scope: `${API}/read` });
    const list = only('no-audience', findings(exchange({ access_token: token, token_type: 'Bearer' })));
    assert.equal(list.length, 1);
    assert.equal(list[0]?.severity, 'medium');
    assert.equal(list[0]?.resourceServer, API, 'the scope names the server');
  });
  test('does not fire for an ID token or an opaque access token', () => {
    assert.ok(!rules(exchange({ access_token: 'opaque-123', id_token: jwt({ ...valid, aud: 'app' }), token_type: 'Bearer' }, { client_id: 'app' })).includes('no-audience'));
  });
});

describe('scope-beyond-server', () => {
  test("fires when a token carries another server's scopes", () => {
    const token = jwt({ ...valid, aud: 'https://graph.microsoft.com', scp: 'https://graph.microsoft.com/User.Read https://storage.azure.com/user_impersonation' });
    const list = only('scope-beyond-server', findings(exchange({ access_token: token, token_type: 'Bearer' })));
    assert.equal(list.length, 1);
    assert.deepEqual(list[0]?.evidence.scopes, { 'https://storage.azure.com/user_impersonation': 'https://storage.azure.com' });
  });
  test('does not fire for identity scopes beside the API scopes', () => {
    const token = jwt({ ...valid, aud: API, scope: `openid profile ${API}/read` });
    assert.ok(!rules(exchange({ access_token: token, token_type: 'Bearer' })).includes('scope-beyond-server'));
  });
});

describe('token-shared-across-servers', () => {
  const shared = 'opaque-shared-token-value';
  test('fires when one token value is filed under two resource servers', () => {
    const body = {
      access_token: 'top', resource_server: 'auth.globus.org', scope: 'openid', token_type: 'Bearer',
      other_tokens: [
        { access_token: shared, resource_server: 'transfer.api.globus.org', scope: 'urn:globus:auth:scope:transfer.api.globus.org:all', token_type: 'Bearer' },
        { access_token: shared, resource_server: 'groups.api.globus.org', scope: 'urn:globus:auth:scope:groups.api.globus.org:all', token_type: 'Bearer' },
      ],
    };
    const list = only('token-shared-across-servers', findings(exchange(body)));
    assert.equal(list.length, 1);
    assert.deepEqual(list[0]?.evidence.resourceServers, ['transfer.api.globus.org', 'groups.api.globus.org']);
    assert.equal(list[0]?.severity, 'high');
  });
  test('fires across two exchanges too, and not when the same token comes back for the same server', () => {
    const a = exchange({ access_token: shared, resource_server: 'a.example.test', token_type: 'Bearer' });
    const b = exchange({ access_token: shared, resource_server: 'b.example.test', token_type: 'Bearer' }, {}, { startedAt: '2026-01-10T10:01:00Z' });
    const c = exchange({ access_token: shared, resource_server: 'a.example.test', token_type: 'Bearer' }, {}, { startedAt: '2026-01-10T10:02:00Z' });
    assert.equal(only('token-shared-across-servers', findings(a, b)).length, 2);
    assert.equal(only('token-shared-across-servers', findings(a, c)).length, 0);
  });
});

describe('resource-not-honoured', () => {
  test('fires when the requested resource is not the audience', () => {
    const token = jwt({ ...valid, aud: 'https://default-api.example.test' });
    const list = only('resource-not-honoured', findings(exchange({ access_token: token, token_type: 'Bearer' }, { grant_type: 'client_credentials', audience: API })));
    assert.equal(list.length, 1);
    assert.deepEqual(list[0]?.evidence.requested, [API]);
  });
  test('fires when the response names another resource than requested', () => {
    const list = only('resource-not-honoured', findings(exchange({ access_token: 'opaque', resource: 'https://b.example.test', token_type: 'Bearer' }, { resource: API })));
    assert.equal(list.length, 1);
  });
  test('does not fire when the request named no resource', () => {
    const token = jwt({ ...valid, aud: API });
    assert.ok(!rules(exchange({ access_token: token, token_type: 'Bearer' })).includes('resource-not-honoured'));
  });
});

describe('id-token-audience', () => {
  test('fires when aud lacks the client id', () => {
    const list = only('id-token-audience', findings(exchange({ access_token: 'opaque', id_token: jwt({ ...valid, aud: 'another-client' }, { alg: 'RS256' }), token_type: 'Bearer' }, { client_id: 'app' })));
    assert.equal(list.length, 1);
    assert.equal(list[0]?.tokenKind, 'id');
  });
  test('fires for several audiences without azp = client id', () => {
    assert.equal(only('id-token-audience', findings(exchange({ id_token: jwt({ ...valid, aud: ['app', 'other'] }), token_type: 'Bearer' }, { client_id: 'app' }))).length, 1);
  });
  test('does not fire for several audiences with azp = client id, or a single aud = client id', () => {
    assert.equal(only('id-token-audience', findings(exchange({ id_token: jwt({ ...valid, aud: ['app', 'other'], azp: 'app' }), token_type: 'Bearer' }, { client_id: 'app' }))).length, 0);
    assert.equal(only('id-token-audience', findings(exchange({ id_token: jwt({ ...valid, aud: 'app' }), token_type: 'Bearer' }, { client_id: 'app' }))).length, 0);
  });
});

describe('unsigned-token', () => {
  test('fires for alg none, in any case', () => {
    const token = jwt({ ...valid, aud: API }, { alg: 'NONE' }).replace(/[^.]+$/, '');
    const list = only('unsigned-token', findings(exchange({ access_token: token, token_type: 'Bearer' }, { resource: API })));
    assert.equal(list.length, 1);
    assert.equal(list[0]?.severity, 'high');
  });
  test('does not fire for RS256', () => {
    assert.ok(!rules(exchange({ access_token: jwt({ ...valid, aud: API }), token_type: 'Bearer' }, { resource: API })).includes('unsigned-token'));
  });
});

describe('expired and not-yet-valid', () => {
  test('expired fires when exp is before the capture time (numeric strings too)', () => {
    const token = jwt({ ...valid, aud: API, exp: String(NOW_S - 3600) });
    const list = only('expired', findings(exchange({ access_token: token, token_type: 'Bearer' }, { resource: API })));
    assert.equal(list.length, 1);
    assert.equal(list[0]?.evidence.capturedAt, CAPTURED_AT);
  });
  test('not-yet-valid fires when nbf is after the capture time', () => {
    const token = jwt({ ...valid, aud: API, nbf: NOW_S + 7200 });
    assert.equal(only('not-yet-valid', findings(exchange({ access_token: token, token_type: 'Bearer' }, { resource: API }))).length, 1);
  });
  test('neither fires within a minute of clock skew', () => {
    const token = jwt({ ...valid, aud: API, exp: NOW_S - 30, nbf: NOW_S + 30 });
    const list = rules(exchange({ access_token: token, token_type: 'Bearer' }, { resource: API }));
    assert.ok(!list.includes('expired') && !list.includes('not-yet-valid'));
  });
});

describe('opaque-token', () => {
  test('fires (info) for an opaque access token', () => {
    const list = only('opaque-token', findings(exchange({ access_token: 'ya29.a0AfH6SMBx', token_type: 'Bearer' })));
    assert.equal(list.length, 1);
    assert.equal(list[0]?.severity, 'info');
  });
  test('does not fire for a JWT access token or an opaque refresh token', () => {
    assert.ok(!rules(exchange({ access_token: jwt({ ...valid, aud: API }), refresh_token: 'opaque-refresh', token_type: 'Bearer' }, { resource: API })).includes('opaque-token'));
  });
});

describe('malformed-token', () => {
  test('fires for a truncated JWT and for a JWT whose payload is not JSON', () => {
    const full = jwt({ ...valid, aud: API });
    const truncated = full.slice(0, full.indexOf('.') + 12);
    assert.equal(only('malformed-token', findings(exchange({ access_token: truncated, token_type: 'Bearer' }))).length, 1);
    const notJson = `${Buffer.from('{"alg":"RS256"}').toString('base64url')}.${Buffer.from('not json').toString('base64url')}.sig`;
    assert.equal(only('malformed-token', findings(exchange({ access_token: notJson, token_type: 'Bearer' }))).length, 1);
  });
  test('does not fire for an opaque token with dots that is not JWT-shaped', () => {
    assert.ok(!rules(exchange({ access_token: 'gho_abc.def ghi', token_type: 'Bearer' })).includes('malformed-token'));
  });
});

describe('scope-diff', () => {
  test('fires (info) with dropped and added scopes', () => {
    const list = only('scope-diff', findings(exchange({ access_token: 'opaque', scope: 'read admin', token_type: 'Bearer' }, { scope: 'read write' })));
    assert.equal(list.length, 1);
    assert.deepEqual(list[0]?.evidence.dropped, ['write']);
    assert.deepEqual(list[0]?.evidence.added, ['admin']);
    assert.equal(list[0]?.severity, 'info');
  });
  test('does not fire when the response omits scope (RFC 6749 s5.1: same as requested)', () => {
    assert.ok(!rules(exchange({ access_token: 'opaque', token_type: 'Bearer' }, { scope: 'read write' })).includes('scope-diff'));
  });
});

describe('error-response', () => {
  test('fires for an RFC 6749 error with its description', () => {
    const list = only('error-response', findings(exchange({ error: 'invalid_grant', error_description: 'Code expired' }, {}, { status: 400 })));
    assert.equal(list.length, 1);
    assert.match(list[0]?.message ?? '', /400 invalid_grant: Code expired/);
  });
  test('does not fire for a success', () => {
    assert.ok(!rules(exchange({ access_token: 'x', token_type: 'Bearer' })).includes('error-response'));
  });
});

describe('unparseable-response', () => {
  test('fires for HTML and says where JSON parsing failed', () => {
    const html = only('unparseable-response', findings(exchange('<html><body>502 Bad Gateway</body></html>', {}, { status: 502, response: { contentType: 'text/html', body: '<html><body>502 Bad Gateway</body></html>' } })));
    assert.equal(html.length, 1);
    assert.match(html[0]?.message ?? '', /neither JSON nor form data.*text\/html/);
    const cut = only('unparseable-response', findings(exchange('{"access_token": "abc", "tok')));
    assert.match(cut[0]?.message ?? '', /not valid JSON \(.*position/);
  });
  test('does not fire for form-encoded bodies', () => {
    const form = exchange('access_token=gho_1&scope=repo%2Cgist&token_type=bearer', {}, { response: { contentType: 'application/x-www-form-urlencoded', body: 'access_token=gho_1&scope=repo%2Cgist&token_type=bearer' } });
    assert.ok(!rules(form).includes('unparseable-response'));
  });
});

describe('provider profiles lower and explain, never hide', () => {
  test('Auth0 /userinfo audience: low, explained', () => {
    const token = jwt({ ...valid, iss: 'https://tenant.auth0.com/', aud: [API, 'https://tenant.auth0.com/userinfo'] });
    const list = only('audience-beyond-server', findings(exchange({ access_token: token, token_type: 'Bearer' }, { audience: API }, { url: 'https://tenant.auth0.com/oauth/token' })));
    assert.equal(list.length, 1);
    assert.equal(list[0]?.severity, 'low');
    assert.match(list[0]?.explanation ?? '', /userinfo/);
  });
  test('the same audience at an unknown provider stays high', () => {
    const token = jwt({ ...valid, aud: [API, 'https://other.example.test/userinfo'] });
    const list = only('audience-beyond-server', findings(exchange({ access_token: token, token_type: 'Bearer' }, { audience: API })));
    assert.equal(list[0]?.severity, 'high');
  });
  test('Keycloak account audience: medium, explained', () => {
    const iss = 'https://kc.example.test/realms/demo';
    const token = jwt({ ...valid, iss, aud: ['my-api', 'account'], scope: 'openid profile' });
    const list = only('audience-beyond-server', findings(exchange({ access_token: token, token_type: 'Bearer' }, { scope: 'openid' }, { url: `${iss}/protocol/openid-connect/token` })));
    assert.equal(list.length, 1);
    assert.equal(list[0]?.severity, 'medium');
    assert.equal(list[0]?.resourceServer, 'my-api');
  });
  test('Cognito access token without aud: low, explained', () => {
    const token = jwt({ ...valid, iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc', scope: 'aws.cognito.signin.user.admin', token_use: 'access' });
    const list = only('no-audience', findings(exchange({ access_token: token, token_type: 'Bearer' }, {}, { url: 'https://x.auth.us-east-1.amazoncognito.com/oauth2/token' })));
    assert.equal(list[0]?.severity, 'low');
    assert.match(list[0]?.explanation ?? '', /client_id/);
  });
});

describe('token-sent-beyond-audience', () => {
  const body = {
    access_token: 'auth-token',
    resource_server: 'auth.globus.org',
    scope: 'openid',
    token_type: 'Bearer',
    other_tokens: [{ access_token: 'transfer-token', resource_server: 'transfer.api.globus.org', scope: 'urn:globus:auth:scope:transfer.api.globus.org:all', token_type: 'Bearer' }],
  };
  const use = (token: string, url: string) => ({ url, method: 'GET', fingerprint: fingerprint(token), at: CAPTURED_AT });
  test('fires when a token is sent as Bearer to a host outside its resource server, once per host', () => {
    const report = buildReport([exchange(body)], {
      bearerUses: [use('transfer-token', 'https://groups.api.globus.org/v2/groups'), use('transfer-token', 'https://groups.api.globus.org/v2/groups?x=1')],
    });
    const list = only('token-sent-beyond-audience', report.exchanges[0]?.findings ?? []);
    assert.equal(list.length, 1);
    assert.equal(list[0]?.severity, 'high');
    assert.equal(list[0]?.resourceServer, 'transfer.api.globus.org');
    assert.equal(list[0]?.evidence.sentTo, 'GET https://groups.api.globus.org/v2/groups');
    assert.ok(!JSON.stringify(report).includes('transfer-token'));
  });
  test('does not fire for the token sent to its own server, for unknown tokens, or for servers that name no host', () => {
    const report = buildReport([exchange(body), exchange({ access_token: 'api-token', token_type: 'Bearer' }, { audience: 'api://default' })], {
      bearerUses: [use('transfer-token', 'https://transfer.api.globus.org/v0.10/task'), use('someone-else', 'https://evil.example.test/'), use('api-token', 'https://anything.example.test/')],
    });
    assert.deepEqual(report.exchanges.flatMap((e) => only('token-sent-beyond-audience', e.findings)), []);
  });
});
