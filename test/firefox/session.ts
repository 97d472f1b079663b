/** One Firefox with the test build, a recording token endpoint, its app page and a state page: what each test file starts with. */
import { rmSync } from 'node:fs';
import type { Page } from 'puppeteer-core';
import { buildTestExtension, type ExtensionPage, Firefox } from './harness.js';
import { type Proxied, startProxiedTokenEndpoint } from './servers.js';

export interface Session {
  firefox: Firefox;
  server: Proxied;
  page: Page;
  state: ExtensionPage;
  close(): Promise<void>;
}

export async function openSession(options: { alsoOn?: string[]; prefs?: Record<string, unknown> } = {}): Promise<Session> {
  const [extensionDir, server] = await Promise.all([
    buildTestExtension(),
    startProxiedTokenEndpoint(options.alsoOn ? { alsoOn: options.alsoOn } : {}),
  ]);
  const firefox = await Firefox.launch(extensionDir, ...(options.prefs ? [options.prefs] : []));
  const { page, state } = await firefox.openApp(server.pageUrl);
  return {
    firefox,
    server,
    page,
    state,
    async close() {
      await firefox.close();
      await server.close();
      rmSync(extensionDir, { recursive: true, force: true });
    },
  };
}
