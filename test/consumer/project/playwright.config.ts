// A team's own Playwright config, as the README shows it: Debian's Chromium (Playwright cannot download
// browsers here), and the Tokenscope threshold for every test.
import { defineConfig } from '@playwright/test';
import type { TokenscopeOptions } from 'tokenscope/playwright';

export default defineConfig<TokenscopeOptions>({
  testDir: 'tests',
  workers: 1,
  retries: 0,
  timeout: 30_000,
  reporter: [['list'], ['json', { outputFile: 'results.json' }]],
  use: { tokenscopeFailOn: 'high' },
  projects: [
    {
      name: 'chromium',
      use: { browserName: 'chromium', launchOptions: { executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium' } },
    },
    // Playwright cannot drive Debian's firefox-esr (it needs its own patched Firefox) nor fetch its WebKit here;
    // where a team has Playwright's own browsers, these projects run the same fixture:
    // { name: 'firefox', use: { browserName: 'firefox' } },
    // { name: 'webkit', use: { browserName: 'webkit' } },
  ],
});
