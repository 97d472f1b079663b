/**
 * The relay's acknowledgement and resend queue (src/content/delivery.ts), over a fake port to a fake worker
 * that drops messages: on the way in (never stored), on the way back (stored, answer lost: the worker stopped
 * after its write) or stops answering for a while. Every capture ends up stored once.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type Attempt, DeliveryQueue } from '../../src/content/delivery.js';
import { until } from './until.js';

interface Capture {
  captureId: string;
  body: string;
}

/** A worker behind a lossy port: it stores a capture id once (as the store does) and answers after storing. */
class LossyWorker {
  readonly stored: string[] = [];
  sent = 0;
  /** While true, nothing reaches the worker (it is stopped and not yet woken). */
  down = false;
  private seed = 7;

  constructor(
    private readonly dropIn: number,
    private readonly dropOut: number,
  ) {}

  private random(): number {
    this.seed = (this.seed * 1103515245 + 12345) % 2 ** 31;
    return this.seed / 2 ** 31;
  }

  async deliver(capture: Capture): Promise<Attempt> {
    this.sent += 1;
    await new Promise((resolve) => setImmediate(resolve));
    if (this.down || this.random() < this.dropIn) return 'unanswered'; // Lost on the way in.
    if (!this.stored.includes(capture.captureId)) this.stored.push(capture.captureId);
    return this.random() < this.dropOut ? 'unanswered' : 'answered'; // Stored; the answer may be lost.
  }
}

const captures = (n: number): Capture[] =>
  Array.from({ length: n }, (_, i) => ({ captureId: `c${String(i).padStart(3, '0')}`, body: `exchange ${i}` }));

describe('DeliveryQueue', () => {
  test('a port that drops 40% of messages each way: every capture is stored exactly once, and the queue empties', async () => {
    const worker = new LossyWorker(0.4, 0.4);
    const queue = new DeliveryQueue<Capture>(
      (c) => worker.deliver(c),
      () => assert.fail('not orphaned'),
      { baseDelayMs: 1, maxDelayMs: 4, maxAttempts: 50 },
    );
    const all = captures(60);
    for (const capture of all) queue.push(capture);
    await until('the queue to empty', () => queue.held === 0);
    assert.deepEqual([...worker.stored].sort(), all.map((c) => c.captureId).sort());
    assert.equal(queue.takeLost(), 0);
    assert.ok(worker.sent > all.length, 'some were resent');
  });

  test('a worker down for a while (stopped): nothing is dropped, all arrive once it is back', async () => {
    const worker = new LossyWorker(0, 0);
    worker.down = true;
    const queue = new DeliveryQueue<Capture>(
      (c) => worker.deliver(c),
      () => assert.fail('not orphaned'),
      { baseDelayMs: 1, maxDelayMs: 8, maxAttempts: 1000 },
    );
    for (const capture of captures(12)) queue.push(capture);
    await until('a few resends while down', () => worker.sent >= 36);
    assert.equal(queue.held, 12);
    assert.deepEqual(worker.stored, []);
    worker.down = false;
    await until('the queue to empty', () => queue.held === 0);
    assert.equal(worker.stored.length, 12);
  });

  test('when one capture is answered, the others waiting for a resend go at once, not after their backoff', async () => {
    const worker = new LossyWorker(0, 0);
    worker.down = true;
    const queue = new DeliveryQueue<Capture>(
      (c) => worker.deliver(c),
      () => {},
      { baseDelayMs: 60_000, maxDelayMs: 60_000 },
    );
    for (const capture of captures(5)) queue.push(capture);
    await until('every first attempt to fail', () => worker.sent === 5);
    worker.down = false;
    queue.push({ captureId: 'new', body: 'the worker is back' });
    await until('every capture to be stored', () => worker.stored.length === 6, 2_000);
    assert.equal(queue.held, 0);
  });

  test('bounded: past its capacity the oldest capture is given up and counted as lost', async () => {
    const worker = new LossyWorker(0, 0);
    worker.down = true;
    const queue = new DeliveryQueue<Capture>(
      (c) => worker.deliver(c),
      () => {},
      { capacity: 4, baseDelayMs: 1, maxDelayMs: 2, maxAttempts: 1000 },
    );
    for (const capture of captures(7)) queue.push(capture);
    assert.equal(queue.held, 4);
    assert.equal(queue.takeLost(), 3);
    assert.equal(queue.takeLost(), 0, 'counted once');
    await until('the first attempts to fail and the held ones to be resent', () => worker.sent >= 11);
    worker.down = false;
    await until('the queue to empty', () => queue.held === 0);
    assert.deepEqual(worker.stored.sort(), ['c003', 'c004', 'c005', 'c006']);
  });

  test('a capture never answered is given up after its attempts, and counted as lost', async () => {
    const worker = new LossyWorker(1, 0);
    const queue = new DeliveryQueue<Capture>(
      (c) => worker.deliver(c),
      () => {},
      { baseDelayMs: 1, maxDelayMs: 1, maxAttempts: 3 },
    );
    queue.push(captures(1)[0] as Capture);
    await until('it to be given up', () => queue.held === 0);
    assert.equal(worker.sent, 3);
    assert.equal(queue.takeLost(), 1);
  });

  test('an attempt that never settles counts as unanswered after the timeout', async () => {
    let calls = 0;
    const queue = new DeliveryQueue<Capture>(
      () => {
        calls += 1;
        return calls === 1 ? new Promise<Attempt>(() => {}) : Promise.resolve('answered');
      },
      () => {},
      { baseDelayMs: 1, timeoutMs: 20 },
    );
    queue.push(captures(1)[0] as Capture);
    await until('the resend to be answered', () => queue.held === 0);
    assert.equal(calls, 2);
  });

  test('orphaned (the extension was reloaded): everything held is handed back once, in order, and later pushes too', async () => {
    const handedBack: Capture[][] = [];
    let orphan = false;
    const queue = new DeliveryQueue<Capture>(
      async () => (orphan ? 'orphaned' : 'unanswered'),
      (held) => handedBack.push(held),
      { baseDelayMs: 1, maxDelayMs: 2, maxAttempts: 1000 },
    );
    const all = captures(3);
    for (const capture of all) queue.push(capture);
    orphan = true;
    await until('the hand-back', () => handedBack.length === 1);
    assert.deepEqual(handedBack[0], all);
    assert.equal(queue.held, 0);
    queue.push({ captureId: 'late', body: 'after the reload' });
    assert.deepEqual(handedBack[1], [{ captureId: 'late', body: 'after the reload' }]);
  });
});
