/** Sign-in flow rules (src/core/rules/flow.ts), each for and against, on published authorization requests. */
import assert from 'node:assert/strict';
import { globusSignIn } from '../support/builders.js';
import { jwt, NOW_S, ruleTable } from './helpers.js';
import {
  AUTH0_PKCE,
  MS_OAPX_PROMPT,
  nav,
  OIDC_IMPLICIT,
  RFC6749_CODE,
  RFC6749_DENIED,
  RFC6749_IMPLICIT,
  RFC7636_VERIFIER,
  RFC9207_RESPONSE,
  T0,
  T1,
  T2,
  tokenExchange,
} from './sign-in-fixtures.js';

const publicCodeExchange = (body: string, response: unknown = { access_token: 'at', token_type: 'Bearer' }) =>
  tokenExchange('https://server.example.com/token', body, response);
const withoutState = RFC6749_CODE.authorize.replace('&state=xyz', '');
const plainPkce = `${withoutState}&code_challenge=${RFC7636_VERIFIER}&code_challenge_method=plain`;

ruleTable('pkce-missing', [
  {
    name: 'medium for a public client that redeems the code without PKCE',
    rule: 'pkce-missing',
    exchanges: [publicCodeExchange('grant_type=authorization_code&code=SplxlOBeZQQYbYS6WxSbIA&client_id=s6BhdRkqt3')],
    options: { signInSteps: [nav(RFC6749_CODE.authorize, T0), nav(RFC6749_CODE.callback, T1)] },
    count: 1,
    check: ([finding]) => assert.equal(finding?.severity, 'medium'),
  },
  {
    name: 'not with an S256 challenge (Auth0 docs)',
    rule: 'pkce-missing',
    exchanges: [],
    options: { signInSteps: [nav(AUTH0_PKCE, T0)] },
    count: 0,
  },
]);

ruleTable('pkce-plain', [
  { name: 'fires on method plain', rule: 'pkce-plain', exchanges: [], options: { signInSteps: [nav(plainPkce, T0)] }, count: 1 },
  { name: 'not on S256', rule: 'pkce-plain', exchanges: [], options: { signInSteps: [nav(AUTH0_PKCE, T0)] }, count: 0 },
]);

ruleTable('csrf-unprotected', [
  {
    name: 'fires without state and PKCE',
    rule: 'csrf-unprotected',
    exchanges: [],
    options: { signInSteps: [nav(withoutState, T0)] },
    count: 1,
  },
  {
    name: 'not with state ([MS-OAPX] 4.10)',
    rule: 'csrf-unprotected',
    exchanges: [],
    options: { signInSteps: [nav(MS_OAPX_PROMPT, T0)] },
    count: 0,
  },
  {
    name: 'not with PKCE only (Auth0 docs)',
    rule: 'csrf-unprotected',
    exchanges: [],
    options: { signInSteps: [nav(AUTH0_PKCE, T0)] },
    count: 0,
  },
]);

ruleTable('token-in-front-channel', [
  {
    name: 'fires on the implicit grant (RFC 6749 s4.2)',
    rule: 'token-in-front-channel',
    exchanges: [],
    options: { signInSteps: [nav(RFC6749_IMPLICIT.authorize, T0), nav(RFC6749_IMPLICIT.callback, T1)] },
    count: 1,
    check: ([finding]) => assert.equal(finding?.evidence.mode, 'fragment'),
  },
  {
    name: 'not on the code flow',
    rule: 'token-in-front-channel',
    exchanges: [],
    options: { signInSteps: [nav(RFC6749_CODE.authorize, T0)] },
    count: 0,
  },
]);

ruleTable('nonce-missing', [
  {
    name: 'fires on id_token token without nonce',
    rule: 'nonce-missing',
    exchanges: [],
    options: { signInSteps: [nav(OIDC_IMPLICIT.replace('&nonce=n-0S6_WzA2Mj', ''), T0)] },
    count: 1,
  },
  {
    name: 'not with the nonce of OIDC Core s3.2.2.1',
    rule: 'nonce-missing',
    exchanges: [],
    options: { signInSteps: [nav(OIDC_IMPLICIT, T0)] },
    count: 0,
  },
]);

