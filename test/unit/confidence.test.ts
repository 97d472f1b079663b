/**
 * Confidence and the severity ladder, as properties over generated exchanges (fast-check) and as a few
 * rows a reviewer can read: a resolution is never surer than the strongest thing in the exchange that
 * named its server, falling back to weaker sources never makes it surer, and no finding that judges a
 * token against its server is HIGH unless the response, the request or the token named that server.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { buildReport } from '../../src/core/analysis/index.js';
import { confidenceRank, isNamed } from '../../src/core/confidence.js';
import { RULES } from '../../src/core/rules/catalogue.js';
import { fingerprint } from '../../src/core/sha256.js';
import type { BearerUse, CapturedExchange, Confidence, Report } from '../../src/core/types.js';
import { CAPTURED_AT, exchange, findingsOf, jwt, ruleTable, VALID_CLAIMS } from './helpers.js';

/** Which sources an exchange holds, strongest first, and the values they carry. */
interface Sources {
  response: 'resource_server' | 'resource' | null;
  request: string[];
  aud: string[];
  provider: boolean;
  scope: string | null;
  identityOnly: boolean;
}

const host = fc.constantFrom('api.example.test', 'other.example.test', 'api.example.org', 'transfer.api.globus.org', 'svc-a', 'svc-b');
const serverId = fc.oneof(
  host,
  host.map((h) => `https://${h}`),
  host.map((h) => `https://${h}/v1`),
);
const sources: fc.Arbitrary<Sources> = fc.record({
  response: fc.constantFrom('resource_server' as const, 'resource' as const, null),
  request: fc.array(serverId, { maxLength: 2 }),
  aud: fc.array(fc.oneof(serverId, fc.constant('account'), fc.constant('https://tenant.eu.auth0.com/userinfo')), { maxLength: 3 }),
  provider: fc.boolean(),
  scope: fc.option(serverId.map((id) => (id.startsWith('https://') ? `${id}/read` : `urn:globus:auth:scope:${id}:all`))),
  identityOnly: fc.boolean(),
});

/** The strongest confidence the sources present could give. */
function strongestPresent(s: Sources): Confidence {
  if (s.response) return 'response';
  if (s.request.length > 0) return 'request';
  if (s.aud.length > 0) return 'token';
  if (s.provider) return 'provider';
  if (s.scope || s.identityOnly) return 'inferred';
  return 'fallback';
}

/** An exchange holding exactly those sources. */
function exchangeOf(s: Sources, tokenValue = 'opaque-token-value'): CapturedExchange {
  const scope = [s.scope, s.identityOnly ? 'openid profile' : null].filter(Boolean).join(' ');
  const body: Record<string, unknown> = {
    access_token: s.aud.length > 0 ? jwt({ ...VALID_CLAIMS, aud: s.aud.length === 1 ? s.aud[0] : s.aud, jti: tokenValue }) : tokenValue,
    token_type: 'Bearer',
    ...(scope ? { scope } : {}),
  };
  if (s.response === 'resource_server') body.resource_server = 'named.example.test';
  if (s.response === 'resource') body.resource = 'https://named.example.test';
  const request: Record<string, string | string[]> = {
    grant_type: 'client_credentials',
    ...(s.request.length ? { resource: s.request } : {}),
  };
  const url = s.provider ? 'https://accounts.spotify.com/api/token' : 'https://as.example.test/oauth2/token';
  return exchange(body, request, { url });
}

/** The sources with the strongest one taken away. */
function withoutStrongest(s: Sources): Sources {
  if (s.response) return { ...s, response: null };
  if (s.request.length > 0) return { ...s, request: [] };
  if (s.aud.length > 0) return { ...s, aud: [] };
  if (s.provider) return { ...s, provider: false };
  return { ...s, scope: null, identityOnly: false };
}

const confidences = (report: Report) => report.exchanges.flatMap((e) => e.resourceServers.map((server) => server.confidence));

describe('confidence never rises from a weaker source', () => {
  test('no server is surer than the strongest source in its exchange', () => {
    fc.assert(
      fc.property(sources, (s) => {
        const limit = confidenceRank(strongestPresent(s));
        for (const confidence of confidences(buildReport([exchangeOf(s)])))
          assert.ok(confidenceRank(confidence) <= limit, `${confidence} from ${JSON.stringify(s)}`);
      }),
      { numRuns: 400 },
    );
  });

  test('taking the strongest source away never makes the resolution surer', () => {
    fc.assert(
      fc.property(sources, (s) => {
        const rank = (sources: Sources) => Math.max(...confidences(buildReport([exchangeOf(sources)])).map(confidenceRank));
        assert.ok(rank(withoutStrongest(s)) <= rank(s), JSON.stringify(s));
      }),
      { numRuns: 400 },
    );
  });
});

