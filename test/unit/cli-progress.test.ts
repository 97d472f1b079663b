/** The CLI's progress line: on a terminal and for large input only, redrawn in place, erased at the end. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LARGE_INPUT_BYTES, ProgressLine } from '../../src/cli/progress.js';

const MB = 1024 * 1024;

function line(options: { tty: boolean; total: number | null; inputs?: number }) {
  const written: string[] = [];
  let clock = 0;
  const progress = new ProgressLine(
    (text) => written.push(text),
    options.inputs ?? 1,
    options.total,
    options.tty,
    () => clock,
  );
  return { written, progress, tick: () => (clock += 1000) };
}

test('a large input on a terminal: percent and exchanges, redrawn, then erased', () => {
  const { written, progress, tick } = line({ tty: true, total: 300 * MB });
  progress.update(0, { bytes: 75 * MB, entries: 10, exchanges: 2 });
  tick();
  progress.update(0, { bytes: 150 * MB, entries: 20, exchanges: 3 });
  progress.done();
  assert.deepEqual(written, [
    '\r\x1b[2Ktokenscope: reading 75 of 300 MB (25%), 2 token exchange(s) so far',
    '\r\x1b[2Ktokenscope: reading 150 of 300 MB (50%), 3 token exchange(s) so far',
    '\r\x1b[2K',
  ]);
});

test('not more often than every 200 ms; several inputs summed; stdin (size unknown) shown once large', () => {
  const { written, progress, tick } = line({ tty: true, total: null, inputs: 2 });
  progress.update(0, { bytes: LARGE_INPUT_BYTES / 2, entries: 1, exchanges: 1 });
  assert.deepEqual(written, [], 'small so far');
  progress.update(1, { bytes: LARGE_INPUT_BYTES, entries: 1, exchanges: 1 });
  progress.update(1, { bytes: LARGE_INPUT_BYTES + MB, entries: 1, exchanges: 1 });
  tick();
  progress.update(0, { bytes: LARGE_INPUT_BYTES, entries: 1, exchanges: 4 });
  assert.deepEqual(written, [
    '\r\x1b[2Ktokenscope: reading 2 inputs: 96 MB, 2 token exchange(s) so far',
    '\r\x1b[2Ktokenscope: reading 2 inputs: 129 MB, 5 token exchange(s) so far',
  ]);
});

test('nothing when stderr is not a terminal, or the input is small', () => {
  for (const options of [
    { tty: false, total: 900 * MB },
    { tty: true, total: 10 * MB },
  ]) {
    const { written, progress, tick } = line(options);
    progress.update(0, { bytes: 10 * MB, entries: 1, exchanges: 1 });
    tick();
    progress.update(0, { bytes: options.total, entries: 1, exchanges: 1 });
    progress.done();
    assert.deepEqual(written, []);
  }
});
