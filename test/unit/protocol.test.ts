/** The page protocol: what a page (or the DevTools page) may report, exactly, and within caps. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { PAGE_LIMITS } from '../../src/core/limits.js';
import {
  checkBearerUse,
  checkEvidence,
  checkPageExchange,
  PAGE_FIELD_LIMITS,
  type PageExchange,
  toCapturedExchange,
} from '../../src/protocol/page-exchange.js';
import { captureIdOf, isCaptureId } from '../../src/protocol/channel.js';

const good: PageExchange = {
  url: 'https://as.example.test/oauth2/token',
  method: 'POST',
  status: 200,
  startedAt: '2026-01-10T10:00:00.000Z',
  requestBody: 'grant_type=client_credentials&scope=read',
  requestContentType: 'application/x-www-form-urlencoded',
  requestAuthorization: 'Basic YXBwOnNlY3JldA==',
  responseBody: '{"access_token":"abc","token_type":"Bearer"}',
  responseContentType: 'application/json',
  bodyNote: null,
};

function refused(value: unknown): { reason: string; oversize: boolean } {
  const checked = checkPageExchange(value);
  assert.equal(checked.ok, false, `expected refusal of ${JSON.stringify(value)?.slice(0, 200)}`);
  if (checked.ok) throw new Error('unreachable');
  return { reason: checked.reason, oversize: checked.oversize };
}

describe('checkPageExchange: accepted shapes', () => {
  test('accepts a well-formed exchange and returns exactly its fields', () => {
    const checked = checkPageExchange(structuredClone(good));
    assert.equal(checked.ok, true);
    if (!checked.ok) return;
    assert.deepEqual(checked.exchange, good);
  });

  test('accepts null for every nullable field and a null status', () => {
    const checked = checkPageExchange({
      ...good,
      status: null,
      requestBody: null,
      requestContentType: null,
      requestAuthorization: null,
      responseBody: null,
      responseContentType: null,
      bodyNote: 'The request failed.',
    });
    assert.equal(checked.ok, true);
  });

  test('reads a missing nullable string field as null', () => {
    const { bodyNote: _ignored, requestAuthorization: _also, ...rest } = good;
    const checked = checkPageExchange(rest);
    assert.equal(checked.ok, true);
    if (!checked.ok) return;
    assert.equal(checked.exchange.bodyNote, null);
    assert.equal(checked.exchange.requestAuthorization, null);
  });

  test('accepts http and any-case scheme, lower-case method, status 0 and 999', () => {
    for (const fields of [
      { url: 'http://127.0.0.1:3000/token' },
      { url: 'HTTPS://as.example.test/token' },
      { method: 'post' },
      { status: 0 },
      { status: 999 },
    ]) {
      assert.equal(checkPageExchange({ ...good, ...fields }).ok, true, JSON.stringify(fields));
    }
  });

  test('accepts every field exactly at its cap', () => {
    const url = `https://as.example.test/${'a'.repeat(PAGE_LIMITS.url - 'https://as.example.test/'.length)}`;
    const checked = checkPageExchange({
      ...good,
      url,
      method: 'P'.repeat(PAGE_LIMITS.method),
      requestBody: 'b'.repeat(PAGE_LIMITS.requestBody),
      requestContentType: 'c'.repeat(PAGE_LIMITS.contentType),
      requestAuthorization: `Basic ${'d'.repeat(PAGE_LIMITS.header - 6)}`,
      responseBody: 'e'.repeat(PAGE_LIMITS.responseBody),
      responseContentType: 'f'.repeat(PAGE_LIMITS.contentType),
      bodyNote: 'g'.repeat(500),
    });
    assert.equal(checked.ok, true, checked.ok ? '' : checked.reason);
  });
});

describe('checkPageExchange: wrong shapes are refused, not as oversize', () => {
  const cases: Array<[string, unknown, RegExp]> = [
    ['null', null, /not an object/],
    ['undefined', undefined, /not an object/],
    ['a string', JSON.stringify(good), /not an object/],
    ['a number', 42, /not an object/],
    ['an array', [good], /not an object/],
    ['url as a number', { ...good, url: 1 }, /^url is not a string$/],
    ['method as an array', { ...good, method: ['POST'] }, /^method is not a string$/],
    ['requestBody as an object', { ...good, requestBody: { grant_type: 'x' } }, /^requestBody is not a string$/],
    ['requestContentType as a boolean', { ...good, requestContentType: true }, /^requestContentType is not a string$/],
    ['requestAuthorization as a number', { ...good, requestAuthorization: 5 }, /^requestAuthorization is not a string$/],
    ['responseBody as an object', { ...good, responseBody: { access_token: 'x' } }, /^responseBody is not a string$/],
    ['responseContentType as an array', { ...good, responseContentType: [] }, /^responseContentType is not a string$/],
    ['bodyNote as a number', { ...good, bodyNote: 0 }, /^bodyNote is not a string$/],
    ['startedAt as a number', { ...good, startedAt: Date.parse(good.startedAt) }, /^startedAt is not a string$/],
    ['missing url', { ...good, url: null }, /url is not an http\(s\) URL/],
    ['javascript: url', { ...good, url: 'javascript:alert(1)' }, /url is not an http\(s\) URL/],
    ['ftp url', { ...good, url: 'ftp://as.example.test/token' }, /url is not an http\(s\) URL/],
    ['relative url', { ...good, url: '/oauth2/token' }, /url is not an http\(s\) URL/],
    ['chrome-extension url', { ...good, url: 'chrome-extension://abc/popup.html' }, /url is not an http\(s\) URL/],
    ['empty method', { ...good, method: '' }, /method is not an HTTP method/],
    ['missing method', { ...good, method: null }, /method is not an HTTP method/],
    ['method with a space', { ...good, method: 'POST /' }, /method is not an HTTP method/],
    ['method with a digit', { ...good, method: 'P0ST' }, /method is not an HTTP method/],
    ['missing startedAt', { ...good, startedAt: null }, /startedAt is not a time/],
    ['startedAt not a date', { ...good, startedAt: 'yesterday-ish' }, /startedAt is not a time/],
    ['missing status', (({ status: _s, ...rest }) => rest)(good), /status is not an HTTP status/],
    ['status as a string', { ...good, status: '200' }, /status is not an HTTP status/],
    ['negative status', { ...good, status: -1 }, /status is not an HTTP status/],
    ['fractional status', { ...good, status: 200.5 }, /status is not an HTTP status/],
    ['status 1000', { ...good, status: 1000 }, /status is not an HTTP status/],
    ['status NaN', { ...good, status: Number.NaN }, /status is not an HTTP status/],
    ['status Infinity', { ...good, status: Number.POSITIVE_INFINITY }, /status is not an HTTP status/],
    ['an extra tabId', { ...good, tabId: 99 }, /^unexpected fields: tabId$/],
    ['an extra site', { ...good, site: 'https://evil.example' }, /^unexpected fields: site$/],
    ['extra headers', { ...good, requestHeaders: { cookie: 'a=b' } }, /^unexpected fields: requestHeaders$/],
    ['an own __proto__ key', JSON.parse(`{${JSON.stringify(good).slice(1, -1)},"__proto__":{"x":1}}`), /^unexpected fields: __proto__$/],
  ];
  for (const [name, value, reason] of cases) {
    test(`refuses ${name}`, () => {
      const result = refused(value);
      assert.match(result.reason, reason);
      assert.equal(result.oversize, false);
    });
  }

  test('lists at most five unexpected fields', () => {
    const extra = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`x${i}`, i]));
    const result = refused({ ...good, ...extra });
    assert.equal(result.reason, 'unexpected fields: x0, x1, x2, x3, x4');
  });
});

describe('checkPageExchange: over-cap fields are refused as oversize', () => {
  const caps = PAGE_FIELD_LIMITS;
  assert.equal(caps.length, 10, 'every string field has a cap');
  for (const [field, limit] of caps) {
    test(`refuses ${field} over ${limit} characters, naming the field and the limit`, () => {
      const value = field === 'url' ? `https://as.example.test/${'a'.repeat(limit)}` : 'a'.repeat(limit + 1);
      const result = refused({ ...good, [field]: value });
      assert.equal(result.oversize, true);
      assert.equal(result.reason, `${field} is ${value.length} characters, over the ${limit} limit`);
    });
  }

  test('an over-cap field is oversize even when the exchange also has an extra field', () => {
    const result = refused({ ...good, responseBody: 'x'.repeat(PAGE_LIMITS.responseBody + 1), extra: 1 });
    assert.equal(result.oversize, true);
    assert.match(result.reason, /responseBody/);
  });
});

describe('toCapturedExchange', () => {
  test('keeps a Basic authorization header (any case) and the content type', () => {
    for (const auth of ['Basic YXBwOnNlY3JldA==', 'basic YXBwOnNlY3JldA==', 'BASIC\tYXBw']) {
      const captured = toCapturedExchange({ ...good, requestAuthorization: auth }, 'page-hook');
      assert.deepEqual(captured.request.headers, { 'content-type': 'application/x-www-form-urlencoded', authorization: auth });
    }
  });

  test('keeps a DPoP proof header (RFC 9449), absent when none was sent', () => {
    const proof = 'eyJ0eXAiOiJkcG9wK2p3dCJ9.eyJodG0iOiJQT1NUIn0.c2ln';
    const checked = checkPageExchange({ ...good, requestDpop: proof });
    assert.ok(checked.ok);
    assert.equal(toCapturedExchange(checked.exchange, 'page-hook').request.headers?.dpop, proof);
    const without = checkPageExchange(good);
    assert.ok(without.ok);
    assert.equal('requestDpop' in without.exchange, false);
    assert.equal(toCapturedExchange(without.exchange, 'page-hook').request.headers?.dpop, undefined);
  });

  test('drops every authorization header that is not Basic', () => {
    for (const auth of ['Bearer eyJhbGciOi.x.y', 'DPoP abc', 'Basicabc', ' Basic abc', 'Digest username="a"', '']) {
      const captured = toCapturedExchange({ ...good, requestAuthorization: auth }, 'page-hook');
      assert.equal(captured.request.headers?.authorization, undefined, auth);
    }
    assert.deepEqual(toCapturedExchange({ ...good, requestAuthorization: null, requestContentType: null }, 'devtools').request.headers, {});
  });

  test('normalizes method and time, keeps the source and bodies', () => {
    const captured = toCapturedExchange({ ...good, method: 'post', startedAt: '2026-01-10T11:00:00+01:00' }, 'devtools');
    assert.deepEqual(captured, {
      url: good.url,
      method: 'POST',
      status: 200,
      startedAt: '2026-01-10T10:00:00.000Z',
      source: 'devtools',
      request: {
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'Basic YXBwOnNlY3JldA==' },
        body: good.requestBody,
      },
      response: { contentType: 'application/json', body: good.responseBody },
    });
  });

  test('keeps a body note only when there is one; a missing content type is empty', () => {
    const withNote = toCapturedExchange(
      { ...good, responseBody: null, responseContentType: null, bodyNote: 'The body was too large.' },
      'page-hook',
    );
    assert.deepEqual(withNote.response, { contentType: '', body: null, bodyNote: 'The body was too large.' });
    assert.equal('bodyNote' in toCapturedExchange(good, 'page-hook').response, false);
  });
});

describe('checkPageExchange: properties', () => {
  test('arbitrary JSON values never throw', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const checked = checkPageExchange(value);
        assert.equal(typeof checked.ok, 'boolean');
        if (!checked.ok) assert.equal(typeof checked.reason, 'string');
      }),
      { numRuns: 500 },
    );
  });

  const nearly = fc.record(
    {
      url: fc.oneof(
        fc.constant(good.url),
        fc.string().map((s) => `https://${s}`),
        fc.jsonValue(),
      ),
      method: fc.oneof(fc.constantFrom('POST', 'get', ''), fc.string(), fc.jsonValue()),
      status: fc.oneof(fc.constant(null), fc.integer({ min: -5, max: 1005 }), fc.double(), fc.jsonValue()),
      startedAt: fc.oneof(
        fc.constant(good.startedAt),
        fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
        fc.string(),
        fc.jsonValue(),
      ),
      requestBody: fc.oneof(fc.constant(null), fc.string(), fc.jsonValue()),
      requestContentType: fc.oneof(fc.constant(null), fc.string()),
      requestAuthorization: fc.oneof(
        fc.constant(null),
        fc.string().map((s) => `Basic ${s}`),
        fc.string(),
      ),
      responseBody: fc.oneof(fc.constant(null), fc.json(), fc.jsonValue()),
      responseContentType: fc.oneof(fc.constant(null), fc.string()),
      bodyNote: fc.oneof(fc.constant(null), fc.string()),
      extra: fc.jsonValue(),
    },
    { requiredKeys: [] },
  );

  test('near-valid exchanges never throw, and an accepted one always converts', () => {
    fc.assert(
      fc.property(nearly, (value) => {
        const checked = checkPageExchange(value);
        if (checked.ok) {
          assert.equal('extra' in value, false);
          const captured = toCapturedExchange(checked.exchange, 'page-hook');
          assert.equal(captured.method, captured.method.toUpperCase());
          assert.match(captured.url, /^https?:\/\//i);
        } else {
          assert.equal(typeof checked.reason, 'string');
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe('checkBearerUse', () => {
  const use = { url: 'https://api.example.test/items', method: 'get', fingerprint: `sha256:${'a'.repeat(64)}`, at: '2026-01-10T10:00:00Z' };
  test('accepts a fingerprint, a URL, a method and a time; nothing else', () => {
    assert.deepEqual(checkBearerUse(use), { ...use, method: 'GET', at: '2026-01-10T10:00:00.000Z' });
    for (const bad of [
      null,
      'x',
      { ...use, url: 'javascript:alert(1)' },
      { ...use, fingerprint: 'the-token-itself' },
      { ...use, method: 'GET /x' },
      { ...use, at: 'soon' },
      { ...use, token: 'eyJ...' },
      { ...use, url: `https://a.test/${'x'.repeat(9000)}` },
      { ...use, scheme: 'Basic' },
      { ...use, scheme: 'dpop', token: 'eyJ...' },
    ]) {
      assert.equal(checkBearerUse(bad), null, JSON.stringify(bad).slice(0, 80));
    }
  });

  test('keeps the Authorization scheme when the hook says it (bearer, or dpop: RFC 9449 s7.1)', () => {
    for (const scheme of ['bearer', 'dpop'] as const)
      assert.deepEqual(checkBearerUse({ ...use, scheme }), { ...use, method: 'GET', at: '2026-01-10T10:00:00.000Z', scheme });
  });

  test("keeps a DPoP use's proof as the relay read it and a resource server's nonce challenge (RFC 9449 s9); refuses other shapes", () => {
    const proof = {
      jkt: 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs',
      htm: 'GET',
      htu: 'https://api.example.test/items',
      athMatches: true,
      nonce: true,
    };
    const dpop = { ...use, scheme: 'dpop' as const };
    assert.deepEqual(checkBearerUse({ ...dpop, proof }), { ...dpop, method: 'GET', at: '2026-01-10T10:00:00.000Z', proof });
    assert.deepEqual(checkBearerUse({ ...dpop, challenge: 'use_dpop_nonce' }), {
      ...dpop,
      method: 'GET',
      at: '2026-01-10T10:00:00.000Z',
      challenge: 'use_dpop_nonce',
    });
    for (const bad of [
      { ...dpop, challenge: 'invalid_token' },
      { ...dpop, proof: 'eyJ.the-proof-itself.sig' },
      { ...dpop, proof: { ...proof, athMatches: 'yes' } },
      { ...dpop, proof: { ...proof, jwk: { kty: 'EC' } } },
      { ...dpop, proof: { ...proof, htu: 'x'.repeat(9000) } },
    ])
      assert.equal(checkBearerUse(bad), null, JSON.stringify(bad).slice(0, 80));
  });
});

describe('checkEvidence (page-evidence)', () => {
  const evidence = {
    captureId: 'a1b2c3d4e5f6a1b2c3d4e5f6',
    url: 'https://as.example.test/oauth2/token',
    startedAt: '2026-01-10T10:00:00.000Z',
  };
  test('a capture id, an http(s) URL and a time; the time as epoch milliseconds', () => {
    assert.deepEqual(checkEvidence(evidence), { ...evidence, startedAt: Date.parse(evidence.startedAt) });
  });
  test('anything else is refused', () => {
    for (const bad of [
      {},
      { ...evidence, captureId: 'A1B2C3D4E5F6A1B2C3D4E5F6' },
      { ...evidence, captureId: 'a1b2c3' },
      { ...evidence, captureId: ['a1b2c3d4e5f6a1b2c3d4e5f6'] },
      { ...evidence, url: 'javascript:alert(1)' },
      { ...evidence, url: `https://a.test/${'x'.repeat(PAGE_LIMITS.url)}` },
      { ...evidence, url: 42 },
      { ...evidence, startedAt: 'soon' },
      { ...evidence, startedAt: 1768039200000 },
      { ...evidence, startedAt: `2026-01-10T10:00:00.000Z${' '.repeat(100)}` },
    ]) {
      assert.equal(checkEvidence(bad), null, JSON.stringify(bad).slice(0, 80));
    }
  });
  test('capture ids are 24 lowercase hex digits, as the relay makes them', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        assert.equal(isCaptureId(text), /^[0-9a-f]{24}$/.test(text));
      }),
    );
    assert.equal(isCaptureId('0123456789abcdef01234567'), true);
  });
  test("a message's capture id is read one way for the relay and the worker: itself, or null for anything else", () => {
    assert.equal(captureIdOf('0123456789abcdef01234567'), '0123456789abcdef01234567');
    for (const bad of [undefined, null, 42, '', '0123456789ABCDEF01234567', '0123456789abcdef0123456', { id: 'x' }])
      assert.equal(captureIdOf(bad), null, String(bad));
  });
});
