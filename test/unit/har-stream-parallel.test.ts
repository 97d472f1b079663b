/**
 * A HAR whose entries are read elsewhere (core/har-stream/deferred.ts, as the CLI's worker threads
 * read a large file's) gives what one thread gives, byte for byte: the same result and the same
 * report, whatever the chunks, the batches (the split points), the order batches come back in,
 * and wherever the HAR is cut off or broken.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { buildReport } from '../../src/core/analysis/index.js';
import { DeferredEntries, type HarStreamResult, HarStreamReader, matchBearerUses, readEntries } from '../../src/core/har-stream/index.js';
import { latin1View } from '../../src/cli/entry-pool.js';
import { arbitraryEntry, bearer, tokenBody, tokenPost } from './har-arbitraries.js';
import { entry, har } from './helpers.js';

const encoder = new TextEncoder();

function chunks(bytes: Uint8Array, sizes: number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let at = 0, k = 0; at < bytes.length; k++) {
    const size = Math.max(1, sizes[k % sizes.length] as number);
    out.push(bytes.slice(at, at + size));
    at += size;
  }
  return out;
}

function oneThread(bytes: Uint8Array, sizes: number[]): HarStreamResult {
  const reader = new HarStreamReader();
  for (const chunk of chunks(bytes, sizes)) reader.push(chunk);
  return reader.end();
}

/** Entries read in batches of about `batchBytes`, each batch answered after `ticks[k]` turns of the microtask queue (so out of order). */
async function deferred(
  bytes: Uint8Array,
  sizes: number[],
  batchBytes: number,
  maxPending: number,
  ticks: number[],
): Promise<HarStreamResult> {
  let batches = 0;
  const sink = new DeferredEntries(
    async (batch) => {
      // What crosses to a worker: a copy, its own buffer.
      const moved = { bytes: batch.bytes.slice(), ends: [...batch.ends], words: [...batch.words] };
      const wait = ticks[batches++ % ticks.length] as number;
      for (let k = 0; k < wait; k++) await Promise.resolve();
      return structuredClone(readEntries(moved, latin1View));
    },
    { batchBytes, maxPending },
  );
  const reader = new HarStreamReader({}, sink);
  for (const chunk of chunks(bytes, sizes)) {
    reader.push(chunk);
    await sink.ready();
  }
  reader.end();
  await sink.settle();
  return sink.result;
}

/** Everything a report is made from, and the report. */
function outcome(result: HarStreamResult) {
  const bearerUses = matchBearerUses(result);
  const { exchanges, bearerRefs, authorizations, signInSteps, entries, notes, error } = result;
  const report = buildReport(exchanges, { bearerUses, signInSteps, at: new Date('2026-01-01T00:00:00Z') });
  return { exchanges, bearerRefs, authorizations, signInSteps, entries, notes, error, bearerUses, report: JSON.stringify(report) };
}

/** A way to break a HAR: none, cut at a point, a byte replaced, a later duplicate "log". */
const damage = fc.oneof(
  fc.constant({ kind: 'none' as const }),
  fc.record({ kind: fc.constant('cut' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({
    kind: fc.constant('byte' as const),
    at: fc.double({ min: 0, max: 1, noNaN: true }),
    byte: fc.constantFrom(...'{}[]",:x\\'.split('').map((c) => c.charCodeAt(0)), 0xff, 0xc3),
  }),
  fc.constant({ kind: 'duplicate' as const }),
);

function damaged(doc: string, how: { kind: string; at?: number; byte?: number }): Uint8Array {
  if (how.kind === 'duplicate') return encoder.encode(`${doc.slice(0, -1)},"log":{"entries":[]}}`);
  const bytes = encoder.encode(doc);
  const at = Math.floor((how.at ?? 0) * bytes.length);
  if (how.kind === 'cut') return bytes.slice(0, at);
  if (how.kind === 'byte') {
    const copy = bytes.slice();
    copy[Math.min(at, copy.length - 1)] = how.byte as number;
    return copy;
  }
  return bytes;
}

describe('property: entries read in batches elsewhere give what one thread gives', () => {
  test('random HARs, random chunks, batches and split points, answered out of order, whole or broken', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(arbitraryEntry, { maxLength: 14 }),
        fc.boolean(),
        damage,
        fc.array(fc.integer({ min: 1, max: 400 }), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 1, max: 3000 }),
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.integer({ min: 0, max: 12 }), { minLength: 1, maxLength: 5 }),
        async (entries, pretty, how, sizes, batchBytes, maxPending, ticks) => {
          const bytes = damaged(JSON.stringify(har(...entries), null, pretty ? 1 : undefined), how);
          assert.deepEqual(outcome(await deferred(bytes, sizes, batchBytes, maxPending, ticks)), outcome(oneThread(bytes, sizes)));
        },
      ),
      { numRuns: 300 },
    );
  });

  test('a malformed entry in a later batch stops reading there, with the counts of one thread', async () => {
    const good = entry({ method: 'POST', url: 'https://idp.test/token', postData: tokenPost, content: { text: tokenBody } });
    const use = entry({ url: 'https://api.test/x', requestHeaders: bearer('opaque-at-1') });
    const doc = JSON.stringify(har(good, use, good, use, good));
    let seen = 0;
    // The third entry (the second POST) is broken.
    const broken = doc.replace(/"method":"POST"/g, (match) => (++seen === 2 ? `${match},,` : match));
    const bytes = encoder.encode(broken);
    const one = oneThread(bytes, [bytes.length]);
    assert.match(one.error?.message ?? '', /malformed JSON in entry 3 \(counting from 1\)/);
    assert.equal(one.exchanges.length, 1);
    assert.deepEqual(outcome(await deferred(bytes, [97], 200, 2, [3, 0])), outcome(one));
  });
});
