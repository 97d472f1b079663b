/**
 * Profiles of providers whose token responses name no resource server although their API is
 * documented: the API each token is for, the hosts it is served from, and the shapes they answer with
 * (Slack's nested `authed_user`, Salesforce's `instance_url`, Zoom's `aud`). Each cites its documentation.
 */
import { isIdentityScope } from '../scopes.js';
import { apiUnlessIdentityOnly, hostIs, httpsOrigin, type ProviderProfile } from './profile.js';

/** ORCID member-API scopes (info.orcid.org/documentation/integration-guide/getting-started-with-your-orcid-integration/#easy-faq-2569). */
const ORCID_MEMBER_SCOPES =
  /^\/(read-limited|activities\/update|person\/update|webhook|premium-notification|group-id-record\/(read|update))$/;

export const API_PROFILES: readonly ProviderProfile[] = [
  {
    id: 'slack',
    name: 'Slack',
    docs: 'https://docs.slack.dev/reference/methods/oauth.v2.access',
    matches: (url) =>
      hostIs(url, 'slack.com') && /^\/api\/(oauth\.(v2\.)?access|oauth\.v2\.exchange|openid\.connect\.token)$/.test(url.pathname),
    apiServer: () => 'https://slack.com/api',
    apiHosts: ['slack.com'],
    nestedEntries: {
      authed_user:
        "Slack's authed_user token acts for the user who installed the app, another principal than the bot token beside it; both are for the Slack Web API.",
    },
  },
  {
    id: 'salesforce',
    name: 'Salesforce',
    docs: 'https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_web_server_flow.htm',
    matches: (url) => hostIs(url, 'salesforce.com', 'force.com') && url.pathname.startsWith('/services/oauth2/'),
    // The response's instance_url is the org's API (the REST API lives under it).
    apiServer: (entry) => httpsOrigin(entry.instance_url),
  },
  {
    id: 'twitch',
    name: 'Twitch',
    docs: 'https://dev.twitch.tv/docs/authentication/getting-tokens-oauth/',
    matches: (url) => hostIs(url, 'id.twitch.tv'),
    identityServer: 'https://id.twitch.tv',
    apiServer: apiUnlessIdentityOnly('https://api.twitch.tv'),
  },
  {
    id: 'reddit',
    name: 'Reddit',
    docs: 'https://github.com/reddit-archive/reddit/wiki/OAuth2',
    matches: (url) => hostIs(url, 'reddit.com') && url.pathname === '/api/v1/access_token',
    // Every OAuth call, `identity` included, goes to oauth.reddit.com.
    apiServer: () => 'https://oauth.reddit.com',
  },
  {
    id: 'spotify',
    name: 'Spotify',
    docs: 'https://developer.spotify.com/documentation/web-api/concepts/authorization',
    matches: (url) => hostIs(url, 'accounts.spotify.com'),
    identityServer: 'https://accounts.spotify.com',
    apiServer: apiUnlessIdentityOnly('https://api.spotify.com'),
  },
  {
    id: 'discord',
    name: 'Discord',
    docs: 'https://discord.com/developers/docs/topics/oauth2',
    matches: (url) => hostIs(url, 'discord.com', 'discordapp.com') && /^\/api(\/v\d+)?\/oauth2\/token$/.test(url.pathname),
    // `identify` and `email` are API scopes here: they unlock /users/@me.
    apiServer: () => 'https://discord.com/api',
    apiHosts: ['discord.com', 'discordapp.com'],
  },
  {
    id: 'dropbox',
    name: 'Dropbox',
    docs: 'https://www.dropbox.com/developers/documentation/http/documentation',
    matches: (url) => hostIs(url, 'api.dropboxapi.com', 'api.dropbox.com') && url.pathname === '/oauth2/token',
    apiServer: () => 'https://api.dropboxapi.com',
    apiHosts: ['api.dropboxapi.com', 'content.dropboxapi.com', 'notify.dropboxapi.com'],
  },
  {
    id: 'linkedin',
    name: 'LinkedIn',
    docs: 'https://learn.microsoft.com/en-us/linkedin/shared/authentication/authorization-code-flow',
    matches: (url) => hostIs(url, 'linkedin.com') && url.pathname.startsWith('/oauth/v2/'),
    // LinkedIn's OpenID userinfo is served by the same API (api.linkedin.com/v2/userinfo).
    identityServer: 'https://api.linkedin.com',
    apiServer: () => 'https://api.linkedin.com',
  },
  {
    id: 'zoom',
    name: 'Zoom',
    docs: 'https://developers.zoom.us/docs/integrations/oauth/',
    matches: (url) => hostIs(url, 'zoom.us') && url.pathname === '/oauth/token',
    // Zoom's JWT access tokens carry aud "https://oauth.zoom.us"; they are for the REST API at api.zoom.us.
    audienceServer: (audience) => (audience.replace(/\/+$/, '') === 'https://oauth.zoom.us' ? 'https://api.zoom.us' : null),
    isAlias: (audience, resourceServer) =>
      audience.replace(/\/+$/, '') === 'https://oauth.zoom.us' && resourceServer.replace(/\/+$/, '') === 'https://api.zoom.us',
    apiServer: () => 'https://api.zoom.us',
  },
  {
    id: 'atlassian',
    name: 'Atlassian',
    docs: 'https://developer.atlassian.com/cloud/jira/platform/oauth-2-3lo-apps/',
    // Before Auth0: Atlassian's tokens are issued by an auth0.com tenant.
    matches: (url) => hostIs(url, 'auth.atlassian.com'),
    apiServer: () => 'https://api.atlassian.com',
  },
  {
    id: 'orcid',
    name: 'ORCID',
    docs: 'https://info.orcid.org/documentation/api-tutorials/api-tutorial-get-and-authenticated-orcid-id/',
    matches: (url) => hostIs(url, 'orcid.org') && url.pathname === '/oauth/token',
    // The member API (api.orcid.org) for member scopes, else the public API (pub.orcid.org); the sandbox alike.
    apiServer: (_entry, scopes, endpoint) => {
      if (scopes.length > 0 && scopes.every(isIdentityScope)) return null;
      const api = scopes.some((scope) => ORCID_MEMBER_SCOPES.test(scope)) ? 'api' : 'pub';
      return `https://${api}.${endpoint && hostIs(endpoint, 'sandbox.orcid.org') ? 'sandbox.' : ''}orcid.org`;
    },
  },
];
