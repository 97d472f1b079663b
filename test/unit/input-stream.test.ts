/** Any input read in chunks: a HAR streamed, anything else held and read as readInput reads it whole. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readInput } from '../../src/core/input.js';
import { InputStreamReader, type StreamedInput } from '../../src/core/input-stream.js';
import { entry, har } from './helpers.js';

const AT = '2026-01-10T10:00:00.000Z';
const bytes = (text: string) => new TextEncoder().encode(text);

function read(text: string, size = 7, options = {}): StreamedInput {
  const reader = new InputStreamReader('input', AT, options);
  const all = bytes(text);
  for (let at = 0; at < all.length; at += size) reader.push(all.subarray(at, at + size));
  return reader.end();
}

const tokenResponse = JSON.stringify({ access_token: 'opaque-1', token_type: 'Bearer', expires_in: 60 });

test('a report, one exchange and a raw token response read as readInput reads them', () => {
  const report = JSON.stringify({ tool: 'tokenscope', version: '1', exchanges: [], summary: { exchanges: 0 } });
  const exchange = JSON.stringify({
    request: { url: 'https://as.test/token', body: 'grant_type=x' },
    response: { status: 200, body: tokenResponse },
  });
  for (const text of [report, exchange, tokenResponse, 'access_token=abc&token_type=bearer', 'not json at all']) {
    assert.deepEqual(read(text), readInput(text, 'input', AT), text);
  }
});

test('a HAR is streamed: its exchanges, and a cut-off HAR keeps what came before with the byte offset', () => {
  const text = JSON.stringify(
    har(
      entry({
        method: 'POST',
        url: 'https://as.test/oauth2/token',
        postData: { mimeType: 'application/x-www-form-urlencoded', text: 'grant_type=client_credentials' },
        content: { text: tokenResponse },
      }),
      entry({ url: 'https://cdn.test/a.png' }),
    ),
  );
  const whole = read(text);
  assert.equal(whole.kind, 'har');
  assert.equal(whole.kind === 'har' && whole.result.exchanges.length, 1);
  const cut = text.slice(0, text.lastIndexOf('"cdn'));
  const partial = read(cut);
  assert.ok(partial.kind === 'har');
  assert.equal(partial.result.exchanges.length, 1);
  assert.equal(partial.result.error?.offset, bytes(cut).length);
  assert.match(partial.result.error?.message ?? '', /the HAR is cut off/);
});

test('a HAR past the cap for other input is still read; anything else past it is refused, saying why', () => {
  const padding = 'x'.repeat(200);
  const text = JSON.stringify(har(...Array.from({ length: 20 }, (_, i) => entry({ url: `https://cdn.test/${i}/${padding}` }))));
  const streamed = read(text, 64, { maxOtherBytes: 1024 });
  assert.ok(streamed.kind === 'har' && streamed.result.entries === 20);
  const report = JSON.stringify({ tool: 'tokenscope', version: '1', exchanges: [], summary: {}, padding: 'y'.repeat(2000) });
  assert.throws(
    () => read(report, 64, { maxOtherBytes: 1024 }),
    /input is not a HAR file .* too large to read as a report or a token response/,
  );
});
