/**
 * The apps' https origins the TLS tests sign in on, as a user would allow them: granted up front in the Chromium test
 * build (test/support/harness.ts TEST_BUILD_ARGS) and in the Firefox test builds that ask for them
 * (test/firefox/harness.ts `buildTestExtension(TLS_APP_HOSTS)`). The providers' hosts (auth.globus.org,
 * login.microsoftonline.com, ...) are deliberately not watched: a user allows the app, not its identity provider.
 */
export const TLS_APP_HOSTS = [
  'https://app.contoso.example/*',
  'https://portal.research.example/*',
  'https://app.supabase-demo.example/*',
  'https://shop.cognito-demo.example/*',
  'https://app.auth0-demo.example/*',
] as const;
