/** The relays' captures over a long-lived port (background/capture-port.ts): answered by id after the write, the sender the port's own. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Runtime } from 'webextension-polyfill';
import { acceptCapturePort } from '../../src/background/capture-port.js';
import { CAPTURE_PORT } from '../../src/protocol/channel.js';
import { until } from './until.js';
import { contentScript, EXT_ID, pageExchange, setup } from './worker-fake.js';

/** A port as the worker sees it: what it posts is recorded; the test plays the relay's side. */
function fakePort(sender: Runtime.MessageSender, name = CAPTURE_PORT) {
  const onMessage: Array<(message: unknown) => void> = [];
  const onDisconnect: Array<() => void> = [];
  const posted: unknown[] = [];
  const port = {
    name,
    sender,
    postMessage: (message: unknown) => posted.push(message),
    onMessage: { addListener: (listener: (message: unknown) => void) => onMessage.push(listener) },
    onDisconnect: { addListener: (listener: () => void) => onDisconnect.push(listener) },
  } as unknown as Runtime.Port;
  // One turn of the event loop, no fixed time: what a test expects to happen is waited for with `until`.
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  return {
    port,
    posted,
    send: async (message: unknown) => {
      for (const listener of onMessage) listener(message);
      await settle();
    },
    disconnect: () => {
      for (const listener of onDisconnect) listener();
    },
  };
}

test('a capture over the port is stored, then answered with its id', async () => {
  const fake = setup();
  const relay = fakePort(contentScript());
  acceptCapturePort(fake.deps, relay.port);
  await relay.send({ id: 1, message: { type: 'page-exchange', exchange: pageExchange() } });
  await until('the answer', () => relay.posted.length > 0);
  assert.deepEqual(relay.posted, [{ id: 1, reply: { stored: true } }]);
  assert.equal((await fake.deps.store.tab(7)).length, 1);
});

test('the sender is the port’s: an extension page cannot send page messages through it; nothing without an id', async () => {
  const fake = setup();
  const extensionPage = fakePort({ id: EXT_ID, url: `chrome-extension://${EXT_ID}/popup.html` });
  acceptCapturePort(fake.deps, extensionPage.port);
  await extensionPage.send({ id: 2, message: { type: 'page-exchange', exchange: pageExchange() } });
  await until('the answer', () => extensionPage.posted.length > 0);
  assert.deepEqual(extensionPage.posted, [{ id: 2, reply: null }], 'no answer: the relay sends it again, and it is never stored');
  const relay = fakePort(contentScript());
  acceptCapturePort(fake.deps, relay.port);
  await relay.send({ message: { type: 'page-exchange', exchange: pageExchange() } });
  assert.deepEqual(relay.posted, []);
  assert.equal((await fake.deps.store.tab(7)).length, 0);
});

test('another name is not taken; a port that went away is not answered', async () => {
  const fake = setup();
  const other = fakePort(contentScript(), 'something-else');
  acceptCapturePort(fake.deps, other.port);
  await other.send({ id: 3, message: { type: 'page-exchange', exchange: pageExchange() } });
  assert.deepEqual(other.posted, []);
  const gone = fakePort(contentScript());
  acceptCapturePort(fake.deps, gone.port);
  const sent = gone.send({ id: 4, message: { type: 'page-exchange', exchange: pageExchange() } });
  gone.disconnect();
  await sent;
  await until('the stored capture', async () => (await fake.deps.store.tab(7)).length > 0);
  assert.deepEqual(gone.posted, [], 'the document left: no answer posted');
  assert.equal((await fake.deps.store.tab(7)).length, 1, 'what arrived is still stored');
});
