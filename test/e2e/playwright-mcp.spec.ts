/**
 * tokenscope/playwright (from the sources) on the MCP sign-in (servers/mcp.ts: the MCP SDK's client `auth()`, an MCP
 * server made with the SDK, oidc-provider with registration and resource indicators) in a plain Chromium context:
 * the fixture keeps the discovery steps, so the report's sign-in holds the 401, the metadata and the registration, and the
 * URL its metadata was made for. Not the client without `resource` here: Chromium may drop the metadata answers' bodies
 * when the page goes to authorize (the fixture reads bodies after the fact), and without them nothing ties the metadata
 * to a request that names no resource; the extension (mcp.spec.ts) and the CLI (test/cli/mcp.test.ts) flag it.
 */
import { chromiumPath } from '../../scripts/lib/chromium.mjs';
import { expect, test } from '../../src/playwright/index.js';
import { startMcp } from '../support/servers/mcp.js';

test.use({ launchOptions: { executablePath: chromiumPath() }, tokenscopeFailOn: 'never' });

for (const [name, noResource, rules] of [
  ['MCP sign-in: the discovery steps in the report, the MCP server and its client named, no finding', false, []],
] as [string, boolean, string[]][]) {
  test(name, async ({ page, tokenscope }) => {
    const mcp = await startMcp({ noResource });
    try {
      await page.goto(mcp.appUrl);
      await page.click('#connect');
      await expect(page.locator('#status')).toHaveText('authorized mcp 200');
      await expect.poll(async () => (await tokenscope.report()).exchanges.length).toBe(1);
      const report = await tokenscope.report();
      expect(report.signIns).toHaveLength(1);
      const discovery = report.signIns[0]?.discovery;
      expect(discovery?.steps.map((step) => step.kind)).toEqual(['challenge', 'resource-metadata', 'server-metadata', 'registration']);
      // Chromium may drop a metadata answer's body when the page goes to authorize: the steps are read from their URLs then.
      expect(discovery?.metadataFor).toBe(mcp.mcpUrl);
      expect(discovery?.mcp).toBe(true);
      expect(discovery?.client?.clientName).toBe('Tokenscope MCP test client');
      const serious = [...report.exchanges.flatMap((e) => e.findings), ...report.signIns.flatMap((s) => s.findings)]
        .filter((f) => f.severity !== 'info')
        .map((f) => `${f.rule} ${f.severity}`);
      expect(serious).toEqual(rules);
    } finally {
      await mcp.close();
    }
  });
}
