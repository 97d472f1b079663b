/**
 * The relay's evidence courier (src/content/evidence-courier.ts) with a fake Resource Timing source and the test
 * runner's clock: evidence goes only after its capture was answered, rides with the next capture when one comes, and
 * otherwise goes on its own, several captures' in one message.
 */
import assert from 'node:assert/strict';
import { describe, mock, test } from 'node:test';
import { type Evidence, EvidenceCourier, type EvidenceSource, WAIT_MS } from '../../src/content/evidence-courier.js';

/** Entries the browser "delivered" (by URL), and `wasSent` promises the test settles by hand. */
class FakeSource implements EvidenceSource {
  readonly delivered = new Set<string>();
  readonly waiting = new Map<string, (seen: boolean) => void>();
  settledCount = 0;
  sentNow(url: string): boolean {
    return this.delivered.delete(url);
  }
  wasSent(url: string): Promise<boolean> {
    return new Promise((resolve) => this.waiting.set(url, resolve));
  }
  settled(): void {
    this.settledCount += 1;
  }
  /** The observer's batch came: `wasSent` for `url` resolves. */
  deliver(url: string, seen = true): void {
    this.waiting.get(url)?.(seen);
    this.waiting.delete(url);
  }
}

const evidence = (i: number): Evidence => ({
  captureId: String(i).padStart(24, 'a'),
  url: `http://127.0.0.1:4000/token?${i}`,
  startedAt: '2026-12-08T00:00:00.000Z',
});
const flushPromises = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('EvidenceCourier', () => {
  test('found before its capture was answered: held until the answer, then carried by the next capture', async () => {
    const source = new FakeSource();
    const sent: Evidence[][] = [];
    const courier = new EvidenceCourier(source, (batch) => sent.push(batch));
    courier.follow(evidence(1));
    source.deliver(evidence(1).url);
    await flushPromises();
    assert.deepEqual(courier.take(), [], 'not before the worker stored its capture');
    courier.stored(evidence(1).captureId);
    assert.deepEqual(courier.take(), [evidence(1)]);
    assert.deepEqual(courier.take(), [], 'carried once');
    assert.equal(source.settledCount, 1);
    assert.deepEqual(sent, []);
  });

  test("delivered to the observer's queue but not yet to its callback: the next capture finds it and carries it", () => {
    const source = new FakeSource();
    const courier = new EvidenceCourier(source, () => assert.fail('nothing goes on its own'));
    courier.follow(evidence(1));
    courier.stored(evidence(1).captureId);
    source.delivered.add(evidence(1).url);
    assert.deepEqual(courier.take(), [evidence(1)]);
  });

  test('no capture comes: after WAIT_MS, every ready one in one message', async () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    try {
      const source = new FakeSource();
      const sent: Evidence[][] = [];
      const courier = new EvidenceCourier(source, (batch) => sent.push(batch));
      for (const i of [1, 2, 3]) {
        courier.follow(evidence(i));
        courier.stored(evidence(i).captureId);
        source.deliver(evidence(i).url);
      }
      await flushPromises();
      mock.timers.tick(WAIT_MS - 1);
      assert.deepEqual(sent, []);
      mock.timers.tick(1);
      assert.deepEqual(sent, [[evidence(1), evidence(2), evidence(3)]]);
    } finally {
      mock.timers.reset();
    }
  });

  test('not seen: nothing is sent for it', async () => {
    const source = new FakeSource();
    const courier = new EvidenceCourier(source, () => assert.fail('nothing to send'));
    courier.follow(evidence(1));
    courier.stored(evidence(1).captureId);
    source.deliver(evidence(1).url, false);
    await flushPromises();
    assert.deepEqual(courier.take(), []);
    courier.pageHidden();
  });

  test('the page hides: what was found goes at once, even for a capture not answered yet (it is ahead on the port)', () => {
    const source = new FakeSource();
    const sent: Evidence[][] = [];
    const courier = new EvidenceCourier(source, (batch) => sent.push(batch));
    courier.follow(evidence(1));
    courier.follow(evidence(2));
    source.delivered.add(evidence(1).url);
    courier.pageHidden();
    assert.deepEqual(sent, [[evidence(1)]], 'the one whose entry is there');
  });
});
