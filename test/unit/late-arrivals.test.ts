/**
 * What reaches the worker out of order when a page moves on at once (fake `browser`, real store and Bearer log):
 * the relay's evidence after its capture (`page-evidence`), and a Bearer use before the exchange of its token.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BearerLog } from '../../src/background/bearer.js';
import { viewState } from '../../src/background/tab-view.js';
import { fingerprint } from '../../src/core/sha256.js';
import { contentScript, exchanges, pageExchange, popup, send, setup, tokenResponse } from './worker-fake.js';

const ID = 'a1b2c3d4e5f6a1b2c3d4e5f6';

describe('page-evidence: the relay vouches for a capture after it left', () => {
  const captured = async (tabId = 7) => {
    const fake = setup();
    const exchange = pageExchange();
    assert.deepEqual(await send(fake, { type: 'page-exchange', exchange, captureId: ID, seen: false }, contentScript(tabId)), {
      stored: true,
    });
    return { fake, exchange };
  };

  test('the capture it names, in the same tab, with the same URL and start, becomes verified', async () => {
    const { fake, exchange } = await captured();
    assert.equal((await exchanges(fake))[0]?.capture.verification, 'page-reported');
    const evidence = { type: 'page-evidence', captureId: ID, url: exchange.url, startedAt: exchange.startedAt };
    assert.deepEqual(await send(fake, evidence, contentScript(7)), { upgraded: true });
    assert.equal((await exchanges(fake))[0]?.capture.verification, 'verified');
    const view = await viewState(fake.deps, 7);
    assert.deepEqual(
      Object.values(view.captures).map((c) => c.verification),
      ['verified'],
      'the view sees it at once',
    );
    assert.deepEqual(await send(fake, evidence, contentScript(7)), { upgraded: false }, 'once');
  });

  test('an unknown id, another tab, another request, a malformed message: nothing changes', async () => {
    const { fake, exchange } = await captured();
    const base = { type: 'page-evidence', captureId: ID, url: exchange.url, startedAt: exchange.startedAt };
    const refused: Array<[Record<string, unknown>, number]> = [
      [{ ...base, captureId: 'f'.repeat(24) }, 7],
      [base, 8],
      [{ ...base, url: 'http://127.0.0.1:4000/other/token' }, 7],
      [{ ...base, startedAt: new Date(Date.parse(exchange.startedAt) + 1000).toISOString() }, 7],
      [{ ...base, captureId: 'A1B2C3D4E5F6A1B2C3D4E5F6' }, 7],
      [{ ...base, captureId: 42 }, 7],
      [{ ...base, url: 'javascript:alert(1)' }, 7],
      [{ ...base, url: `http://x/${'a'.repeat(9000)}` }, 7],
      [{ ...base, startedAt: 'yesterday' }, 7],
      [{ ...base, startedAt: undefined }, 7],
    ];
    for (const [message, tabId] of refused)
      assert.deepEqual(await send(fake, message, contentScript(tabId)), { upgraded: false }, JSON.stringify(message).slice(0, 120));
    assert.equal((await exchanges(fake))[0]?.capture.verification, 'page-reported');
  });

  test('from a site no longer watched: refused; from an extension page: no answer at all', async () => {
    const { fake, exchange } = await captured();
    const evidence = { type: 'page-evidence', captureId: ID, url: exchange.url, startedAt: exchange.startedAt };
    assert.deepEqual(await send(fake, evidence, contentScript(7, 'http://localhost:3000/app')), { upgraded: false });
    const { handleMessage } = await import('../../src/background/dispatch.js');
    assert.equal(handleMessage(fake.deps, evidence, popup), undefined);
    assert.equal((await exchanges(fake))[0]?.capture.verification, 'page-reported');
  });
});

describe("evidence carried by a later capture, or several captures' in one message: one storage write", () => {
  const ids = ['a1b2c3d4e5f6a1b2c3d4e5f6', 'b1b2c3d4e5f6a1b2c3d4e5f6', 'c1b2c3d4e5f6a1b2c3d4e5f6'];
  /** Two captures stored page-reported in tab 7, and a count of the storage writes from here on. */
  const twoCaptured = async () => {
    const fake = setup();
    const sent = [0, 1].map((i) => pageExchange({ responseBody: tokenResponse(`t${i}`) }));
    for (const [i, exchange] of sent.entries())
      assert.deepEqual(await send(fake, { type: 'page-exchange', exchange, captureId: ids[i], seen: false }, contentScript(7)), {
        stored: true,
      });
    let writes = 0;
    const set = fake.area.set.bind(fake.area);
    fake.area.set = (items) => {
      writes += 1;
      return set(items);
    };
    const evidence = sent.map((e, i) => ({ captureId: ids[i], url: e.url, startedAt: e.startedAt }));
    return { fake, evidence, writes: () => writes };
  };
  const verifications = async (fake: ReturnType<typeof setup>) => (await exchanges(fake)).map((e) => e.capture.verification);

  test('the next capture carries the earlier ones: all verified, in the one write that stores it', async () => {
    const { fake, evidence, writes } = await twoCaptured();
    const third = pageExchange({ responseBody: tokenResponse('t2') });
    const message = { type: 'page-exchange', exchange: third, captureId: ids[2], seen: true, evidence };
    assert.deepEqual(await send(fake, message, contentScript(7)), { stored: true });
    assert.deepEqual(await verifications(fake), ['verified', 'verified', 'verified']);
    assert.equal(writes(), 1);
    const view = await viewState(fake.deps, 7);
    assert.deepEqual(
      Object.values(view.captures).map((c) => c.verification),
      ['verified', 'verified', 'verified'],
      'the view sees them at once',
    );
  });

  test('a resent capture (stored already) still applies the evidence it carries', async () => {
    const { fake, evidence } = await twoCaptured();
    const again = { type: 'page-exchange', exchange: pageExchange({ responseBody: tokenResponse('t1') }), captureId: ids[1], evidence };
    assert.deepEqual(await send(fake, again, contentScript(7)), { stored: true });
    assert.deepEqual(await verifications(fake), ['verified', 'verified']);
    assert.equal((await exchanges(fake)).length, 2, 'not stored again');
  });

  test('page-evidence naming several captures upgrades them all in one write', async () => {
    const { fake, evidence, writes } = await twoCaptured();
    const [first, ...more] = evidence;
    assert.deepEqual(await send(fake, { type: 'page-evidence', ...first, evidence: more }, contentScript(7)), { upgraded: true });
    assert.deepEqual(await verifications(fake), ['verified', 'verified']);
    assert.equal(writes(), 1);
  });

  test('carried to another tab, for another request, or malformed: those upgrade nothing; the capture is stored', async () => {
    const { fake, evidence } = await twoCaptured();
    const [first, second] = evidence as [(typeof evidence)[0], (typeof evidence)[0]];
    const wrong = [
      { ...first, url: 'http://127.0.0.1:4000/other/token' },
      { ...second, startedAt: new Date(Date.parse(second.startedAt) + 1000).toISOString() },
      { ...first, captureId: 'not an id' },
      'not an object',
    ];
    const third = pageExchange({ responseBody: tokenResponse('t2') });
    assert.deepEqual(await send(fake, { type: 'page-exchange', exchange: third, captureId: ids[2], evidence: wrong }, contentScript(7)), {
      stored: true,
    });
    const elsewhere = { type: 'page-exchange', exchange: pageExchange({ responseBody: tokenResponse('t3') }), evidence };
    assert.deepEqual(await send(fake, elsewhere, contentScript(8)), { stored: true });
    const tooMany = Array.from({ length: 101 }, () => first);
    assert.deepEqual(
      await send(fake, { type: 'page-evidence', captureId: 42, url: 1, startedAt: 2, evidence: tooMany }, contentScript(7)),
      {
        upgraded: false,
      },
    );
    assert.deepEqual(await verifications(fake), ['page-reported', 'page-reported', 'page-reported', 'page-reported']);
  });
});

