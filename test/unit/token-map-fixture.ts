/** A Globus-shaped sign-in for the map's tests: four scopes, one never granted, a JWT whose audience names a second server, an opaque token. */
import { buildReport } from '../../src/core/analysis/index.js';
import type { Report } from '../../src/core/types.js';
import { jwt, NOW_S } from './helpers.js';
import { nav, RFC7636_CHALLENGE, RFC7636_VERIFIER, T0, tokenExchange } from './sign-in-fixtures.js';

export const TRANSFER = 'transfer.api.globus.org';
export const GROUPS = 'groups.api.globus.org';
export const SEARCH = 'search.api.globus.org';
export const TRANSFER_SCOPE = `urn:globus:auth:scope:${TRANSFER}:all`;
export const GROUPS_SCOPE = `urn:globus:auth:scope:${GROUPS}:view_my_groups_and_memberships`;
export const SEARCH_SCOPE = `urn:globus:auth:scope:${SEARCH}:all`;

/** The sign-in; `scopeSuffix` lengthens every requested scope (long-URN layout tests), `extra` adds servers. */
export function globusSignIn(options: { extraServers?: number } = {}): Report {
  const extra = Array.from({ length: options.extraServers ?? 0 }, (_, i) => `svc${i + 1}.api.globus.org`);
  const scopes = ['openid', TRANSFER_SCOPE, GROUPS_SCOPE, SEARCH_SCOPE, ...extra.map((id) => `urn:globus:auth:scope:${id}:all`)];
  const authorize =
    `https://auth.globus.org/v2/oauth2/authorize?response_type=code&client_id=gc&state=s1&code_challenge=${RFC7636_CHALLENGE}` +
    `&code_challenge_method=S256&redirect_uri=https%3A%2F%2Fapp.example%2Fcb&scope=${encodeURIComponent(scopes.join(' '))}`;
  const claims = { iss: 'https://auth.globus.org', iat: NOW_S - 10, exp: NOW_S + 3600, sub: 'u1', client_id: 'gc' };
  const body = {
    access_token: 'auth-opaque-token',
    resource_server: 'auth.globus.org',
    scope: 'openid',
    token_type: 'Bearer',
    other_tokens: [
      {
        access_token: jwt({ ...claims, aud: [TRANSFER, GROUPS], scope: TRANSFER_SCOPE }),
        resource_server: TRANSFER,
        scope: TRANSFER_SCOPE,
        token_type: 'Bearer',
      },
      { access_token: 'groups-opaque-token', resource_server: GROUPS, scope: GROUPS_SCOPE, token_type: 'Bearer' },
      ...extra.map((id) => ({
        access_token: jwt({ ...claims, aud: id }),
        resource_server: id,
        scope: `urn:globus:auth:scope:${id}:all`,
        token_type: 'Bearer',
      })),
    ],
  };
  const exchange = tokenExchange(
    'https://auth.globus.org/v2/oauth2/token',
    `grant_type=authorization_code&code=c&client_id=gc&code_verifier=${RFC7636_VERIFIER}&redirect_uri=https%3A%2F%2Fapp.example%2Fcb`,
    body,
  );
  return buildReport([exchange], { signInSteps: [nav(authorize, T0)] });
}
