/** bounded.ts: untrusted nested values kept within depth and size, safe to serialize whatever comes in. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { boundValue, DEEPER_MARKER, MAX_DEPTH, MAX_MEMBERS } from '../../src/core/bounded.js';
import { decodeToken } from '../../src/core/tokens.js';
import { jwt } from './helpers.js';

function depthOf(value: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop() as [unknown, number];
    deepest = Math.max(deepest, depth);
    if (typeof current === 'object' && current !== null) for (const child of Object.values(current)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/** `{"a":{"a":...1}}`, `levels` deep, made as text and parsed (as a token's claims would be). */
function nested(levels: number): unknown {
  return JSON.parse(`${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`);
}

describe('boundValue', () => {
  test('values within the bounds are kept as they are, and say nothing was cut', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), (value) => {
        const kept = boundValue(value);
        assert.equal(kept.cut, false);
        // The value itself (not a JSON round trip, which turns -0 into 0: JSON.parse('-0') is -0, and so is what is kept).
        assert.deepEqual(kept.value, value);
      }),
    );
  });

  test('any nesting, random or 50,000 deep, comes back serializable and at most MAX_DEPTH deep', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 60 }), fc.integer({ min: 0, max: 60 }), (value, wrap) => {
        const kept = boundValue(JSON.parse(`${'['.repeat(wrap)}${JSON.stringify(value)}${']'.repeat(wrap)}`));
        assert.doesNotThrow(() => JSON.stringify(kept.value));
        assert.ok(depthOf(kept.value) <= MAX_DEPTH);
      }),
    );
    const kept = boundValue(nested(50_000));
    assert.equal(kept.cut, true);
    assert.equal(depthOf(kept.value), MAX_DEPTH);
    assert.match(JSON.stringify(kept.value), new RegExp(DEEPER_MARKER.replace(/[[\]]/g, '\\$&')));
  });

  test('wide objects and arrays keep their first MAX_MEMBERS members', () => {
    const wide = Object.fromEntries(Array.from({ length: MAX_MEMBERS + 5 }, (_, i) => [`k${i}`, i]));
    const kept = boundValue({ wide, list: Array.from({ length: MAX_MEMBERS + 5 }, (_, i) => i) });
    assert.equal(kept.cut, true);
    assert.equal(Object.keys(kept.value.wide).length, MAX_MEMBERS);
    assert.equal(kept.value.list.length, MAX_MEMBERS);
    assert.equal(kept.value.list[MAX_MEMBERS - 1], MAX_MEMBERS - 1);
  });

  test('a "__proto__" member stays a member and changes no prototype', () => {
    const kept = boundValue(JSON.parse('{"__proto__": {"polluted": true}, "b": 1}') as Record<string, unknown>);
    assert.equal(Object.getPrototypeOf(kept.value), Object.prototype);
    assert.deepEqual(Object.keys(kept.value), ['__proto__', 'b']);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});

describe('a token whose claims nest 5,000 deep', () => {
  test('decodes with its audience, its claims cut with a note, and its report serializes', () => {
    // Made as text: JSON.stringify itself cannot write a value this deep, which is the point.
    const claims = `{"aud":"https://api.example.test","iss":"https://as.example.test/","n":${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}}`;
    const deep = `${jwt({}).split('.')[0]}.${Buffer.from(claims).toString('base64url')}.c2ln`;
    const decoded = decodeToken(deep, 'access', new Date(), 3600, false);
    assert.equal(decoded.malformed, false);
    assert.equal(decoded.report.claims?.aud, 'https://api.example.test');
    assert.match(decoded.report.note ?? '', /nested over 24 levels/);
    assert.doesNotThrow(() => structuredClone(decoded.report));
    assert.doesNotThrow(() => JSON.stringify(decoded.report));
  });
});
