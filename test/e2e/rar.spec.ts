/**
 * Rich authorization requests (RFC 9396) in real Chromium: oidc-client-ts asks the real oidc-provider (its
 * `features.richAuthorizationRequests`) for `payment_initiation` with the actions initiate, status and write; the user
 * consents without `write`. The popup and the DevTools panel show the detail granted beside the scopes and the dropped
 * right struck through, the sign-in's map marks the server, and the tab's report carries
 * `authorization-details-dropped` saying which right. A detail whose `locations` name another API than the token's
 * `aud` is `authorization-details-beyond-audience`, high.
 */
import { exportReport, openPopup, runApp } from '../support/harness.js';
import { expect, test } from '../support/fixtures.js';

const API = 'https://api.example.test';
const DROPPED = 'payment_initiation: action "write" requested, not granted';

test('a sign-in granted fewer actions than it asked for: the popup, the panel and the report say which right was dropped', async ({
  context,
  extensionId,
  oidcServer,
}) => {
  const oidc = await oidcServer({
    rar: {
      details: [{ type: 'payment_initiation', actions: ['initiate', 'status', 'write'], locations: [API] }],
      refusedActions: ['write'],
    },
  });
  const { tabId } = await runApp(context, extensionId, oidc.appUrl, [['#signin', 'signed-in']], 1);

  const popup = await openPopup(context, extensionId, tabId);
  const details = popup.getByRole('list', { name: 'Authorization details' });
  await expect(details.locator('.scope.detail:not(.dropped)')).toHaveText([`payment_initiation [initiate, status] at ${API}`]);
  await expect(details.locator('.scope.detail.dropped del')).toHaveText([DROPPED]);
  await expect(popup.locator('section.sign-in .map-rule', { hasText: '1 right not granted' })).toHaveCount(1);

  const panel = await context.newPage();
  await panel.setViewportSize({ width: 1000, height: 700 });
  await panel.goto(`chrome-extension://${extensionId}/panel.html?tab=${tabId}`);
  await panel.locator('[role="option"]', { hasText: 'authorization_code' }).click();
  await expect(panel.getByRole('list', { name: 'Authorization details' }).locator('.scope.detail.dropped del')).toHaveText([DROPPED]);

  const report = await exportReport(context, extensionId, tabId);
  const [exchange] = report.exchanges;
  const server = exchange?.resourceServers.find((s) => s.id === API);
  expect(server?.authorizationDetails).toEqual({
    requested: [{ type: 'payment_initiation', actions: ['initiate', 'status', 'write'], locations: [API] }],
    granted: [{ type: 'payment_initiation', actions: ['initiate', 'status'], locations: [API] }],
    grantedFrom: 'response',
  });
  const dropped = exchange?.findings.filter((finding) => finding.rule === 'authorization-details-dropped') ?? [];
  expect(dropped.map((finding) => [finding.severity, finding.message])).toEqual([
    ['info', `${API} was granted fewer rights than requested: ${DROPPED}.`],
  ]);
  expect(dropped[0]?.evidence.dropped).toEqual([{ type: 'payment_initiation', field: 'actions', values: ['write'] }]);
  // The clean parts of the flow raise nothing: the token's details lie within its aud, nothing was added.
  const others = report.exchanges.flatMap((e) => e.findings).filter((f) => f.rule !== 'authorization-details-dropped');
  expect(others.filter((f) => f.severity !== 'info')).toEqual([]);
  expect(others.filter((f) => f.rule.startsWith('authorization-details'))).toEqual([]);
});

test("a detail whose locations name another API than the token's audience: authorization-details-beyond-audience, high", async ({
  context,
  extensionId,
  oidcServer,
}) => {
  // oidc-provider puts the consented details into the API's JWT access token as they are (its authorization_details claim).
  const BILLING = 'https://billing.example.test/invoices';
  const oidc = await oidcServer({ rar: { details: [{ type: 'payment_initiation', actions: ['initiate'], locations: [BILLING] }] } });
  const { tabId } = await runApp(context, extensionId, oidc.appUrl, [['#signin', 'signed-in']], 1);
  const report = await exportReport(context, extensionId, tabId);
  const beyond = report.exchanges.flatMap((e) => e.findings).filter((f) => f.rule === 'authorization-details-beyond-audience');
  expect(beyond.map((f) => [f.severity, f.resourceServer, f.evidence.locations, f.evidence.aud])).toEqual([
    ['high', API, [BILLING], [API]],
  ]);
  const popup = await openPopup(context, extensionId, tabId);
  await expect(popup.locator('.finding.sev-high')).toContainText(['outside its audience']);
});
