/** Published authorization requests and responses (sources: test/fixtures/sign-in/SOURCES.md), as sign-in steps and exchanges. */
import type { SignInStep } from '../../src/core/sign-in/types.js';
import type { CapturedExchange } from '../../src/core/types.js';
import { RFC7636_CHALLENGE, RFC7636_VERIFIER } from '../support/builders.js';

export const T0 = '2026-01-10T10:00:00.000Z';
export const T1 = '2026-01-10T10:00:05.000Z';
export const T2 = '2026-01-10T10:00:06.000Z';
export const T3 = '2026-01-10T10:30:00.000Z';

export const nav = (url: string, at: string, extra: Partial<SignInStep> = {}): SignInStep => ({
  url,
  method: 'GET',
  at,
  source: 'har',
  ...extra,
});

/** RFC 6749 s4.1.1 - s4.1.4. */
export const RFC6749_CODE = {
  authorize:
    'https://server.example.com/authorize?response_type=code&client_id=s6BhdRkqt3&state=xyz&redirect_uri=https%3A%2F%2Fclient%2Eexample%2Ecom%2Fcb',
  callback: 'https://client.example.com/cb?code=SplxlOBeZQQYbYS6WxSbIA&state=xyz',
  tokenBody: 'grant_type=authorization_code&code=SplxlOBeZQQYbYS6WxSbIA&redirect_uri=https%3A%2F%2Fclient%2Eexample%2Ecom%2Fcb',
  basic: 'Basic czZCaGRSa3F0MzpnWDFmQmF0M2JW',
  tokenResponse: {
    access_token: '2YotnFZFEjr1zCsicMWpAA',
    token_type: 'example',
    expires_in: 3600,
    refresh_token: 'tGzv3JOkF0XG5Qx2TlKWIA',
    example_parameter: 'example_value',
  },
};

/** RFC 6749 s4.1.2.1. */
export const RFC6749_DENIED = 'https://client.example.com/cb?error=access_denied&state=xyz';

/** RFC 6749 s4.2.1 and s4.2.2 (the response on the request's redirect URI; see SOURCES.md). */
export const RFC6749_IMPLICIT = {
  authorize:
    'https://server.example.com/authorize?response_type=token&client_id=s6BhdRkqt3&state=xyz&redirect_uri=https%3A%2F%2Fclient%2Eexample%2Ecom%2Fcb',
  callback: 'https://client.example.com/cb#access_token=2YotnFZFEjr1zCsicMWpAA&state=xyz&token_type=example&expires_in=3600',
};

/** RFC 7636 Appendix B (test/support/builders.ts). */
export { RFC7636_CHALLENGE, RFC7636_VERIFIER };

/** RFC 9126 s2.1, s2.2, s4. */
export const RFC9126_PAR = {
  endpoint: 'https://as.example.com/as/par',
  body:
    'response_type=code&client_id=s6BhdRkqt3&state=af0ifjsldkj&redirect_uri=https%3A%2F%2Fclient.example.org%2Fcb' +
    '&code_challenge=K2-ltc83acc4h0c9w6ESC_rEMTJ3bww-uCHaoeK1t8U&code_challenge_method=S256&scope=account-information',
  response: '{"request_uri": "urn:ietf:params:oauth:request_uri:6esc_11ACC5bwc014ltc14eY22c", "expires_in": 60}',
  authorize:
    'https://as.example.com/authorize?client_id=s6BhdRkqt3&request_uri=urn%3Aietf%3Aparams%3Aoauth%3Arequest_uri%3A6esc_11ACC5bwc014ltc14eY22c',
};

/** RFC 9207 s2. */
export const RFC9207_RESPONSE =
  'https://client.example/cb?code=x1848ZT64p4IirMPT0R-X3141MFPTuBX-VFL_cvaplMH58&state=ZWVlNDBlYzA1NjdkMDNhYjg3ZjUxZjAyNGQzMTM2NzI&iss=https%3A%2F%2Fhonest.as.example';

/** RFC 8707 s2.1, Figure 1. */
export const RFC8707_RESOURCES =
  'https://authorization-server.example.com/as/authorization.oauth2?response_type=code&client_id=s6BhdRkqt3&state=tNwzQ87pC6llebpmac_IDeeq-mCR2wLDYljHUZUAWuI' +
  '&redirect_uri=https%3A%2F%2Fclient.example.org%2Fcb&scope=calendar%20contacts&resource=https%3A%2F%2Fcal.example.com%2F&resource=https%3A%2F%2Fcontacts.example.com%2F';

/** OpenID Connect Core 1.0 s3.2.2.1. */
export const OIDC_IMPLICIT =
  'https://server.example.com/authorize?response_type=id_token%20token&client_id=s6BhdRkqt3&redirect_uri=https%3A%2F%2Fclient.example.org%2Fcb&scope=openid%20profile&state=af0ifjsldkj&nonce=n-0S6_WzA2Mj';

