/** The sign-in headline in the views (src/ui/blocks/sign-in-*.tsx), rendered in Node from a real core report. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { buildReport } from '../../src/core/analysis/index.js';
import { SignInList } from '../../src/ui/blocks/sign-in-list.js';
import { nav, RFC6749_CODE, RFC6749_DENIED, RFC7636_VERIFIER, T0, T1, tokenExchange } from './sign-in-fixtures.js';

const text = (html: string) =>
  html
    .replace(/<[^>]*>/g, '')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');

describe('sign-in headline', () => {
  test('a scope requested for a server that got no token is said in the headline, with the server', () => {
    const authorize =
      'https://auth.globus.org/v2/oauth2/authorize?response_type=code&client_id=gc&state=s1&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM' +
      '&code_challenge_method=S256&redirect_uri=https%3A%2F%2Fapp.example%2Fcb&scope=openid%20urn%3Aglobus%3Aauth%3Ascope%3Agroups.api.globus.org%3Aall';
    const exchange = tokenExchange(
      'https://auth.globus.org/v2/oauth2/token',
      `grant_type=authorization_code&code=c&client_id=gc&code_verifier=${RFC7636_VERIFIER}&redirect_uri=https%3A%2F%2Fapp.example%2Fcb`,
      { access_token: 'auth-at', resource_server: 'auth.globus.org', scope: 'openid', token_type: 'Bearer' },
    );
    const report = buildReport([exchange], { signInSteps: [nav(authorize, T0)] });
    const html = renderToString(h(SignInList, { report, rulesUrl: 'rules.html' }));
    const shown = text(html);
    assert.match(shown, /groups\.api\.globus\.org no token issued/);
    assert.match(shown, /urn:globus:auth:scope:groups\.api\.globus\.org:all not granted/);
    assert.match(shown, /requested-server-no-token/, 'the finding is shown, not folded');
  });

  test('a refusal is the consent result, with the error description as text', () => {
    const denied = `${RFC6749_DENIED}&error_description=%3Cb%3Euser%20said%20no%3C%2Fb%3E`;
    const report = buildReport([], { signInSteps: [nav(RFC6749_CODE.authorize, T0), nav(denied, T1)] });
    const html = renderToString(h(SignInList, { report, rulesUrl: 'rules.html' }));
    assert.match(text(html), /Consent result: refused: access_denied \(<b>user said no<\/b>\)/);
    assert.ok(!html.includes('<b>user'), 'rendered as text, never as HTML');
  });

  test('a sign-in of one exchange gets its verdict and map, but no consent headline', () => {
    const report = buildReport([tokenExchange('https://as.example/token', 'grant_type=client_credentials', { access_token: 'x' })]);
    const shown = text(renderToString(h(SignInList, { report, rulesUrl: 'rules.html' })));
    assert.match(shown, /^ok client_credentials exchange at as\.example: nothing wrong found: 1 token for 1 resource server/);
    assert.ok(!shown.includes('Consent result'));
  });

  test('a sign-in whose token exchange was not captured is never "nothing wrong found: 0 tokens"', () => {
    const pkce = `${RFC6749_CODE.authorize}&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256`;
    const report = buildReport([], { signInSteps: [nav(pkce, T0), nav(RFC6749_CODE.callback, T1)] });
    const shown = text(renderToString(h(SignInList, { report, rulesUrl: 'rules.html' })));
    assert.match(
      shown,
      /^no tokens Sign-in at https:\/\/server\.example\.com\/authorize: no token captured: the token exchange of this sign-in was not seen here/,
    );
    assert.ok(!/nothing wrong found|^ok/.test(shown));
  });

  test('nothing when no exchange issued a token and no front channel was seen', () => {
    const report = buildReport([tokenExchange('https://as.example/token', 'grant_type=client_credentials', { error: 'invalid_client' })]);
    assert.equal(renderToString(h(SignInList, { report, rulesUrl: 'rules.html' })), '');
  });
});

describe('long lists in the sign-in headline', () => {
  test('a sign-in that asked for 10,000 scopes: its headline and map render the first 50 of each list and say the rest', () => {
    const scopes = Array.from({ length: 10_000 }, (_, i) => `api.read.${i}`);
    const authorize =
      'https://as.example.test/authorize?response_type=code&client_id=spa&state=s1&redirect_uri=https%3A%2F%2Fapp.example%2Fcb' +
      `&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256&scope=${encodeURIComponent(scopes.join(' '))}`;
    const exchange = tokenExchange(
      'https://as.example.test/token',
      `grant_type=authorization_code&code=c&client_id=spa&code_verifier=${RFC7636_VERIFIER}&redirect_uri=https%3A%2F%2Fapp.example%2Fcb`,
      { access_token: 'opaque-at', token_type: 'Bearer', scope: scopes.slice(0, 9_000).join(' ') },
    );
    const report = buildReport([exchange], { signInSteps: [nav(authorize, T0)] });
    const html = renderToString(h(SignInList, { report, rulesUrl: 'rules.html' }));
    const lists = [...html.matchAll(/<ul class="scopes"[^>]*>([\s\S]*?)<\/ul>/g)].map((match) => match[1] ?? '');
    assert.ok(lists.length > 0, 'the headline lists scopes');
    for (const list of lists) assert.ok((list.match(/<li [^>]*class="scope/g) ?? []).length <= 50, 'at most 50 scopes a list');
    assert.match(text(html), /and 9,950 more/);
    assert.ok((html.match(/class="map-node map-scope/g) ?? []).length <= 50, 'at most 50 scope boxes on the map');
  });
});

describe('sign-in notes', () => {
  test('what was not visible is said under the sign-in, as text', () => {
    const formPost =
      'https://server.example.com/authorize?response_type=code&response_mode=form_post&client_id=c&scope=openid%20%3Cb%3Ex%3C%2Fb%3E&redirect_uri=https%3A%2F%2Fclient.example.org%2Fcb&state=s&nonce=n';
    const report = buildReport([], { signInSteps: [nav(formPost, T0)] });
    const html = renderToString(h(SignInList, { report, rulesUrl: 'rules.html' }));
    assert.match(text(html), /form_post: a POST to the redirect URI, which no script of the page can read/);
    assert.ok(!html.includes('<b>x'), 'hostile scope names stay text');
  });
});
