/**
 * One watched tab never erases another's evidence (issue 23): the store's cap is per tab. A page that makes more
 * token calls than a tab keeps lets go of its own oldest only; another tab's HIGH finding is still there, and the busy
 * tab's view (popup and panel) says how many of its exchanges were let go.
 */
import { createServer } from 'node:http';
import { STORE_LIMITS } from '../../src/core/limits.js';
import { openPopup, storedCount, tabIdOf } from '../support/harness.js';
import { expect, listening, test } from '../support/fixtures.js';

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
/** A JWT for api.example.test that other.example.test accepts too: a HIGH finding where it is issued. */
const beyondAudience = `${b64url({ alg: 'RS256', typ: 'at+jwt' })}.${b64url({
  iss: 'https://as.example.test',
  aud: ['https://api.example.test', 'https://other.example.test'],
  sub: 'alice',
  scope: 'read',
  exp: 4102444800,
})}.c2ln`;
const BUSY_CALLS = STORE_LIMITS.exchanges + 5;

test("a busy tab's token calls past the per-tab cap let go of its own oldest only: another tab's HIGH finding stays", async ({
  context,
  extensionId,
  served,
}) => {
  test.setTimeout(120_000);
  const server = createServer((request, response) => {
    if (request.url?.startsWith('/page'))
      return void response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>app</title>');
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      const n = new URLSearchParams(body).get('n');
      const answer =
        n === null
          ? { access_token: beyondAudience, token_type: 'Bearer', expires_in: 3600 }
          : { access_token: `opaque-${n}`, token_type: 'Bearer', expires_in: 3600, scope: 'read' };
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    });
  });
  const { origin } = await served(listening(server));
  const quiet = await context.newPage();
  await quiet.goto(`${origin}/page/quiet`);
  await quiet.evaluate(() =>
    fetch('/oauth/token', { method: 'POST', body: 'grant_type=client_credentials&resource=https%3A%2F%2Fapi.example.test' }),
  );
  const quietTab = await tabIdOf(context, extensionId, quiet);
  await expect.poll(() => storedCount(context, extensionId, quietTab)).toBe(1);

  const busy = await context.newPage();
  await busy.goto(`${origin}/page/busy`);
  await busy.evaluate(async (calls) => {
    for (let n = 0; n < calls; n++) await fetch('/oauth/token', { method: 'POST', body: `grant_type=client_credentials&n=${n}` });
  }, BUSY_CALLS);
  const busyTab = await tabIdOf(context, extensionId, busy);
  await expect.poll(() => storedCount(context, extensionId, busyTab), { timeout: 60_000 }).toBe(STORE_LIMITS.exchanges);

  // The quiet tab's exchange and its HIGH finding are still there.
  expect(await storedCount(context, extensionId, quietTab)).toBe(1);
  const quietPopup = await openPopup(context, extensionId, quietTab);
  await expect(quietPopup.locator('.finding.sev-high .message').first()).toContainText('https://other.example.test');
  await expect(quietPopup.getByText(/were let go/)).toHaveCount(0);

  // The busy tab's views say what it let go.
  const notice = `5 older exchanges of this tab were let go (limit ${STORE_LIMITS.exchanges} a tab).`;
  const busyPopup = await openPopup(context, extensionId, busyTab);
  await expect(busyPopup.getByText(notice)).toBeVisible();
  const panel = await context.newPage();
  await panel.goto(`chrome-extension://${extensionId}/panel.html?tab=${busyTab}`);
  await expect(panel.getByText(notice)).toBeVisible();
});