/** auth0/docs `_auth-code-pkce.md`, placeholders filled (SOURCES.md). */
export const AUTH0_PKCE =
  'https://example.us.auth0.com/authorize?audience=https%3A%2F%2Fapi.example.com&scope=openid%20read%3Amessages&response_type=code&client_id=AUTH0CLIENT' +
  `&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcallback&code_challenge=${RFC7636_CHALLENGE}&code_challenge_method=S256`;

/** [MS-OAPX] 4.10. */
export const MS_OAPX_PROMPT =
  'https://server.example.com/authorize?response_type=code&client_id=s6BhdRkqt3&state=xyz&resource=https:%2F%2Fresource_server&client-request-id=EC09AB2D-9655-453B-B555-3317011523E8&prompt=login&redirect_uri=https%3A%2F%2Fclient%2Eexample%2Ecom%2Fcb';

/** A token exchange at `url` with a form body and a JSON answer. */
export function tokenExchange(
  url: string,
  body: string,
  response: unknown,
  at = T2,
  headers: Record<string, string> = {},
): CapturedExchange {
  return {
    url,
    method: 'POST',
    status: 200,
    startedAt: at,
    source: 'har',
    request: { headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body },
    response: { contentType: 'application/json', body: JSON.stringify(response) },
  };
}

/** RFC 9396: the payment_initiation object of the running example, asked for in s3 and granted in s7's token response. */
const RFC9396_PAYMENT = {
  type: 'payment_initiation',
  actions: ['initiate', 'status', 'cancel'],
  locations: ['https://example.com/payments'],
  instructedAmount: { currency: 'EUR', amount: '123.50' },
  creditorName: 'Merchant A',
  creditorAccount: { iban: 'DE02100100109307118603' },
  remittanceInformationUnstructured: 'Ref Number Merchant',
};

/**
 * RFC 9396 (Rich Authorization Requests): the authorization request of s3 (fig. 8, its `authorization_details` the
 * running example of s2, fig. 9) and the token response of s7, verbatim (line breaks the RFC adds for display removed).
 * The RFC prints no authorization response or token request for this flow: the code is RFC 6749 s4.1.2's, sent back
 * with the request's state to its redirect URI, and the token endpoint is the request's host with RFC 6749's `/token`.
 */
export const RFC9396_RAR = {
  authorize:
    'https://server.example.com/authorize?response_type=code&client_id=s6BhdRkqt3&state=af0ifjsldkj&redirect_uri=https%3A%2F%2Fclient.example.org%2Fcb' +
    '&code_challenge_method=S256&code_challenge=K2-ltc83acc4h0c9w6ESC_rEMTJ3bwc-uCHaoeK1t8U' +
    '&authorization_details=%5B%7B%22type%22%3A%22account%5Finformation%22%2C%22actions%22%3A%5B%22list%5Faccounts%22%2C%22' +
    'read%5Fbalances%22%2C%22read%5Ftransactions%22%5D%2C%22locations%22%3A%5B%22https%3A%2F%2Fexample%2Ecom%2Faccounts%22%' +
    '5D%7D%2C%7B%22type%22%3A%22payment%5Finitiation%22%2C%22actions%22%3A%5B%22initiate%22%2C%22status%22%2C%22cancel%22%5' +
    'D%2C%22locations%22%3A%5B%22https%3A%2F%2Fexample%2Ecom%2Fpayments%22%5D%2C%22instructedAmount%22%3A%7B%22currency%22%' +
    '3A%22EUR%22%2C%22amount%22%3A%22123%2E50%22%7D%2C%22creditorName%22%3A%22Merchant%20A%22%2C%22creditorAccount%22%3A%7B' +
    '%22iban%22%3A%22DE02100100109307118603%22%7D%2C%22remittanceInformationUnstructured%22%3A%22Ref%20Number%20Merchant%22' +
    '%7D%5D',
  redirectUri: 'https://client.example.org/cb',
  code: 'SplxlOBeZQQYbYS6WxSbIA',
  callback: 'https://client.example.org/cb?code=SplxlOBeZQQYbYS6WxSbIA&state=af0ifjsldkj',
  tokenEndpoint: 'https://server.example.com/token',
  /** s3, fig. 9: the URL-decoded authorization_details. */
  requested: [
    {
      type: 'account_information',
      actions: ['list_accounts', 'read_balances', 'read_transactions'],
      locations: ['https://example.com/accounts'],
    },
    RFC9396_PAYMENT,
  ],
  /** s7, "Example Token Response". */
  tokenResponse: {
    access_token: '2YotnFZFEjr1zCsicMWpAA',
    token_type: 'example',
    expires_in: 3600,
    refresh_token: 'tGzv3JOkF0XG5Qx2TlKWIA',
    authorization_details: [RFC9396_PAYMENT],
  },
};