describe('no HIGH from an inferred server', () => {
  const sentTo = fc.constantFrom(
    'https://api.example.test/x',
    'https://evil.example.net/x',
    'https://other.example.test/y',
    'https://transfer.api.globus.org/z',
    'https://api.spotify.com/v1/me',
  );
  test('every HIGH that judges a token against its server stands on a server named by the response, the request or the token', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(sources, fc.constantFrom('t1', 't2', 't3')), { minLength: 1, maxLength: 3 }),
        fc.array(fc.tuple(fc.constantFrom('t1', 't2', 't3'), sentTo), { maxLength: 4 }),
        (exchanges, uses) => {
          const captured = exchanges.map(([s, token]) => exchangeOf(s, token));
          const tokenValues = captured.map((c) => JSON.parse(c.response.body as string).access_token as string);
          const bearerUses: BearerUse[] = uses.flatMap(([token, url]) => {
            const value = tokenValues[Number(token.slice(1)) - 1];
            return value ? [{ url, method: 'GET', fingerprint: fingerprint(value), at: CAPTURED_AT }] : [];
          });
          for (const e of buildReport(captured, { bearerUses }).exchanges) {
            for (const finding of e.findings) {
              if (finding.severity !== 'high' || !RULES[finding.rule].judgesServer) continue;
              const server = e.resourceServers.find((s) => s.id === finding.resourceServer);
              assert.ok(server && isNamed(server.confidence), `${finding.rule} HIGH on ${finding.resourceServer} (${server?.confidence})`);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

ruleTable('the ladder on resolution steps a reviewer can read', [
  {
    // The Spotify case: openid profile beside Web API scopes no longer sends the token to the identity server.
    name: 'Spotify with openid profile and Web API scopes: the Web API (provider), not accounts.spotify.com',
    rule: 'token-sent-beyond-audience',
    exchanges: [
      exchange(
        { access_token: 'spotify-at', token_type: 'Bearer', scope: 'openid profile user-read-email playlist-read-private' },
        { grant_type: 'authorization_code', code: 'c' },
        { url: 'https://accounts.spotify.com/api/token' },
      ),
    ],
    options: {
      bearerUses: [{ url: 'https://developer.spotify.com/api/me', method: 'GET', fingerprint: fingerprint('spotify-at'), at: CAPTURED_AT }],
    },
    count: 1,
    check: ([finding]) => {
      assert.equal(finding?.resourceServer, 'https://api.spotify.com');
      assert.equal(finding?.severity, 'low', 'provider knowledge (one step) on the same site (one step)');
    },
  },
  {
    name: 'an audience-beyond-server on a server inferred from scopes is medium at most, and says why',
    rule: 'audience-missing-server',
    exchanges: [exchange({ access_token: jwt({ ...VALID_CLAIMS, aud: ['x', 'y'] }), resource_server: 'srv', token_type: 'Bearer' })],
    count: 1,
    check: ([finding]) => assert.equal(finding?.severity, 'high', 'resource_server is named by the response: no cap'),
  },
  {
    name: 'scope-beyond-server on an inferred server keeps its medium (the cap is medium)',
    rule: 'scope-beyond-server',
    exchanges: [
      exchange({ access_token: 'opaque', token_type: 'Bearer', scope: 'https://api.example.test/read https://other.example.test/write' }),
    ],
    count: 1,
    check: ([finding]) => {
      assert.equal(finding?.severity, 'medium');
      assert.equal(finding?.lowered, undefined);
    },
  },
]);

test('several requested resources and an aud that names none: resource-not-honoured stays HIGH (both are named)', () => {
  const findings = findingsOf([
    exchange(
      { access_token: jwt({ ...VALID_CLAIMS, aud: 'https://third.example.test' }), token_type: 'Bearer' },
      { grant_type: 'client_credentials', resource: ['https://one.example.test', 'https://two.example.test'] },
    ),
  ]);
  const [finding] = findings.filter((f) => f.rule === 'resource-not-honoured');
  assert.equal(finding?.severity, 'high');
  assert.equal(finding?.resourceServer, 'https://third.example.test', 'the token names its server');
});

test('a token filed under the first of several requested resources (a guess) sent elsewhere is info, and says why', () => {
  const token = 'opaque-guess';
  const findings = findingsOf(
    [
      exchange(
        { access_token: token, token_type: 'Bearer' },
        { grant_type: 'client_credentials', resource: ['https://one.example.test', 'https://two.example.test'] },
      ),
    ],
    { bearerUses: [{ url: 'https://evil.example.net/x', method: 'GET', fingerprint: fingerprint(token), at: CAPTURED_AT }] },
  );
  const [finding] = findings.filter((f) => f.rule === 'token-sent-beyond-audience');
  assert.equal(finding?.resourceServer, 'https://one.example.test');
  assert.equal(finding?.severity, 'info');
  assert.match(finding?.lowered?.reason ?? '', /no response, request, token or scope named the resource server/);
});
