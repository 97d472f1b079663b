/** The streaming HAR reader gives what readHar gives, however the bytes are split. */
import assert from 'node:assert/strict';
import { createReadStream, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { buildReport } from '../../src/core/analysis/index.js';
import { readHar } from '../../src/core/har.js';
import {
  bearerUses,
  createHarStreamReader,
  type HarStreamResult,
  matchBearerUses,
  readHarStream,
} from '../../src/core/har-stream/index.js';
import { arbitraryEntry, bearer, tokenBody, tokenPost } from './har-arbitraries.js';
import { entry, har, jwt } from './helpers.js';

const fixtures = join(import.meta.dirname, '../fixtures/har');
const encoder = new TextEncoder();

/** Feeds `bytes` cut at the given sizes (cycled). */
function stream(input: Uint8Array | string, sizes: number[] = [input.length], options = {}): HarStreamResult {
  const reader = createHarStreamReader(options);
  for (let at = 0, k = 0; at < input.length; k++) {
    const size = Math.max(1, sizes[k % sizes.length] as number);
    reader.push(input.slice(at, at + size));
    at += size;
  }
  return reader.end();
}

function assertSame(result: HarStreamResult, text: string, message = ''): void {
  const expected = readHar(JSON.parse(text));
  assert.equal(result.error, null, `${message} ${JSON.stringify(result.error)}`);
  assert.deepEqual(result.exchanges, expected.exchanges, message);
  assert.deepEqual(bearerUses(result), expected.bearerUses, message);
}

describe('the fixtures', () => {
  for (const name of readdirSync(fixtures).filter((file) => file.endsWith('.har'))) {
    const text = readFileSync(join(fixtures, name), 'utf8');
    const bytes = readFileSync(join(fixtures, name));
    test(`${name}: whole, as text and as bytes`, () => {
      assertSame(stream(text), text);
      assertSame(stream(new Uint8Array(bytes)), text);
    });
    test(`${name}: one byte at a time, and in random chunk sizes`, () => {
      assertSame(stream(new Uint8Array(bytes), [1]), text, 'one byte');
      fc.assert(
        fc.property(fc.array(fc.integer({ min: 1, max: 9000 }), { minLength: 1, maxLength: 20 }), (sizes) =>
          assertSame(stream(new Uint8Array(bytes), sizes), text),
        ),
        { numRuns: 20 },
      );
    });
  }
});

describe('the shapes readHar reads', () => {
  const cases: Record<string, unknown> = {
    'Chrome, with a token exchange and Bearer API calls': har(
      entry({ url: 'https://app.test/index.html', content: { mimeType: 'text/html', text: '<html>access_token</html>' } }),
      entry({ url: 'https://api.test/items', requestHeaders: bearer(jwt({ aud: 'x' })), content: { text: '{"token_count":3}' } }),
      entry({ method: 'POST', url: 'https://auth.globus.org/v2/oauth2/token', postData: tokenPost, content: { text: tokenBody } }),
      entry({ url: 'https://app.test/logo.png', content: { mimeType: 'image/png', encoding: 'base64', text: 'iVBORw0KGgo=' } }),
    ),
    'Firefox params and base64 content': har(
      entry({
        method: 'post',
        url: 'https://idp.test/oauth2/v1/token',
        postData: { mimeType: 'application/x-www-form-urlencoded', params: [{ name: 'grant_type', value: 'refresh_token' }] },
        content: { encoding: 'base64', text: Buffer.from(tokenBody).toString('base64') },
      }),
      entry({
        url: 'https://idp.test/session',
        content: { mimeType: 'application/json', encoding: 'BASE64', text: Buffer.from(tokenBody).toString('base64') },
      }),
    ),
    'missing bodies, a failed request, Basic client authentication': har(
      entry({ method: 'POST', url: 'https://idp.test/token', postData: tokenPost, content: {} }),
      entry({
        method: 'POST',
        url: 'https://idp.test/token',
        status: 0,
        postData: tokenPost,
        content: {},
        requestHeaders: [{ name: 'authorization', value: 'Basic YXBwOnNlY3JldA==' }],
      }),
      entry({
        method: 'POST',
        url: 'https://idp.test/token',
        postData: tokenPost,
        content: {},
        requestHeaders: [...bearer('at-x'), { name: 'Authorization', value: 'Basic eA==' }],
      }),
    ),
    'Playwright sidecar bodies (readHar does not read them: the body is "not captured")': har(
      entry({ method: 'POST', url: 'https://idp.test/token', postData: tokenPost, content: { _file: 'abc.json' } }),
    ),
    'escapes and unicode that hide the words': har(
      entry({ method: 'P\u004fST', url: 'https://idp.test/\u0074oken', postData: tokenPost, content: { text: tokenBody } }),
      entry({ method: 'po\u017ft', url: 'https://idp.test/token', postData: tokenPost, content: { text: tokenBody } }),
      entry({ url: 'https://api.test/é/ü/😀', requestHeaders: bearer('tök😀n'), content: { text: '{"x":"\\"}{[]"}' } }),
    ),
    'non-object entries and extra members': {
      log: {
        version: '1.2',
        pages: [{ id: 'p', title: '{[' }],
        entries: [1, 'x', null, [], { request: 5 }, entry({ url: 'https://a.test/', requestHeaders: bearer('t') })],
        _extra: { entries: [] },
      },
      extra: [1, 2],
    },
  };
  for (const [name, value] of Object.entries(cases)) {
    test(name, () => {
      for (const text of [JSON.stringify(value), JSON.stringify(value, null, 2), `\uFEFF ${JSON.stringify(value)}\n`]) {
        assertSame(stream(text.replace(/^\uFEFF/, '')), text.replace(/^\uFEFF/, ''));
        assertSame(stream(encoder.encode(text), [1, 2, 3, 5, 7]), text.replace(/^\uFEFF/, ''));
      }
    });
  }
  test('a duplicate "log" member: the last one counts, as in JSON.parse', () => {
    const text = `{"log":${JSON.stringify(har(entry({ method: 'POST', url: 'https://a.test/token', content: { text: tokenBody } })).log)},"log":{"entries":[]}}`;
    assertSame(stream(text), text);
  });
  test('not a HAR', () => {
    assert.match(stream('{"entries":[]}').error?.message ?? '', /not a HAR/);
    assert.match(stream('[1,2]').error?.message ?? '', /not a HAR/);
    assert.match(stream('{"log":{"entries":{}}}').error?.message ?? '', /not a HAR/);
  });
});

describe('property: streaming and readHar agree', () => {
  test('random HARs, pretty or not, in random chunks of bytes', () => {
    fc.assert(
      fc.property(
        fc.array(arbitraryEntry, { maxLength: 12 }),
        fc.boolean(),
        fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 8 }),
        (entries, pretty, sizes) => {
          const doc = JSON.stringify(har(...entries), null, pretty ? 1 : undefined);
          assertSame(stream(encoder.encode(doc), sizes), doc);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('cut off and malformed HARs', () => {
  const doc = JSON.stringify(
    har(
      entry({ method: 'POST', url: 'https://idp.test/token', postData: tokenPost, content: { text: tokenBody } }),
      entry({ url: 'https://api.test/é', requestHeaders: bearer('t1'), content: { text: 'x' } }),
      entry({ method: 'POST', url: 'https://idp.test/token', postData: tokenPost, content: { text: tokenBody } }),
    ),
  );
  const bytes = encoder.encode(doc);
  const full = stream(bytes);
  test('cut anywhere: the error names the end as the offset, the exchanges before the cut are kept, with a note', () => {
    for (let cut = 1; cut < bytes.length; cut += 7) {
      const result = stream(bytes.slice(0, cut), [64]);
      assert.equal(result.error?.offset, cut, `cut at ${cut}`);
      assert.match(result.error?.message ?? '', /cut off/);
      assert.deepEqual(result.exchanges, full.exchanges.slice(0, result.exchanges.length));
      assert.match(result.notes.at(-1) ?? '', new RegExp(`Reading stopped at byte ${cut}`));
    }
    assert.equal(stream(bytes.slice(0, encoder.encode(doc.slice(0, doc.lastIndexOf('{"_initiator"'))).length)).exchanges.length, 1);
  });
  test('malformed: the offset of the fault, earlier exchanges kept', () => {
    const at = doc.lastIndexOf('{"_initiator"');
    const broken = `${doc.slice(0, at)}{"a":]${doc.slice(at + 5)}`;
    const result = stream(encoder.encode(broken), [100]);
    assert.equal(result.exchanges.length, 1);
    assert.equal(result.error?.offset, encoder.encode(broken.slice(0, at + 5)).length);
    const garbage = stream(`${doc}x`);
    assert.equal(garbage.error?.offset, bytes.length);
    assert.equal(garbage.exchanges.length, 2);
    const badScalar = stream(doc.replace('"version":"1.2"', '"version":1.2.3'));
    assert.match(badScalar.error?.message ?? '', /not a JSON value/);
  });
  test('a malformed entry that is parsed: the offset inside it', () => {
    const bad = doc.replace('"method":"POST"', '"method":"POST",,');
    const result = stream(bad);
    assert.equal(result.error?.offset, bad.indexOf(',,') + 1);
    assert.equal(result.exchanges.length, 0);
  });
});

describe('Bearer uses matched by value', () => {
  test('buildReport finds the same with the matched uses as with every use, and only issued tokens are hashed', () => {
    const issued = JSON.stringify({ access_token: 'opaque-at-1', token_type: 'Bearer', resource_server: 'transfer.api.globus.org' });
    const doc = JSON.stringify(
      har(
        entry({ method: 'POST', url: 'https://auth.globus.org/v2/oauth2/token', postData: tokenPost, content: { text: issued } }),
        entry({ url: 'https://groups.api.globus.org/v2/groups', requestHeaders: bearer('opaque-at-1') }),
        ...Array.from({ length: 50 }, (_, i) => entry({ url: `https://api.test/${i}`, requestHeaders: bearer(`other-${i}`) })),
      ),
    );
    const result = stream(doc);
    assert.equal(result.bearerTokens.size, 51);
    const matched = matchBearerUses(result);
    assert.equal(matched.length, 1);
    assert.equal(result.bearerTokens.prints.filter(Boolean).length, 1, 'only the issued token was hashed');
    const all = buildReport(result.exchanges, { bearerUses: bearerUses(result) });
    assert.deepEqual(buildReport(result.exchanges, { bearerUses: matched }), all);
    assert.equal(all.exchanges[0]?.findings.filter((f) => f.rule === 'token-sent-beyond-audience').length, 1);
  });
});

describe('large entries and large files', () => {
  test('an entry over the cap: a token request is kept with its body said too large; others are skipped with a note', () => {
    const big = 'A'.repeat(5000);
    const doc = JSON.stringify(
      har(
        entry({
          method: 'POST',
          url: 'https://idp.test/token',
          postData: tokenPost,
          content: { text: `{"access_token":"x","pad":"${big}"}` },
        }),
        entry({ url: 'https://cdn.test/big.js', requestHeaders: bearer('t'), content: { text: big } }),
        entry({ method: 'POST', url: 'https://idp.test/token', postData: tokenPost, content: { text: tokenBody } }),
      ),
    );
    const result = stream(doc, [512], { maxEntryChars: 2048 });
    assert.equal(result.error, null);
    assert.equal(result.exchanges.length, 2);
    assert.equal(result.exchanges[0]?.response.body, null);
    assert.match(result.exchanges[0]?.response.bodyNote ?? '', /too large/);
    assert.deepEqual(result.exchanges[1], readHar(JSON.parse(doc)).exchanges[1]);
    assert.equal(result.bearerRefs.length, 1, 'the Bearer use of the skipped entry is kept');
    assert.equal(result.notes.length, 2);
  });

  test('a generated ~50 MB HAR streamed from a file in 64 KiB chunks gives its exchanges', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'har-stream-'));
    try {
      const out = join(dir, 'big.har');
      const genPath = join(import.meta.dirname, '../../scripts/bench/gen-har.mjs');
      const { generateHar } = await import(genPath);
      const summary = generateHar({ out, entries: 7000, exchanges: 300, mb: 50, seed: 7 });
      assert.ok(summary.bytes > 45 * 1024 * 1024, `${summary.bytes} bytes`);
      let progress = 0;
      const result = await readHarStream(createReadStream(out, { highWaterMark: 64 * 1024 }), { onProgress: (p) => (progress = p.bytes) });
      assert.equal(result.error, null);
      assert.equal(result.entries, 7000);
      assert.equal(result.exchanges.length, 300);
      assert.equal(progress, summary.bytes);
      assert.ok(result.bearerRefs.length > 1000, `${result.bearerRefs.length} Bearer uses`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('offsets after bytes that are not UTF-8', () => {
  // Bad bytes of every shape the decoder replaces: a lone continuation, a cut 3-byte sequence, a cut 4-byte one,
  // an overlong lead, a surrogate's encoding; and one U+FFFD written in the file (3 bytes, not a replacement).
  const bad = [[0x80], [0xe2, 0x82], [0xf0, 0x9f, 0x98], [0xc0], [0xed, 0xa0, 0x80], [0xef, 0xbf, 0xbd]];
  const concat = (...parts: (Uint8Array | number[])[]) => Uint8Array.from(parts.flatMap((part) => [...part]));

  test('a fault at the root after bad bytes in a value: the offset of its own byte, however the file is cut into chunks', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...bad), { minLength: 1, maxLength: 6 }),
        fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 4 }),
        (runs, sizes) => {
          const head = concat(encoder.encode('{"comment":"'), ...runs, encoder.encode('","log":{"entries":[]},'));
          const bytes = concat(head, encoder.encode('x}'));
          assert.equal(stream(bytes, sizes).error?.offset, head.length);
        },
      ),
    );
  });

  test('a fault inside an entry after bad bytes in it: the offset of its own byte', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...bad), { minLength: 1, maxLength: 6 }),
        fc.array(fc.integer({ min: 1, max: 13 }), { minLength: 1, maxLength: 4 }),
        (runs, sizes) => {
          const start = encoder.encode('{"log":{"entries":[{"request":{"method":"POST","url":"https://as.example.test/token","comment":"');
          const head = concat(start, ...runs, encoder.encode('",'));
          const bytes = concat(head, encoder.encode(',"postData":{"text":"grant_type=authorization_code"}}}]}}'));
          assert.equal(stream(bytes, sizes).error?.offset, head.length);
        },
      ),
    );
  });
});
