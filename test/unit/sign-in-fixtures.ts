/** Published authorization requests and responses (sources: test/fixtures/sign-in/SOURCES.md), as sign-in steps and exchanges. */
import type { SignInStep } from '../../src/core/sign-in/types.js';
import type { CapturedExchange } from '../../src/core/types.js';

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

/** RFC 7636 Appendix B. */
export const RFC7636_VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
export const RFC7636_CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

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
