/**
 * Property-based: whatever bodies, tokens and HAR fragments come in, the
 * analysis returns a report (or, for unreadable input, a clear InputError) and
 * never throws; token values never leak into a report that did not ask for them.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { buildReport } from '../../src/core/analysis/index.js';
import { exchangesFromHar } from '../../src/core/har.js';
import { InputError, readInput } from '../../src/core/input.js';
import { toMarkdown } from '../../src/core/format/markdown.js';
import { toSarif } from '../../src/core/format/sarif.js';
import { exchange } from './helpers.js';

const b64 = (text: string) => Buffer.from(text).toString('base64url');
const jwtLike = fc.oneof(
  fc.string(),
  fc.tuple(fc.json(), fc.json(), fc.string()).map(([h, p, s]) => `${b64(h)}.${b64(p)}.${s}`),
  fc.tuple(fc.string(), fc.string()).map(([h, p]) => `eyJ${h}.${p}`),
  fc.tuple(fc.jsonValue(), fc.jsonValue()).map(([h, p]) => `${b64(JSON.stringify(h))}.${b64(JSON.stringify(p))}.`),
);
const claimValue = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.constant(null),
  fc.array(fc.string()),
  fc.boolean(),
  fc.constant('1e999'),
  fc.constant(-1e308),
);
const claims = fc.dictionary(
  fc.constantFrom('aud', 'exp', 'nbf', 'iat', 'iss', 'scope', 'scp', 'azp', 'client_id', 'sub', '__proto__', 'constructor'),
  claimValue,
);
const generatedJwt = fc
  .tuple(claims, fc.dictionary(fc.constantFrom('alg', 'typ', 'kid'), claimValue))
  .map(([c, h]) => `${b64(JSON.stringify(h))}.${b64(JSON.stringify(c))}.sig`);
const tokenValue = fc.oneof(jwtLike, generatedJwt, fc.constant(null), fc.integer(), fc.constant(''));
const tokenEntry = fc.record(
  {
    access_token: tokenValue,
    refresh_token: tokenValue,
    id_token: tokenValue,
    scope: fc.oneof(fc.string(), fc.array(fc.string()), fc.integer()),
    expires_in: fc.oneof(fc.integer(), fc.string(), fc.double(), fc.constant(null)),
    resource_server: fc.oneof(fc.string(), fc.integer()),
    resource: fc.string(),
    token_type: fc.string(),
    error: fc.string(),
    active: fc.boolean(),
  },
  { requiredKeys: [] },
);
const responseBody = fc.oneof(
  fc.string(),
  fc.json(),
  tokenEntry.map((e) => JSON.stringify(e)),
  fc
    .tuple(tokenEntry, fc.array(fc.oneof(tokenEntry, fc.jsonValue()), { maxLength: 4 }))
    .map(([top, other]) => JSON.stringify({ ...top, other_tokens: other })),
  fc.array(tokenEntry, { maxLength: 4 }).map((list) => JSON.stringify(list)),
  fc.dictionary(fc.string(), fc.string()).map((d) => new URLSearchParams(d).toString()),
);
const requestBody = fc.oneof(
  fc.string(),
  fc.constant(null),
  fc
    .dictionary(fc.constantFrom('grant_type', 'scope', 'resource', 'audience', 'client_id', 'code', 'token'), fc.string())
    .map((d) => new URLSearchParams(d).toString()),
);

describe('the analysis never throws on data', () => {
  test('arbitrary response and request bodies', () => {
    fc.assert(
      fc.property(
        responseBody,
        requestBody,
        fc.oneof(fc.constant('https://as.test/token'), fc.string(), fc.webUrl()),
        fc.oneof(fc.constant('2026-01-10T10:00:00Z'), fc.string()),
        (body, request, url, startedAt) => {
          const captured = exchange(body, {}, { url, startedAt, request: { body: request } });
          const report = buildReport([captured, captured]);
          assert.equal(report.exchanges.length, 2);
          toMarkdown(report);
          toSarif(report, () => 'x.har');
          JSON.stringify(report);
        },
      ),
      { numRuns: 400 },
    );
  });
  test('arbitrary HAR fragments', () => {
    const harEntry = fc.record(
      {
        startedDateTime: fc.oneof(fc.string(), fc.integer()),
        request: fc.oneof(
          fc.jsonValue(),
          fc.record(
            {
              method: fc.constantFrom('GET', 'POST', 'post', 7),
              url: fc.oneof(fc.webUrl(), fc.string(), fc.constant('https://idp.test/oauth2/token')),
              headers: fc.jsonValue(),
              postData: fc.oneof(fc.jsonValue(), fc.record({ text: requestBody, params: fc.jsonValue() }, { requiredKeys: [] })),
            },
            { requiredKeys: [] },
          ),
        ),
        response: fc.oneof(
          fc.jsonValue(),
          fc.record(
            {
              status: fc.oneof(fc.integer(), fc.string()),
              content: fc.record(
                {
                  mimeType: fc.oneof(fc.string(), fc.constant('application/json')),
                  text: fc.oneof(
                    responseBody,
                    fc.string().map((s) => Buffer.from(s).toString('base64')),
                  ),
                  encoding: fc.constantFrom('base64', undefined, 7),
                },
                { requiredKeys: [] },
              ),
            },
            { requiredKeys: [] },
          ),
        ),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(harEntry, fc.jsonValue()), { maxLength: 8 }), (entries) => {
        const report = buildReport(exchangesFromHar({ log: { entries } }));
        assert.ok(report.summary.exchanges <= entries.length);
      }),
      { numRuns: 300 },
    );
  });
  test('arbitrary input files: a report or an InputError, nothing else', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.json(),
          responseBody,
          fc.json().map((j) => `{"log":${j}}`),
          fc.string().map((s) => `{"log": {"entries": [${s}`),
        ),
        (text) => {
          try {
            const input = readInput(text, 'input', '2026-01-10T10:00:00Z');
            if (input.kind !== 'report') buildReport(input.exchanges);
          } catch (error) {
            assert.ok(error instanceof InputError, `unexpected ${String(error)}`);
            assert.ok(!error.message.includes('\n'));
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe('token values stay out of reports', () => {
  test('no token value appears unless showTokens is asked for', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9_-]{24,60}$/), fc.stringMatching(/^[A-Za-z0-9_-]{24,60}$/), (access, refresh) => {
        const captured = exchange(
          { access_token: access, refresh_token: refresh, token_type: 'Bearer', scope: 'read' },
          { grant_type: 'refresh_token', refresh_token: refresh, client_secret: access },
        );
        const hidden = JSON.stringify(buildReport([captured])) + toMarkdown(buildReport([captured]));
        assert.ok(!hidden.includes(access) && !hidden.includes(refresh));
        const shown = JSON.stringify(buildReport([captured], { showTokens: true }));
        assert.ok(shown.includes(access));
      }),
      { numRuns: 100 },
    );
  });
});
