/**
 * A Supabase project (`https://<ref>.supabase.co`) with GitHub as its upstream provider, the GitHub hosts the app
 * reaches, and the app at `https://app.supabase-demo.example`. Where each shape comes from:
 * - the requests @supabase/auth-js 2.119 sends: node_modules/@supabase/auth-js/dist/module/GoTrueClient.js
 *   (`_getUrlForProvider`: `/authorize?provider=…&redirect_to=…&code_challenge=…&code_challenge_method=s256`, lower
 *   case `s256` from lib/helpers.js `getCodeChallengeAndMethod`; `_exchangeCodeForSession`: POST
 *   `/token?grant_type=pkce` with JSON `{auth_code, code_verifier}`; `_refreshAccessToken`: POST
 *   `/token?grant_type=refresh_token` with JSON `{refresh_token}`), lib/fetch.js (`Content-Type:
 *   application/json;charset=UTF-8`, the `X-Supabase-Api-Version` header, `_sessionResponse`);
 * - the `apikey` header and the REST call's `Authorization: Bearer <session access token>`: supabase-js
 *   packages/core/supabase-js/src/lib/fetch.ts (`fetchWithAuth`; a new-format `sb_publishable_…` key only ever in
 *   `apikey`), https://supabase.com/docs/guides/api (REST at `/rest/v1/<table>`);
 * - the PKCE round trip (`?code=` back on the app, a 5-minute single-use auth code):
 *   https://supabase.com/docs/guides/auth/sessions/pkce-flow; the GitHub leg through
 *   `https://<ref>.supabase.co/auth/v1/callback`: https://supabase.com/docs/guides/auth/social-login/auth-github;
 *   `github.com/login/oauth/authorize` and its `code` + `state` answer:
 *   https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps;
 * - the session answer (`token_type: bearer`, `expires_at`, `user`, and `provider_token` /
 *   `provider_refresh_token` handed to the browser once, after sign-in): GoTrueClient.js's `signInWithOAuth` doc
 *   comment, supabase/auth internal/api/token.go `AccessTokenResponse`; a GitHub App's expiring user token `ghu_…`
 *   with its refresh token `ghr_…`: https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/refreshing-user-access-tokens;
 * - the access token's claims (`iss: https://<ref>.supabase.co/auth/v1`, `aud: authenticated`, `role`, `aal`, `amr`,
 *   `session_id`, `is_anonymous`): https://supabase.com/docs/guides/auth/jwt-fields; RS256 with a `kid` (an asymmetric
 *   signing key, RSA or P-256): https://supabase.com/docs/guides/auth/signing-keys;
 * - `GET https://api.github.com/user` with the provider token as Bearer: https://docs.github.com/en/rest/users/users.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SiteHandler } from '../server.js';
import { appSite, bundleApp, corsHeaders, formBody, json, preflight, redirect } from '../site.js';
import { nowSeconds, opaque, s256, signJwt } from '../jwt.js';

export const SUPABASE_REF = 'abcdefghijklmnopqrst';
export const SUPABASE_PROJECT_HOST = `${SUPABASE_REF}.supabase.co`;
export const SUPABASE_APP_HOST = 'app.supabase-demo.example';
/** The misconfigured app's analytics backend: another site, which receives the user's Supabase access token. */
export const SUPABASE_LEAK_HOST = 'api.todo-insights.example';
export const SUPABASE_ANON_KEY = 'sb_publishable_Zm9yLXRva2Vuc2NvcGUtdGVzdHMtb25seQ';
const GITHUB_CLIENT_ID = 'Iv23liTokenscopeDemo01';
const USER_ID = '8d0fd2b3-9ca7-4cf3-9e3f-5c4b4b1d6b4a';

export interface SupabaseRecord {
  /** `grant_type` of each token request, from its URL. */
  grants: string[];
  /** Each REST call's answer status. */
  rest: number[];
  /** Each GitHub API call's answer status. */
  github: number[];
  /** Requests the leak host received. */
  leaked: number;
}