ruleTable('authorization-error', [
  {
    name: 'fires on access_denied (RFC 6749 s4.1.2.1)',
    rule: 'authorization-error',
    exchanges: [],
    options: { signInSteps: [nav(RFC6749_CODE.authorize, T0), nav(RFC6749_DENIED, T1)] },
    count: 1,
    check: ([finding]) => assert.equal(finding?.evidence.error, 'access_denied'),
  },
  {
    name: 'not on a code',
    rule: 'authorization-error',
    exchanges: [],
    options: { signInSteps: [nav(RFC6749_CODE.authorize, T0), nav(RFC6749_CODE.callback, T1)] },
    count: 0,
  },
]);

ruleTable('redirect-uri-mismatch', [
  {
    name: 'fires when the token request names another redirect URI and tokens came anyway',
    rule: 'redirect-uri-mismatch',
    exchanges: [
      publicCodeExchange('grant_type=authorization_code&code=SplxlOBeZQQYbYS6WxSbIA&redirect_uri=https%3A%2F%2Fevil.example%2Fcb'),
    ],
    options: { signInSteps: [nav(RFC6749_CODE.authorize, T0), nav(RFC6749_CODE.callback, T1)] },
    count: 1,
    check: ([finding]) => assert.equal(finding?.evidence.issued, true),
  },
  {
    name: 'not on the identical redirect URI (RFC 6749 s4.1.3)',
    rule: 'redirect-uri-mismatch',
    exchanges: [publicCodeExchange(RFC6749_CODE.tokenBody)],
    options: { signInSteps: [nav(RFC6749_CODE.authorize, T0), nav(RFC6749_CODE.callback, T1)] },
    count: 0,
  },
]);

const rfc9207Authorize =
  'https://honest.as.example/authorize?response_type=code&client_id=c1&state=ZWVlNDBlYzA1NjdkMDNhYjg3ZjUxZjAyNGQzMTM2NzI&redirect_uri=https%3A%2F%2Fclient.example%2Fcb';
const rfc9207Exchange = (iss: string) =>
  tokenExchange(
    `${iss}/token`,
    'grant_type=authorization_code&code=x1848ZT64p4IirMPT0R-X3141MFPTuBX-VFL_cvaplMH58&client_id=c1',
    { access_token: 'at', token_type: 'Bearer', id_token: jwt({ iss, aud: 'c1', sub: 'u', exp: NOW_S + 3600 }, { alg: 'RS256' }) },
    T2,
  );
ruleTable('issuer-mismatch', [
  {
    name: "fires when the tokens' issuer is not the response's iss (RFC 9207 mix-up)",
    rule: 'issuer-mismatch',
    exchanges: [rfc9207Exchange('https://attacker.example')],
    options: { signInSteps: [nav(rfc9207Authorize, T0), nav(RFC9207_RESPONSE, T1)] },
    count: 1,
    check: ([finding]) => assert.equal(finding?.severity, 'high'),
  },
  {
    name: 'not when they agree',
    rule: 'issuer-mismatch',
    exchanges: [rfc9207Exchange('https://honest.as.example')],
    options: { signInSteps: [nav(rfc9207Authorize, T0), nav(RFC9207_RESPONSE, T1)] },
    count: 0,
  },
]);

const globus = globusSignIn('https://app.example/cb', 'c');
const globusAuthorize = globus.authorize;
const globusExchange = tokenExchange('https://auth.globus.org/v2/oauth2/token', globus.request, globus.answer);
ruleTable('requested-server-no-token', [
  {
    name: 'fires on a Globus scope asked for a server that got no token',
    rule: 'requested-server-no-token',
    exchanges: [globusExchange],
    options: {
      signInSteps: [
        nav(
          globusAuthorize('openid urn:globus:auth:scope:transfer.api.globus.org:all urn:globus:auth:scope:groups.api.globus.org:all'),
          T0,
        ),
      ],
    },
    count: 1,
    check: ([finding]) => assert.equal(finding?.resourceServer, 'groups.api.globus.org'),
  },
  {
    name: 'not when every server asked for got its token',
    rule: 'requested-server-no-token',
    exchanges: [globusExchange],
    options: { signInSteps: [nav(globusAuthorize('openid urn:globus:auth:scope:transfer.api.globus.org:all'), T0)] },
    count: 0,
  },
]);
