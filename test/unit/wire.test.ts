/** The wire log: token requests webRequest saw, each verifying one page-reported exchange. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { WebRequest } from 'webextension-polyfill';
import { type WireRecord, WireLog, wireBody } from '../../src/background/wire.js';
import { FakeArea } from './fakes.js';

type Body = WebRequest.OnBeforeRequestDetailsTypeRequestBodyType;

/** webRequest's formData: every key has a list of values (the polyfill's types say string). */
const form = (fields: Record<string, string[]>): Body => ({ formData: fields as unknown as Record<string, string> });
const raw = (...parts: Array<string | { file: string }>): Body => ({
  raw: parts.map((part) => (typeof part === 'string' ? { bytes: new TextEncoder().encode(part).buffer } : part)),
});

const TOKEN_URL = 'http://127.0.0.1:4000/oauth2/token';
const records = (area: FakeArea) => (area.data.get('wire') as WireRecord[] | undefined) ?? [];

function setup() {
  const area = new FakeArea();
  return { area, wire: new WireLog(area) };
}

describe('wireBody', () => {
  test('nothing is null', () => {
    assert.equal(wireBody(undefined), null);
    assert.equal(wireBody({}), null);
    assert.equal(wireBody({ raw: [] }), null);
    assert.equal(wireBody({ error: 'Unknown error.' }), null);
  });

  test('formData becomes a form-encoded string, every value of every key', () => {
    assert.equal(
      wireBody(form({ grant_type: ['client_credentials'], scope: ['read write'], resource: ['https://a.test/', 'https://b.test/'] })),
      'grant_type=client_credentials&scope=read+write&resource=https%3A%2F%2Fa.test%2F&resource=https%3A%2F%2Fb.test%2F',
    );
    assert.equal(wireBody(form({})), '');
  });

  test('formData wins over raw', () => {
    assert.equal(wireBody({ ...form({ a: ['1'] }), ...raw('b=2') }), 'a=1');
  });

  test('raw bytes are decoded as UTF-8 and joined; file parts are empty', () => {
    assert.equal(wireBody(raw('grant_type=refresh_token')), 'grant_type=refresh_token');
    assert.equal(wireBody(raw('{"grant_type":', '"client_credentials"}')), '{"grant_type":"client_credentials"}');
    assert.equal(wireBody(raw('a=1', { file: '/tmp/upload.bin' }, '&b=ü')), 'a=1&b=ü');
  });

  test('raw text is cut at 64 KiB', () => {
    assert.equal(wireBody(raw('x'.repeat(70 * 1024)))?.length, 64 * 1024);
  });
});

describe('WireLog.seen', () => {
  test('keeps a POST with grant_type in formData', async () => {
    const { area, wire } = setup();
    const now = Date.now();
    await wire.seen({
      tabId: 7,
      method: 'POST',
      url: 'http://127.0.0.1:4000/login',
      timeStamp: now,
      requestBody: form({ grant_type: ['authorization_code'], code: ['abc'] }),
    });
    assert.deepEqual(records(area), [{ tabId: 7, method: 'POST', url: 'http://127.0.0.1:4000/login', time: now }]);
  });

  test('keeps a POST with grant_type in raw bytes (JSON)', async () => {
    const { area, wire } = setup();
    await wire.seen({
      tabId: 3,
      method: 'POST',
      url: 'https://api.example.test/session',
      timeStamp: Date.now(),
      requestBody: raw('{"grant_type":"password"}'),
    });
    assert.equal(records(area).length, 1);
  });

  test('keeps a POST to a token-like path even without a body', async () => {
    const { area, wire } = setup();
    await wire.seen({ tabId: 1, method: 'POST', url: TOKEN_URL, timeStamp: Date.now() });
    await wire.seen({
      tabId: 1,
      method: 'POST',
      url: 'https://kc.example.test/realms/x/protocol/openid-connect/token',
      timeStamp: Date.now(),
    });
    assert.equal(records(area).length, 2);
  });

  test('ignores what is not a token request from a tab', async () => {
    const { area, wire } = setup();
    const now = Date.now();
    const ignored = [
      { tabId: 7, method: 'POST', url: 'https://app.example.test/api/items', timeStamp: now, requestBody: form({ name: ['x'] }) },
      { tabId: 7, method: 'POST', url: 'https://app.example.test/api/items', timeStamp: now, requestBody: raw('{"name":"grant"}') },
      { tabId: 7, method: 'POST', url: 'https://app.example.test/api/items', timeStamp: now },
      { tabId: 7, method: 'GET', url: TOKEN_URL, timeStamp: now },
      { tabId: 7, method: 'PUT', url: TOKEN_URL, timeStamp: now, requestBody: form({ grant_type: ['client_credentials'] }) },
      { tabId: -1, method: 'POST', url: TOKEN_URL, timeStamp: now, requestBody: form({ grant_type: ['client_credentials'] }) },
    ];
    for (const details of ignored) assert.equal(wire.seen(details), undefined, JSON.stringify(details));
    assert.equal(area.data.has('wire'), false);
  });

  test('forgets records older than two minutes', async () => {
    const { area, wire } = setup();
    const now = Date.now();
    await wire.seen({ tabId: 1, method: 'POST', url: `${TOKEN_URL}?old`, timeStamp: now - 130_000 });
    await wire.seen({ tabId: 1, method: 'POST', url: `${TOKEN_URL}?recent`, timeStamp: now - 60_000 });
    await wire.seen({ tabId: 1, method: 'POST', url: TOKEN_URL, timeStamp: now });
    assert.deepEqual(
      records(area).map((r) => r.url),
      [`${TOKEN_URL}?recent`, TOKEN_URL],
    );
  });

  test('keeps at most the newest 100 records', async () => {
    const { area, wire } = setup();
    const now = Date.now();
    for (let i = 0; i < 105; i++) await wire.seen({ tabId: 1, method: 'POST', url: `${TOKEN_URL}?n=${i}`, timeStamp: now });
    const list = records(area);
    assert.equal(list.length, 100);
    assert.equal(list[0]?.url, `${TOKEN_URL}?n=5`);
    assert.equal(list[99]?.url, `${TOKEN_URL}?n=104`);
  });

  test('concurrent requests lose nothing', async () => {
    const { area, wire } = setup();
    const now = Date.now();
    await Promise.all(Array.from({ length: 30 }, (_, i) => wire.seen({ tabId: i, method: 'POST', url: TOKEN_URL, timeStamp: now })));
    assert.equal(records(area).length, 30);
  });
});

