/**
 * Profiles of the identity providers that name resource servers themselves (Globus, Auth0, Keycloak,
 * Entra ID, Okta, Google, GitHub, Cognito): their aliases, known extra audiences and identity servers.
 */
import { ENTRA_PROFILE } from './entra.js';
import { AUTH0_USERINFO, hostIs, isAuth0CustomDomain, isAuth0Userinfo, isUserinfoOf, type ProviderProfile, UUID } from './profile.js';

/**
 * Globus resource servers (the `resource_server` Globus Auth names in a token response) and the production hosts
 * their APIs are called at. Source: the Globus JavaScript SDK, npm @globus/sdk 6.2, `dist/esm/services/auth/config.js`
 * (RESOURCE_SERVERS) and each `dist/esm/services/<service>/config.js` (HOSTS.production); the APIs as documented at
 * https://docs.globus.org/api/ (Transfer https://docs.globus.org/api/transfer/overview/, Groups
 * https://docs.globus.org/api/groups/, Search https://docs.globus.org/api/search/, Timers
 * https://docs.globus.org/api/timers/, Flows https://docs.globus.org/api/flows/, Compute https://docs.globus.org/api/compute/).
 * Transfer answers at both its resource server's own name and the SDK's default `transfer.api.globusonline.org`.
 * Globus Connect Server endpoints and collections are resource servers named by their UUID, served at a host of
 * their own under `data.globus.org` that the UUID does not tell (npm @globus/sdk, `services/globus-connect-server/`):
 * they are not listed, and a server that names no host is not judged by where its token goes.
 */
const GLOBUS_SERVER_HOSTS: Readonly<Record<string, readonly string[]>> = {
  'auth.globus.org': ['auth.globus.org'],
  'transfer.api.globus.org': ['transfer.api.globus.org', 'transfer.api.globusonline.org'],
  'groups.api.globus.org': ['groups.api.globus.org'],
  'search.api.globus.org': ['search.api.globus.org'],
  'flows.globus.org': ['flows.globus.org'],
  // Timers' resource server is a client id (services/auth/config.js RESOURCE_SERVERS[TIMERS]).
  '524230d7-ea86-4a52-8312-86065a9e0417': ['timer.automate.globus.org'],
  // Compute (formerly funcX) keeps its old resource-server name.
  funcx_service: ['compute.api.globus.org'],
};

export const IDENTITY_PROFILES: readonly ProviderProfile[] = [
  {
    id: 'globus',
    name: 'Globus Auth',
    docs: 'https://docs.globus.org/api/auth/reference/',
    matches: (url) => hostIs(url, 'auth.globus.org'),
    identityServer: 'auth.globus.org',
    // Globus introspection lists the resource server's client id beside its name
    // (docs.globus.org, Auth API "Token Introspection": aud holds both).
    isAlias: (audience) => UUID.test(audience),
    serverHosts: GLOBUS_SERVER_HOSTS,
  },
  {
    id: 'auth0',
    name: 'Auth0',
    docs: 'https://auth0.com/docs/secure/tokens/access-tokens/get-access-tokens',
    matches: (url, issuer, audiences) =>
      hostIs(url, 'auth0.com') || (issuer !== null && /\.auth0\.com\/?$/.test(issuer)) || isAuth0CustomDomain(url, issuer, audiences),
    knownAudience: (audience, context) => (isUserinfoOf(audience, context.issuer) || isAuth0Userinfo(audience) ? AUTH0_USERINFO : null),
  },
  {
    id: 'keycloak',
    name: 'Keycloak',
    docs: 'https://www.keycloak.org/docs/latest/server_admin/#_audience',
    matches: (url, issuer) => /\/realms\/[^/]+\//.test(url.pathname) || (issuer !== null && /\/realms\/[^/]+\/?$/.test(issuer)),
    knownAudience: (audience) =>
      audience === 'account'
        ? {
            severity: 'medium',
            explanation:
              "Keycloak's default 'roles' client scope adds the 'account' audience (the account console API) to every access token; remove the audience mapper unless your clients need it.",
          }
        : null,
  },
  ENTRA_PROFILE,
  {
    id: 'okta',
    name: 'Okta',
    docs: 'https://developer.okta.com/docs/concepts/auth-servers/',
    // Okta's org and custom authorization servers: /oauth2/v1/token, /oauth2/<server id>/v1/token (also behind custom domains).
    matches: (url) =>
      hostIs(url, 'okta.com', 'oktapreview.com', 'okta-emea.com') || /^\/oauth2\/([^/]+\/)?v1\/(token|introspect)$/.test(url.pathname),
  },
  {
    id: 'google',
    name: 'Google',
    docs: 'https://developers.google.com/identity/protocols/oauth2/scopes',
    matches: (url) =>
      hostIs(url, 'oauth2.googleapis.com', 'accounts.google.com') ||
      (hostIs(url, 'www.googleapis.com') && url.pathname.startsWith('/oauth2/')),
    identityServer: 'https://openidconnect.googleapis.com',
    scopeServer: (scope) => {
      if (/^https:\/\/www\.googleapis\.com\/auth\/userinfo\.(email|profile)$/.test(scope)) return 'https://openidconnect.googleapis.com';
      if (scope.startsWith('https://www.googleapis.com/auth/')) return 'https://www.googleapis.com';
      return null;
    },
  },
  {
    id: 'github',
    name: 'GitHub',
    docs: 'https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/scopes-for-oauth-apps',
    matches: (url) => hostIs(url, 'github.com') && /^\/login\/(oauth|device)\//.test(url.pathname),
    identityServer: 'https://api.github.com',
    // GitHub scopes (`repo`, `gist`, `read:user`) are all for the REST and GraphQL API.
    apiServer: () => 'https://api.github.com',
    apiHosts: ['api.github.com', 'uploads.github.com'],
  },
  {
    id: 'cognito',
    name: 'Amazon Cognito',
    docs: 'https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-access-token.html',
    matches: (url, issuer) => hostIs(url, 'amazoncognito.com') || (issuer !== null && /cognito-idp\.[^.]+\.amazonaws\.com/.test(issuer)),
    noAudience: {
      severity: 'low',
      explanation:
        'Cognito access tokens carry client_id instead of aud by design; each API must check client_id and scope itself, since the token names no audience.',
    },
  },
];