describe('page-bearer before the exchange of its token', () => {
  test('held for the tab, then a use like any other once the exchange is stored: the finding and the badge see it', async () => {
    const fake = setup();
    fake.deps.bearer = new BearerLog(fake.area, fake.deps.store);
    const response = tokenResponse('fresh');
    const token = (JSON.parse(response) as { access_token: string }).access_token;
    const use = { url: 'https://elsewhere.example.test/me', method: 'GET', fingerprint: fingerprint(token), at: new Date().toISOString() };
    assert.deepEqual(await send(fake, { type: 'page-bearer', use }, contentScript(7)), { recorded: false, held: true });
    assert.deepEqual(await fake.deps.bearer.uses(), []);

    await send(fake, { type: 'page-exchange', exchange: pageExchange({ responseBody: response }) }, contentScript(7));
    assert.deepEqual(await fake.deps.bearer.uses(), [use]);
    const findings = (await viewState(fake.deps, 7)).report.exchanges[0]?.findings ?? [];
    const beyond = findings.find((f) => f.rule === 'token-sent-beyond-audience');
    assert.match(beyond?.message ?? '', /elsewhere\.example\.test/);
    assert.ok(beyond?.evidence.sentTo, 'where it went');
  });

  test('a use that is not a Bearer use (bad fingerprint) is neither kept nor held', async () => {
    const fake = setup();
    fake.deps.bearer = new BearerLog(fake.area, fake.deps.store);
    const use = { url: 'https://elsewhere.example.test/me', method: 'GET', fingerprint: 'sha256:zz', at: new Date().toISOString() };
    assert.deepEqual(await send(fake, { type: 'page-bearer', use }, contentScript(7)), { recorded: false });
    assert.equal(fake.area.data.has('bearerHeld'), false);
  });
});
