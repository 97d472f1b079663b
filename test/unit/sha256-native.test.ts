/**
 * The CLI fingerprints with node:crypto (cli/native-hash.ts) instead of the portable SHA-256: a
 * report must show the same `sha256:` fingerprints either way, for any text a HAR can hold
 * (non-ASCII, astral characters, lone surrogates, which both encode as U+FFFD).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { nodeSha256Hex } from '../../src/cli/native-hash.js';
import { fingerprint, portableSha256Hex, useNativeSha256Hex } from '../../src/core/sha256.js';

test('node:crypto gives the portable digest of any string, lone surrogates included', () => {
  const text = fc.oneof(
    fc.string({ unit: 'binary' }),
    fc.string({ unit: fc.integer({ min: 0xd7f0, max: 0xe010 }).map((c) => String.fromCharCode(c)) }),
  );
  fc.assert(
    fc.property(text, (value) => {
      assert.equal(nodeSha256Hex(value), portableSha256Hex(value));
    }),
    { numRuns: 500 },
  );
  assert.equal(nodeSha256Hex('\ud800'), portableSha256Hex('\ufffd'));
});

test('a handed-in SHA-256 is what fingerprints use, until it is taken back', () => {
  const secret = 'eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl';
  const portable = fingerprint(secret);
  let calls = 0;
  useNativeSha256Hex((text) => {
    calls++;
    return nodeSha256Hex(text);
  });
  try {
    assert.equal(fingerprint(secret), portable);
    assert.equal(calls, 1);
  } finally {
    useNativeSha256Hex(null);
  }
  assert.equal(fingerprint(secret), portable);
  assert.equal(calls, 1);
});
