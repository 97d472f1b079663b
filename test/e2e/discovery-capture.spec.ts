/**
 * The page hook's discovery capture (content/discovery-capture.ts) beyond the MCP SDK's own flow (mcp.spec.ts): a
 * page whose HTTP client is XMLHttpRequest, a 401 challenge to a call that is neither GET nor POST, and a page that
 * replaces `Response.prototype.clone`, `text` and `Promise.prototype.then` before its metadata request. The steps are
 * read as the worker stored them (`signInSteps:<tabId>`, background/sign-in-log.ts).
 */
import { createServer } from 'node:http';
import type { BrowserContext, Page } from '@playwright/test';
import type { SignInStep } from '../../src/core/sign-in/types.js';
import { storedState, tabIdOf } from '../support/harness.js';
import { expect, listening, test } from '../support/fixtures.js';

const RESOURCE_METADATA = {
  resource: 'http://127.0.0.1/mcp',
  authorization_servers: ['http://127.0.0.1/'],
  resource_name: 'from the server',
};
const FORGED_METADATA = { resource: 'https://forged.example', authorization_servers: ['https://forged.example'] };
const REGISTERED = { client_id: 'registered-by-the-server', client_name: 'XHR client', redirect_uris: ['http://127.0.0.1/cb'] };

/** A resource server and its authorization server: a 401 naming its metadata, the metadata, a registration endpoint. */
function discoveryServer(pageScript = '') {
  return createServer((request, response) => {
    const path = request.url ?? '/';
    if (path.startsWith('/page'))
      return void response
        .writeHead(200, { 'content-type': 'text/html' })
        .end(`<!doctype html><title>discovery</title><script>${pageScript}</script>`);
    request.resume();
    request.on('end', () => {
      if (path.startsWith('/mcp'))
        return void response
          .writeHead(401, { 'www-authenticate': 'Bearer resource_metadata="/.well-known/oauth-protected-resource/mcp"' })
          .end();
      if (path.startsWith('/.well-known/oauth-protected-resource'))
        return void response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(RESOURCE_METADATA));
      if (path === '/register') return void response.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify(REGISTERED));
      response.writeHead(404).end();
    });
  });
}

/** The tab's stored sign-in steps, once `count` are there. */
async function storedSteps(context: BrowserContext, extensionId: string, page: Page, count: number): Promise<SignInStep[]> {
  const tabId = await tabIdOf(context, extensionId, page);
  const read = async () => {
    const stored = (await storedState(context, extensionId)).session[`signInSteps:${tabId}`];
    return Array.isArray(stored) ? (stored as { step: SignInStep }[]).map((entry) => entry.step) : [];
  };
  await expect.poll(async () => (await read()).length).toBeGreaterThanOrEqual(count);
  return read();
}

/** An XMLHttpRequest from the page, settled. */
const xhr = (page: Page, method: string, path: string, body: string | null = null) =>
  page.evaluate(
    ([m, p, b]) =>
      new Promise<number>((resolve) => {
        const request = new XMLHttpRequest();
        request.open(m as string, p as string);
        if (b !== null) request.setRequestHeader('content-type', 'application/json');
        request.onloadend = () => resolve(request.status);
        request.send(b);
      }),
    [method, path, body] as const,
  );

test('XMLHttpRequest discovery: a DELETE answered 401 with resource_metadata, the metadata GET and a registration, as steps', async ({
  context,
  extensionId,
  served,
}) => {
  const { origin } = await served(listening(discoveryServer()));
  const page = await context.newPage();
  await page.goto(`${origin}/page`);
  await expect.poll(() => page.evaluate(() => Symbol.for('tokenscope.page-hook') in window)).toBe(true);
  expect(await xhr(page, 'DELETE', '/mcp')).toBe(401);
  expect(await xhr(page, 'GET', '/.well-known/oauth-protected-resource/mcp')).toBe(200);
  const registration = JSON.stringify({ client_name: 'XHR client', redirect_uris: ['http://127.0.0.1/cb'] });
  expect(await xhr(page, 'POST', '/register', registration)).toBe(201);
  const steps = await storedSteps(context, extensionId, page, 3);
  expect(steps.map((step) => [step.method, step.url, step.status])).toEqual([
    ['DELETE', `${origin}/mcp`, 401],
    ['GET', `${origin}/.well-known/oauth-protected-resource/mcp`, 200],
    ['POST', `${origin}/register`, 201],
  ]);
  expect(steps[0]?.wwwAuthenticate).toBe('Bearer resource_metadata="/.well-known/oauth-protected-resource/mcp"');
  expect(JSON.parse(steps[1]?.responseBody ?? 'null')).toEqual(RESOURCE_METADATA);
  expect(JSON.parse(steps[2]?.responseBody ?? 'null')).toMatchObject({ client_id: 'registered-by-the-server' });
});

test('a fetch PUT answered 401 with resource_metadata: the step names PUT, the method the page used', async ({
  context,
  extensionId,
  served,
}) => {
  const { origin } = await served(listening(discoveryServer()));
  const page = await context.newPage();
  await page.goto(`${origin}/page`);
  expect(await page.evaluate(async () => (await fetch('/mcp', { method: 'PUT', body: '{}' })).status)).toBe(401);
  const [step] = await storedSteps(context, extensionId, page, 1);
  expect([step?.method, step?.url, step?.status]).toEqual(['PUT', `${origin}/mcp`, 401]);
});

test('a page that replaces Response.prototype.clone, text and Promise.prototype.then: the metadata step holds what the server sent', async ({
  context,
  extensionId,
  served,
}) => {
  // The page's own script, run after the hook (document_start): every clone, text and then of a Response is forged.
  const forged = JSON.stringify(JSON.stringify(FORGED_METADATA));
  const pageScript = `
    const forged = ${forged};
    const fake = () => new Response(forged, { status: 200, headers: { 'content-type': 'application/json' } });
    Response.prototype.clone = fake;
    Response.prototype.text = async function () { return forged; };
    const then = Promise.prototype.then;
    Promise.prototype.then = function (fulfilled, rejected) {
      return then.call(this, (value) => (typeof fulfilled === 'function' ? fulfilled(value instanceof Response ? fake() : value) : value), rejected);
    };
  `;
  const { origin } = await served(listening(discoveryServer(pageScript)));
  const page = await context.newPage();
  await page.goto(`${origin}/page`);
  const seenByPage = await page.evaluate(async () => {
    const response = await fetch('/.well-known/oauth-protected-resource/mcp');
    return JSON.parse(await response.text()).resource;
  });
  expect(seenByPage, 'the page reads what it forged: Tokenscope changes nothing for it').toBe('https://forged.example');
  const [step] = await storedSteps(context, extensionId, page, 1);
  expect(step?.url).toBe(`${origin}/.well-known/oauth-protected-resource/mcp`);
  expect(JSON.parse(step?.responseBody ?? 'null')).toEqual(RESOURCE_METADATA);
});