describe('WireLog.verify', () => {
  test('matches the same tab, method and URL within 60 s, and consumes the record', async () => {
    const { area, wire } = setup();
    const now = Date.now();
    await wire.seen({ tabId: 7, method: 'POST', url: TOKEN_URL, timeStamp: now });
    assert.equal(await wire.verify(7, 'POST', TOKEN_URL, now + 250), true);
    assert.equal(await wire.verify(7, 'POST', TOKEN_URL, now + 250), false);
    assert.deepEqual(records(area), []);
  });

  test('each record verifies one exchange: two requests verify two reports', async () => {
    const { wire } = setup();
    const now = Date.now();
    await wire.seen({ tabId: 7, method: 'POST', url: TOKEN_URL, timeStamp: now });
    await wire.seen({ tabId: 7, method: 'POST', url: TOKEN_URL, timeStamp: now + 5 });
    assert.equal(await wire.verify(7, 'POST', TOKEN_URL, now), true);
    assert.equal(await wire.verify(7, 'POST', TOKEN_URL, now), true);
    assert.equal(await wire.verify(7, 'POST', TOKEN_URL, now), false);
  });

  test('the window is under 60 s either way', async () => {
    const { wire } = setup();
    const now = Date.now();
    await wire.seen({ tabId: 7, method: 'POST', url: TOKEN_URL, timeStamp: now });
    assert.equal(await wire.verify(7, 'POST', TOKEN_URL, now + 60_000), false);
    assert.equal(await wire.verify(7, 'POST', TOKEN_URL, now - 60_000), false);
    assert.equal(await wire.verify(7, 'POST', TOKEN_URL, now - 59_999), true);
  });

  test('a different tab, method or URL never verifies, and leaves the record', async () => {
    const { area, wire } = setup();
    const now = Date.now();
    await wire.seen({ tabId: 7, method: 'POST', url: TOKEN_URL, timeStamp: now });
    assert.equal(await wire.verify(8, 'POST', TOKEN_URL, now), false);
    assert.equal(await wire.verify(-1, 'POST', TOKEN_URL, now), false);
    assert.equal(await wire.verify(7, 'GET', TOKEN_URL, now), false);
    assert.equal(await wire.verify(7, 'POST', `${TOKEN_URL}?x=1`, now), false);
    assert.equal(await wire.verify(7, 'POST', 'http://127.0.0.1:4001/oauth2/token', now), false);
    assert.equal(records(area).length, 1);
    assert.equal(await wire.verify(7, 'POST', TOKEN_URL, now), true);
  });

  test('verify right after seen (not awaited) still matches: both go through one queue', async () => {
    const { wire } = setup();
    const now = Date.now();
    void wire.seen({ tabId: 7, method: 'POST', url: TOKEN_URL, timeStamp: now });
    assert.equal(await wire.verify(7, 'POST', TOKEN_URL, now), true);
  });

  test('a record survives a new WireLog over the same storage (a restarted worker)', async () => {
    const { area, wire } = setup();
    const now = Date.now();
    await wire.seen({ tabId: 7, method: 'POST', url: TOKEN_URL, timeStamp: now });
    assert.equal(await new WireLog(area).verify(7, 'POST', TOKEN_URL, now), true);
  });
});
