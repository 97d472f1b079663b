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