interface Flow {
  challenge: string;
  redirectTo: string;
}

/** The session a Supabase token endpoint answers (GoTrue's AccessTokenResponse), with the provider's tokens after sign-in. */
function session(origin: string, provider: { token: string; refresh: string } | null): Record<string, unknown> {
  const iat = nowSeconds();
  const appMetadata = { provider: 'github', providers: ['github'] };
  const userMetadata = { user_name: 'octo-demo', preferred_username: 'octo-demo', iss: 'https://api.github.com', provider_id: '583231' };
  const accessToken = signJwt(
    {
      iss: `${origin}/auth/v1`,
      sub: USER_ID,
      aud: 'authenticated',
      exp: iat + 3600,
      iat,
      email: 'octo-demo@users.noreply.github.com',
      phone: '',
      app_metadata: appMetadata,
      user_metadata: userMetadata,
      role: 'authenticated',
      aal: 'aal1',
      amr: [{ method: 'oauth', timestamp: iat }],
      session_id: randomUUID(),
      is_anonymous: false,
    },
    { typ: 'JWT' },
  );
  return {
    access_token: accessToken,
    token_type: 'bearer',
    expires_in: 3600,
    expires_at: iat + 3600,
    refresh_token: opaque(9),
    user: {
      id: USER_ID,
      aud: 'authenticated',
      role: 'authenticated',
      email: 'octo-demo@users.noreply.github.com',
      app_metadata: appMetadata,
      user_metadata: userMetadata,
      is_anonymous: false,
    },
    ...(provider ? { provider_token: provider.token, provider_refresh_token: provider.refresh } : {}),
  };
}

/** `https://<ref>.supabase.co`: Auth at /auth/v1 (GitHub as upstream provider), PostgREST at /rest/v1. */
function projectSite(record: SupabaseRecord, issued: { access: Set<string>; github: Set<string> }): SiteHandler {
  const origin = `https://${SUPABASE_PROJECT_HOST}`;
  const flows = new Map<string, Flow>();
  const codes = new Map<string, Flow & { provider: { token: string; refresh: string } }>();
  const refreshTokens = new Set<string>();
  const answer = (req: IncomingMessage, res: ServerResponse, body: Record<string, unknown>) => {
    issued.access.add(String(body.access_token));
    refreshTokens.add(String(body.refresh_token));
    json(req, res, 200, body, { 'x-supabase-api-version': '2024-01-01' });
  };
  return async (req, res) => {
    if (preflight(req, res)) return;
    const url = new URL(req.url ?? '/', origin);
    if (url.pathname === '/auth/v1/authorize') {
      // GoTrue keeps the PKCE challenge and sends the browser to the provider with a state of its own.
      const state = opaque();
      flows.set(state, { challenge: url.searchParams.get('code_challenge') ?? '', redirectTo: url.searchParams.get('redirect_to') ?? '' });
      const github = new URL('https://github.com/login/oauth/authorize');
      github.search = new URLSearchParams({
        client_id: GITHUB_CLIENT_ID,
        redirect_uri: `${origin}/auth/v1/callback`,
        response_type: 'code',
        scope: 'user:email',
        state,
      }).toString();
      return redirect(res, github.href);
    }
    if (url.pathname === '/auth/v1/callback') {
      // GoTrue redeems GitHub's code on its own server (not seen by the browser), then answers the app with its auth code.
      const flow = flows.get(url.searchParams.get('state') ?? '');
      if (!flow || !url.searchParams.get('code')) return json(req, res, 400, { error: 'invalid_request' });
      const authCode = randomUUID();
      const provider = { token: `ghu_${opaque(27)}`, refresh: `ghr_${opaque(57)}` };
      issued.github.add(provider.token);
      codes.set(authCode, { ...flow, provider });
      const back = new URL(flow.redirectTo);
      back.searchParams.set('code', authCode);
      return redirect(res, back.href);
    }
    if (url.pathname === '/auth/v1/token' && req.method === 'POST') {
      const grant = url.searchParams.get('grant_type') ?? '';
      record.grants.push(grant);
      const body = await formBody(req);
      if (grant === 'pkce') {
        const flow = codes.get(body.get('auth_code') ?? '');
        codes.delete(body.get('auth_code') ?? '');
        if (!flow || s256(body.get('code_verifier') ?? '') !== flow.challenge)
          return json(req, res, 400, { code: 'bad_code_verifier', msg: 'code challenge does not match previously saved code verifier' });
        return answer(req, res, session(origin, flow.provider));
      }
      if (grant === 'refresh_token' && refreshTokens.delete(body.get('refresh_token') ?? ''))
        return answer(req, res, session(origin, null));
      return json(req, res, 400, { code: 'refresh_token_not_found', msg: 'Invalid Refresh Token: Refresh Token Not Found' });
    }
    if (url.pathname === '/rest/v1/todos') {
      const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
      const ok = req.headers.apikey === SUPABASE_ANON_KEY && issued.access.has(bearer);
      record.rest.push(ok ? 200 : 401);
      if (!ok) return json(req, res, 401, { code: 'PGRST301', message: 'JWT invalid' });
      return json(req, res, 200, [{ id: 1, title: 'Try Tokenscope on a Supabase app', done: false }], { 'content-range': '0-0/*' });
    }
    json(req, res, 404, { message: 'no route' });
  };
}

