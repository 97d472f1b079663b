/**
 * An MCP client signing in to an MCP server, in real Chromium: the page runs @modelcontextprotocol/sdk's own client
 * `auth()` against an MCP server made with the same SDK (`requireBearerAuth`, `mcpAuthMetadataRouter`) and the real
 * oidc-provider (`registration`, `resourceIndicators`) as its authorization server (servers/mcp.ts). The popup shows one
 * sign-in whose steps are the 401, the metadata, the registration, the authorization request and the token request,
 * the MCP server named by its own metadata and the client by its registered name; a client that sends no `resource`,
 * and a token whose `aud` names another API beside the MCP server, are flagged once each, in the MCP spec's words.
 */
import { expect, openPopup, runApp, test } from '../support/harness.js';
import { startMcp } from '../support/servers/mcp.js';

const CONNECTED = 'authorized mcp 200';

test('MCP sign-in through discovery: 401, metadata, registration, authorize and token as its steps; the server named by its metadata', async ({
  context,
  extensionId,
}) => {
  const mcp = await startMcp();
  try {
    const { tabId } = await runApp(context, extensionId, mcp.appUrl, [['#connect', CONNECTED]], 1);
    const popup = await openPopup(context, extensionId, tabId);
    const signIn = popup.locator('section.sign-in');
    await expect(signIn).toHaveCount(1);
    await expect(signIn.locator('.sign-in-resource')).toContainText(`MCP server ${mcp.mcpUrl}`);
    await expect(signIn.locator('.sign-in-resource')).toContainText('named by its own metadata');
    await expect(signIn.locator('.client-name')).toHaveText('Tokenscope MCP test client');
    const steps = signIn.locator('.timeline li.step .step-summary');
    await expect(steps.nth(0)).toContainText(`POST ${mcp.mcpUrl} → 401: the resource server names its metadata`);
    await expect(steps.nth(1)).toContainText('Protected-resource metadata (RFC 9728)');
    await expect(steps.nth(2)).toContainText(`Authorization server metadata from ${mcp.issuer}/.well-known/oauth-authorization-server`);
    await expect(steps.nth(3)).toContainText(`Client registration (RFC 7591) at ${mcp.issuer}/reg`);
    await expect(steps.nth(4)).toContainText(`Authorization request to ${mcp.issuer}/auth`);
    await expect(signIn.locator('.timeline li.step-code-exchange')).toContainText(`access token (jwt) for ${mcp.mcpUrl}`);
    await expect(popup.getByText('resolved by request, confidence metadata')).not.toHaveCount(0);
    await expect(popup.locator('.finding.sev-high, .finding.sev-medium')).toHaveCount(0);
  } finally {
    await mcp.close();
  }
});

test('an MCP client that sends no resource: mcp-resource-missing, in the MCP spec words', async ({ context, extensionId }) => {
  const mcp = await startMcp({ noResource: true });
  try {
    const { tabId } = await runApp(context, extensionId, mcp.appUrl, [['#connect', CONNECTED]], 1);
    const popup = await openPopup(context, extensionId, tabId);
    const signIn = popup.locator('section.sign-in');
    await expect(signIn).toHaveCount(1);
    const finding = signIn.locator('.finding', { has: popup.locator('.rule a', { hasText: 'mcp-resource-missing' }) });
    await expect(finding).toHaveCount(1);
    await expect(finding).toHaveClass(/sev-medium/);
    await expect(finding).toContainText('sends no resource at authorize and token');
    await expect(finding).toContainText('MUST be included in both authorization requests and token requests');
  } finally {
    await mcp.close();
  }
});

test("the MCP server's token also good at another API: one high finding, in the MCP spec's words", async ({ context, extensionId }) => {
  const mcp = await startMcp({ extraAudience: 'https://api.example.test' });
  try {
    const { tabId } = await runApp(context, extensionId, mcp.appUrl, [['#connect', CONNECTED]], 1);
    const popup = await openPopup(context, extensionId, tabId);
    // One fault, one finding: the exchange's audience rule, explained as the MCP server's (docs/RULES.md, "MCP rules").
    const high = popup.locator('.finding.sev-high');
    await expect(high).toHaveCount(1);
    await expect(high.locator('.rule a')).toHaveText('audience-beyond-server');
    await expect(high).toContainText('https://api.example.test');
    await expect(high.locator('.explanation')).toContainText(
      'MCP servers MUST validate that access tokens were issued specifically for them',
    );
    await expect(popup.locator('.finding .rule a', { hasText: 'mcp-audience-not-server' })).toHaveCount(0);
  } finally {
    await mcp.close();
  }
});
