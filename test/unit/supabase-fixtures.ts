/**
 * A Supabase sign-in through GitHub with @supabase/auth-js 2.119 (`flowType: 'pkce'`), as a HAR saved with
 * "Preserve log". Shaped from the SDK and the docs (sources: test/fixtures/sign-in/SOURCES.md, "Supabase"):
 * the authorize URL from `_getUrlForProvider`, the code exchange from `_exchangeCodeForSession`, the refresh
 * from `_refreshAccessToken` (node_modules/@supabase/auth-js/src/GoTrueClient.ts); the session from the
 * `Session` type (src/lib/types.ts) and the claims from supabase.com/docs/guides/auth/jwt-fields.
 */
import { codeChallengeOf } from '../../src/core/sign-in/pkce.js';
import { entry, har, jwt } from './helpers.js';

export const PROJECT = 'https://abcdefghijklmnopqrst.supabase.co';
export const APP = 'http://localhost:3000';
const T = (seconds: number) => new Date(Date.parse('2026-01-10T10:00:00.000Z') + seconds * 1000).toISOString();
const IAT = Date.parse(T(6)) / 1000;

/** `generatePKCEVerifier`: 56 random 32-bit values as 2 hex digits each (src/lib/helpers.ts). */
export const VERIFIER = 'a3f1c2d4e5b6978812ab34cd56ef7890a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f607182';
/** The project's one-time auth code (a UUID, `flow_state.auth_code`), handed back on redirect_to. */
const AUTH_CODE = '5f0c1a8e-3b7d-4c2e-9a61-0d4f8b2c7e13';
const GITHUB_STATE = jwt(
  { exp: IAT + 300, site_url: APP, provider: 'github', referrer: `${APP}/auth/callback` },
  { alg: 'HS256', typ: 'JWT' },
);

const USER = {
  id: '8d7f3c2a-1b4e-4f6a-9c8d-2e1f0a3b4c5d',
  aud: 'authenticated',
  role: 'authenticated',
  email: 'octocat@example.com',
  app_metadata: { provider: 'github', providers: ['github'] },
  user_metadata: { user_name: 'octocat', provider_id: '583231', iss: 'https://api.github.com' },
};

/** An access token as Supabase Auth issues it (supabase.com/docs/guides/auth/jwt-fields: required and common claims). */
export function supabaseAccessToken(iat = IAT, project = PROJECT): string {
  return jwt(
    {
      iss: `${project}/auth/v1`,
      sub: USER.id,
      aud: 'authenticated',
      exp: iat + 3600,
      iat,
      email: USER.email,
      phone: '',
      app_metadata: USER.app_metadata,
      user_metadata: USER.user_metadata,
      role: 'authenticated',
      aal: 'aal1',
      amr: [{ method: 'oauth', timestamp: iat }],
      session_id: 'c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f',
      is_anonymous: false,
    },
    { alg: 'ES256', kid: '3b2f9c1e-7a6d-4e5f-8a9b-0c1d2e3f4a5b', typ: 'JWT' },
  );
}

export const ACCESS = supabaseAccessToken();
export const REFRESHED = supabaseAccessToken(IAT + 3540);
/** GitHub's OAuth app token format (`gho_` and 36 characters: github.blog "Behind GitHub's new authentication token formats"). */
export const GITHUB_TOKEN = 'gho_16C7e42F292c6912E7710c838347Ae178B4a';

/** The `Session` the code exchange answers (src/lib/types.ts `Session`; provider_token after an OAuth sign-in). */
export function session(access = ACCESS, refresh = 'v5q2ka3ywyzs', extra: Record<string, unknown> = { provider_token: GITHUB_TOKEN }) {
  return {
    access_token: access,
    token_type: 'bearer',
    expires_in: 3600,
    expires_at: IAT + 3600,
    refresh_token: refresh,
    user: USER,
    ...extra,
  };
}

const json = (value: unknown) => ({ mimeType: 'application/json', text: JSON.stringify(value) });
const redirect = (url: string, location: string, at: number) => {
  const document = entry({ url, status: 302, content: { size: 0, mimeType: 'text/html' } });
  return { ...document, _resourceType: 'document', startedDateTime: T(at), response: { ...document.response, redirectURL: location } };
};
const post = (url: string, body: unknown, answer: unknown, at: number) => ({
  ...entry({
    method: 'POST',
    url,
    requestHeaders: [
      { name: 'content-type', value: 'application/json;charset=UTF-8' },
      { name: 'apikey', value: 'sb_publishable_xxxxxxxxxxxxxxxxxxxxxx_yyyyyyy' },
      { name: 'x-client-info', value: 'gotrue-js/2.119.0' },
    ],
    postData: { mimeType: 'application/json;charset=UTF-8', text: JSON.stringify(body) },
    content: json(answer),
  }),
  startedDateTime: T(at),
});
const bearer = (url: string, token: string, at: number) => ({
  ...entry({ url, requestHeaders: [{ name: 'authorization', value: `Bearer ${token}` }], content: json([]) }),
  startedDateTime: T(at),
});

export const AUTHORIZE = `${PROJECT}/auth/v1/authorize?provider=github&redirect_to=${encodeURIComponent(`${APP}/auth/callback`)}&scopes=read%3Auser&code_challenge=${codeChallengeOf(VERIFIER, 'S256')}&code_challenge_method=s256`;
const GITHUB_AUTHORIZE = `https://github.com/login/oauth/authorize?client_id=Iv1.8a61f9b3a7aba766&redirect_uri=${encodeURIComponent(`${PROJECT}/auth/v1/callback`)}&response_type=code&scope=user%3Aemail+read%3Auser&state=${GITHUB_STATE}`;
const GITHUB_CALLBACK = `${PROJECT}/auth/v1/callback?code=0e6f1a2b3c4d5e6f7a8b&state=${GITHUB_STATE}`;
const APP_CALLBACK = `${APP}/auth/callback?code=${AUTH_CODE}`;

/** The HAR of the whole sign-in: authorize, GitHub's consent, the code exchange, a REST call, a GitHub API call, one refresh. */
export function supabaseHar(options: { authorize?: string; exchangeBody?: unknown } = {}) {
  return har(
    redirect(options.authorize ?? AUTHORIZE, GITHUB_AUTHORIZE, 0),
    redirect(GITHUB_AUTHORIZE, GITHUB_CALLBACK, 0.4),
    redirect(GITHUB_CALLBACK, APP_CALLBACK, 5),
    { ...entry({ url: APP_CALLBACK, content: { mimeType: 'text/html', text: '<!doctype html>' } }), startedDateTime: T(5.5) },
    post(
      `${PROJECT}/auth/v1/token?grant_type=pkce`,
      options.exchangeBody ?? { auth_code: AUTH_CODE, code_verifier: VERIFIER },
      session(),
      6,
    ),
    bearer(`${PROJECT}/rest/v1/todos?select=*`, ACCESS, 7),
    bearer('https://api.github.com/user', GITHUB_TOKEN, 8),
    post(
      `${PROJECT}/auth/v1/token?grant_type=refresh_token`,
      { refresh_token: 'v5q2ka3ywyzs' },
      session(REFRESHED, 'k9d3m2p7q1x4', {}),
      3546,
    ),
  );
}
