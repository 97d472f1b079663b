/**
 * The page hook's end of the channel (content/hook-port.ts), with the test as the relay over a fake window: after the
 * handshake each message reaches the relay synchronously, inside the hook's call, as the secret event the relay
 * named; a Bearer token and host count as reported only once the relay says the worker took the use (BEARER_TAKEN).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BEARER_TAKEN, CHANNEL_ACK, CHANNEL_OFFER, PAGE_BEARER_MESSAGE, PAGE_MESSAGE } from '../../src/protocol/channel.js';

/** A window: an EventTarget whose postMessage delivers a message event to itself a moment later, as a browser does. */
class FakeWindow extends EventTarget {
  postMessage(data: unknown, _origin: string, ports: MessagePort[] = []): void {
    setImmediate(() => {
      const event = new Event('message');
      Object.defineProperties(event, { data: { value: data }, ports: { value: ports }, source: { value: this } });
      this.dispatchEvent(event);
    });
  }
}

const SYNC_EVENT = `tokenscope-${'0123456789abcdef'.repeat(2)}`;
const tick = () => new Promise((resolve) => setImmediate(resolve));

test('messages reach the relay inside the call; a Bearer use is reported again until the worker took it', async () => {
  const fakeWindow = new FakeWindow();
  (globalThis as { window?: unknown }).window = fakeWindow;
  const hook = await import('../../src/content/hook-port.js');

  // The relay: takes the offered port, names its event, collects what the hook sends either way.
  const received: Array<Record<string, unknown>> = [];
  let relayPort: MessagePort | null = null;
  fakeWindow.addEventListener('message', (event) => {
    const { data, ports } = event as MessageEvent;
    if ((data as { tokenscope?: unknown })?.tokenscope !== CHANNEL_OFFER || relayPort) return;
    relayPort = ports[0] as MessagePort;
    relayPort.onmessage = (message) => received.push({ viaPort: true, ...(message.data as object) });
    relayPort.postMessage({ tokenscope: CHANNEL_ACK, event: SYNC_EVENT });
  });
  fakeWindow.addEventListener(SYNC_EVENT, (event) => received.push(JSON.parse((event as CustomEvent).detail as string)));
  hook.connectToRelay();
  for (let i = 0; i < 20 && !relayPort; i++) await tick();
  assert.ok(relayPort, 'the hook offered its port');
  await tick(); // The acknowledgement reaches the hook.

  const exchange = { url: 'https://as.test/token', method: 'POST' } as unknown as Parameters<typeof hook.post>[0];
  hook.post(exchange);
  assert.deepEqual(received, [{ tokenscope: PAGE_MESSAGE, exchange }], 'delivered before the call returned');

  received.length = 0;
  const bearers = () => received.filter((m) => m.tokenscope === PAGE_BEARER_MESSAGE);
  hook.reportBearer('https://api.test/me', 'GET', 'Bearer fresh-token');
  hook.reportBearer('https://api.test/other', 'GET', 'Bearer fresh-token');
  assert.equal(bearers().length, 1, 'once per token and host while it is on its way');
  const first = bearers()[0] as unknown as { id: number; bearer: { token: string; url: string } };
  assert.equal(first.bearer.token, 'fresh-token');
  assert.equal(typeof first.id, 'number');

  // The worker refused it (say the site was not watched at that moment): the next request reports it again.
  (relayPort as unknown as MessagePort).postMessage({ tokenscope: BEARER_TAKEN, id: first.id, taken: false });
  await tick();
  hook.reportBearer('https://api.test/again', 'GET', 'Bearer fresh-token');
  assert.equal(bearers().length, 2);
  const second = bearers()[1] as unknown as { id: number };
  assert.notEqual(second.id, first.id);

  // Taken (kept, or held until its exchange lands): never again for this host; another host is its own.
  (relayPort as unknown as MessagePort).postMessage({ tokenscope: BEARER_TAKEN, id: second.id, taken: true });
  await tick();
  hook.reportBearer('https://api.test/later', 'GET', 'Bearer fresh-token');
  assert.equal(bearers().length, 2);
  hook.reportBearer('https://other.test/x', 'GET', 'Bearer fresh-token');
  assert.equal(bearers().length, 3);
  // A forged acknowledgement for an id never sent changes nothing.
  (relayPort as unknown as MessagePort).postMessage({ tokenscope: BEARER_TAKEN, id: 9999, taken: true });
  await tick();
  assert.ok(
    received.every((m) => !('viaPort' in m)),
    'nothing went through the port once the relay named its event',
  );

  // RFC 9449 s9: the API answers a DPoP call 401 use_dpop_nonce. The challenge is reported (no proof, no body), and the
  // retry to that host is reported again, with its proof, though the first call's use was taken.
  hook.reportBearer('https://api.test/data', 'GET', 'DPoP bound-token', () => 'first.proof.sig');
  const dpopFirst = bearers().at(-1) as unknown as { id: number; bearer: Record<string, unknown> };
  assert.deepEqual([dpopFirst.bearer.scheme, dpopFirst.bearer.proof], ['dpop', 'first.proof.sig']);
  (relayPort as unknown as MessagePort).postMessage({ tokenscope: BEARER_TAKEN, id: dpopFirst.id, taken: true });
  await tick();
  hook.reportNonceChallenge('https://api.test/data', 'GET', 'DPoP bound-token');
  const challenge = bearers().at(-1) as unknown as { bearer: Record<string, unknown> };
  assert.equal(challenge.bearer.challenge, 'use_dpop_nonce');
  assert.equal(challenge.bearer.proof, undefined);
  hook.reportBearer('https://api.test/data', 'GET', 'DPoP bound-token', () => 'retry.proof.sig');
  const retry = bearers().at(-1) as unknown as { bearer: Record<string, unknown> };
  assert.deepEqual([retry.bearer.proof, retry.bearer.challenge], ['retry.proof.sig', undefined]);
  const count = bearers().length;
  hook.reportBearer('https://api.test/data', 'GET', 'DPoP bound-token', () => 'third.proof.sig');
  assert.equal(bearers().length, count, 'after the retry, once per token and host again');
  // A call that carried no token: nothing to report.
  hook.reportNonceChallenge('https://api.test/data', 'GET', null);
  assert.equal(bearers().length, count);
  (relayPort as unknown as MessagePort).close();
});