/** github.com (the authorize page, which approves at once) and api.github.com (`/user` for the provider token). */
function githubSites(record: SupabaseRecord, issued: { github: Set<string> }): Record<string, SiteHandler> {
  return {
    'github.com': (req, res) => {
      const url = new URL(req.url ?? '/', 'https://github.com');
      if (url.pathname !== '/login/oauth/authorize') return json(req, res, 404, { message: 'Not Found' });
      const back = new URL(url.searchParams.get('redirect_uri') ?? '');
      back.search = new URLSearchParams({ code: opaque(10), state: url.searchParams.get('state') ?? '' }).toString();
      redirect(res, back.href);
    },
    'api.github.com': (req, res) => {
      if (preflight(req, res)) return;
      const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
      const ok = issued.github.has(bearer);
      record.github.push(ok ? 200 : 401);
      if (!ok) return json(req, res, 401, { message: 'Bad credentials' });
      json(req, res, 200, { login: 'octo-demo', id: 583231, type: 'User' });
    },
  };
}

/** Every host of the Supabase test: the app (its page and bundled script), the project, GitHub, and the leak host. */
export function supabaseSites(options: { misconfigured: boolean }): { sites: Record<string, SiteHandler>; record: SupabaseRecord } {
  const record: SupabaseRecord = { grants: [], rest: [], github: [], leaked: 0 };
  const issued = { access: new Set<string>(), github: new Set<string>() };
  const script = bundleApp(new URL('../apps/supabase-app.ts', import.meta.url));
  const sites: Record<string, SiteHandler> = {
    [SUPABASE_APP_HOST]: appSite({
      title: 'Todos (Supabase)',
      script,
      config: {
        project: `https://${SUPABASE_PROJECT_HOST}`,
        anonKey: SUPABASE_ANON_KEY,
        leakTo: options.misconfigured ? `https://${SUPABASE_LEAK_HOST}/v1/events` : null,
      },
      buttons: ['signin', 'github', 'refresh', 'rest', 'refresh-rest', 'leak'],
    }),
    [SUPABASE_PROJECT_HOST]: projectSite(record, issued),
    ...githubSites(record, issued),
    [SUPABASE_LEAK_HOST]: (req, res) => {
      if (preflight(req, res)) return;
      record.leaked++;
      res.writeHead(202, corsHeaders(req)).end();
    },
  };
  return { sites, record };
}
