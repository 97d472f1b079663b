/** The bounded memo map (core/bounded-map.ts): at most its capacity, the oldest let go first. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BoundedMap } from '../../src/core/bounded-map.js';

test('a new key at capacity lets the oldest entry go, in the order keys were first set', () => {
  const memo = new BoundedMap<string, number>(3);
  for (const [key, value] of [
    ['a', 1],
    ['b', 2],
    ['c', 3],
  ] as const)
    memo.set(key, value);
  memo.set('a', 10); // a kept key keeps its place: still the oldest
  memo.set('d', 4);
  assert.deepEqual(
    [...memo],
    [
      ['b', 2],
      ['c', 3],
      ['d', 4],
    ],
  );
  memo.set('e', 5);
  assert.deepEqual([...memo.keys()], ['c', 'd', 'e']);
  assert.equal(memo.size, 3);
});

test('getOrMake makes a value once per kept key, and again after the key was let go', () => {
  const memo = new BoundedMap<number, string>(2);
  let made = 0;
  const make = (n: number) => () => {
    made += 1;
    return `value ${n}`;
  };
  assert.equal(memo.getOrMake(1, make(1)), 'value 1');
  assert.equal(memo.getOrMake(1, make(1)), 'value 1');
  assert.equal(made, 1, 'kept, not made again');
  memo.getOrMake(2, make(2));
  memo.getOrMake(3, make(3)); // 1 goes
  assert.equal(memo.has(1), false);
  assert.equal(memo.getOrMake(1, make(1)), 'value 1');
  assert.equal(made, 4, 'made again once let go');
});

test('a value that is falsy is kept as a value, not made again', () => {
  const memo = new BoundedMap<string, number | null>(2);
  let made = 0;
  const zero = () => {
    made += 1;
    return 0;
  };
  assert.equal(memo.getOrMake('zero', zero), 0);
  assert.equal(memo.getOrMake('zero', zero), 0);
  assert.equal(made, 1);
});

test('a capacity under one is refused with a clear error', () => {
  assert.throws(() => new BoundedMap(0), /at least one entry/);
  assert.throws(() => new BoundedMap(Number.NaN), /at least one entry/);
});
