/**
 * Live sign-ins: the page hook reports the authorization request (oidc-client-ts navigates to it with
 * location.assign) and the authorization response (the redirect URI document), and the popup shows the
 * sign-in with what the authorization request asked for, against the real oidc-provider.
 */
import { openPopup, runApp } from '../support/harness.js';
import { expect, test } from '../support/fixtures.js';
import { startKeycloak } from '../support/servers/keycloak.js';

test('oidc-client-ts signinRedirect: the popup shows the requested scopes and names the scope the provider dropped', async ({
  oidcApp,
}) => {
  // api:admin is no scope of the API's resource server: oidc-provider leaves it out of the token without a word.
  const { oidc, popup } = await oidcApp({ scope: 'openid profile api:read api:admin' }, [['#signin', 'signed-in']], 1);
  const signIn = popup.locator('section.sign-in');
  await expect(signIn).toHaveCount(1);
  await expect(signIn.locator('h2')).toContainText(`${oidc.issuer}/auth`);
  await expect(signIn.locator('p.muted').first()).toContainText('Asked for openid profile api:read api:admin by client tokenscope-spa');
  await expect(signIn.locator('.sign-in-result')).toContainText('Consent result: code in the query · code exchange joined by PKCE');
  await expect(signIn.locator('.scope.dropped')).toContainText(['api:admin']);
  await expect(signIn.locator('.scope:not(.dropped)')).toContainText(['api:read']);
});

test('consent refused: error=access_denied on the redirect URI is shown as the consent result', async ({ oidcApp }) => {
  const { popup } = await oidcApp({ denyConsent: true }, [['#signin', /^error: /]]);
  const signIn = popup.locator('section.sign-in');
  await expect(signIn).toHaveCount(1);
  await expect(signIn.locator('.sign-in-result.sign-in-alert')).toContainText('access_denied');
  await expect(signIn.locator('.sign-in-result')).toContainText('The user refused consent.');
  await expect(signIn.locator('p.muted').first()).toContainText('Asked for openid profile api:read');
});

test('keycloak-js (defaults: fragment response, PKCE): the popup shows what the authorization request asked for and the dropped scope', async ({
  context,
  extensionId,
}) => {
  const keycloak = await startKeycloak({ scope: 'openid profile api:read api:admin', drop: 'api:admin' });
  try {
    const { tabId } = await runApp(context, extensionId, keycloak.appUrl, [[null, 'signed-in']], 1);

    const popup = await openPopup(context, extensionId, tabId);
    const signIn = popup.locator('section.sign-in');
    await expect(signIn).toHaveCount(1);
    await expect(signIn.locator('h2')).toContainText(`${keycloak.realmUrl}/protocol/openid-connect/auth`);
    await expect(signIn.locator('p.muted').first()).toContainText('Asked for openid profile api:read api:admin by client tokenscope-kc');
    await expect(signIn.locator('.scope.dropped')).toContainText(['api:admin']);
  } finally {
    await keycloak.close();
  }
});

test('oidc-client-ts signinPopup: the login popup’s response joins the code exchange in the opener tab', async ({ oidcApp }) => {
  const { oidc, popup } = await oidcApp({ scope: 'openid profile api:read api:admin' }, [['#signin-popup', 'signed-in']], 1);
  const signIn = popup.locator('section.sign-in');
  await expect(signIn).toHaveCount(1);
  // The response came back in the popup window's tab; the code exchange ran in this one. oidc-client-ts opens the
  // popup blank and then sets its location from here, which no page script sees: the request comes from the
  // browser's webNavigation record (the optional permission, granted in the test build), filed under the opener.
  await expect(signIn.locator('h2')).toContainText(`Sign-in at ${oidc.issuer}/auth`);
  await expect(signIn.locator('p.muted').first()).toContainText('Asked for openid profile api:read api:admin');
  await expect(signIn.locator('.sign-in-result')).toContainText('code in the query · code exchange joined by PKCE');
  await expect(signIn.locator('.scope.dropped')).toContainText(['api:admin']);
});

test('oauth4webapi with a pushed authorization request: what the PAR asked for (scope, resource) is shown and the dropped scope named', async ({
  oidcApp,
}) => {
  // The PAR body carries the scope and `resource`; the authorize URL has only client_id and request_uri, the token
  // request neither scope nor resource. api:admin is no scope of the API: the provider drops it silently.
  const steps = [
    [null, 'ready'],
    ['#signin', 'signed-in'],
  ] as const;
  const { oidc, popup } = await oidcApp({ app: 'oauth4webapi', scope: 'openid profile api:read api:admin' }, steps, 1);
  const signIn = popup.locator('section.sign-in');
  await expect(signIn).toHaveCount(1);
  await expect(signIn.locator('h2')).toContainText(`${oidc.issuer}/auth`);
  await expect(signIn.locator('p.muted').first()).toContainText(
    'Asked for openid profile api:read api:admin by client tokenscope-spa, in a pushed authorization request',
  );
  await expect(signIn.locator('.sign-in-result')).toContainText('code exchange joined by PKCE');
  await expect(signIn.locator('.sign-in-servers')).toContainText(oidc.apiResource);
  await expect(signIn.locator('.scope.dropped')).toContainText(['api:admin']);
});

test('oidc-client-ts silent sign-in in a hidden iframe: its authorization request (webNavigation) and answer join its code exchange', async ({
  oidcApp,
}) => {
  // After the first sign-in the provider's session exists: prompt=none in a hidden iframe gets a code without any page.
  const steps = [
    ['#signin', 'signed-in'],
    ['#silent', 'signed-in-silently'],
  ] as const;
  const { oidc, popup } = await oidcApp({}, steps, 2);
  const signIns = popup.locator('section.sign-in');
  await expect(signIns).toHaveCount(2);
  // oidc-client-ts points the iframe at the authorize URL with contentWindow.location.replace from an initial
  // about:blank document, which fires no navigate event, and removes the iframe before it loads: no page script
  // sees that request. The browser's webNavigation record (the optional permission, granted in the test build) does.
  await expect(signIns.locator('h2')).toHaveText([`Sign-in at ${oidc.issuer}/auth`, `Sign-in at ${oidc.issuer}/auth`]);
  await expect(signIns.locator('.sign-in-result')).toContainText(['joined by PKCE', 'joined by PKCE']);
});

test('the implicit flow (id_token token) against oidc-provider: the tokens in the fragment are analyzed and flagged', async ({
  oidcApp,
}) => {
  const { oidc, popup } = await oidcApp({}, [['#implicit', 'implicit-done']]);
  const signIn = popup.locator('section.sign-in');
  await expect(signIn).toHaveCount(1);
  await expect(signIn.locator('h2')).toContainText(`Sign-in at ${oidc.issuer}/auth`);
  await expect(signIn.locator('.findings')).toContainText('token-in-front-channel');
  // The access token from the fragment is the API's: its resource server is shown like any token response's.
  await expect(popup.locator('article.exchange .rs-id', { hasText: oidc.apiResource })).toHaveCount(1);
});
