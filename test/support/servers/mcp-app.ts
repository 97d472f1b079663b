/**
 * The MCP test client page: what a browser MCP client (the MCP Inspector) does to reach an MCP server that wants a
 * token, with @modelcontextprotocol/sdk's own client `auth()` (client/auth.js): call the server, read the 401's
 * `resource_metadata` (`extractWWWAuthenticateParams`), `auth()` (metadata discovery, dynamic registration, the
 * authorization request: the page goes to the authorization server), then on the callback `auth()` with the code (the
 * token request) and the MCP call with the token. `noResource`: a client whose `validateResourceURL` answers
 * undefined, so the SDK sends no `resource` (a misconfigured client).
 */
import { auth, extractWWWAuthenticateParams, type OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';

interface McpAppConfig {
  mcpUrl: string;
  redirectUri: string;
  noResource: boolean;
}

const config = JSON.parse(document.getElementById('config')?.textContent ?? '{}') as McpAppConfig;
const status = (text: string) => {
  const element = document.getElementById('status');
  if (element) element.textContent = text;
};
const stored = <T>(key: string): T | undefined => {
  const text = sessionStorage.getItem(key);
  return text ? (JSON.parse(text) as T) : undefined;
};

class PageProvider implements OAuthClientProvider {
  get redirectUrl(): string {
    return config.redirectUri;
  }
  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: 'Tokenscope MCP test client',
      redirect_uris: [config.redirectUri],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    };
  }
  clientInformation(): OAuthClientInformationMixed | undefined {
    return stored('mcp-client');
  }
  saveClientInformation(information: OAuthClientInformationMixed): void {
    sessionStorage.setItem('mcp-client', JSON.stringify(information));
  }
  tokens(): OAuthTokens | undefined {
    return stored('mcp-tokens');
  }
  saveTokens(tokens: OAuthTokens): void {
    sessionStorage.setItem('mcp-tokens', JSON.stringify(tokens));
  }
  redirectToAuthorization(url: URL): void {
    location.assign(url.href);
  }
  saveCodeVerifier(verifier: string): void {
    sessionStorage.setItem('mcp-verifier', verifier);
  }
  codeVerifier(): string {
    return sessionStorage.getItem('mcp-verifier') ?? '';
  }
}

const provider = new PageProvider();
if (config.noResource) Object.assign(provider, { validateResourceURL: async () => undefined });

const initialize = (token?: string) =>
  fetch(config.mcpUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'tokenscope-test', version: '1' } },
    }),
  });

async function connect(): Promise<void> {
  const answer = await initialize();
  if (answer.status !== 401) {
    status(`unexpected ${answer.status}`);
    return;
  }
  const { resourceMetadataUrl } = extractWWWAuthenticateParams(answer);
  sessionStorage.setItem('mcp-metadata-url', resourceMetadataUrl?.href ?? '');
  const result = await auth(provider, { serverUrl: config.mcpUrl, resourceMetadataUrl });
  status(`auth ${result}`);
}

async function finish(code: string): Promise<void> {
  history.replaceState(null, '', '/');
  const metadataUrl = sessionStorage.getItem('mcp-metadata-url');
  const result = await auth(provider, {
    serverUrl: config.mcpUrl,
    authorizationCode: code,
    resourceMetadataUrl: metadataUrl ? new URL(metadataUrl) : undefined,
  });
  const answer = await initialize(provider.tokens()?.access_token);
  status(`${result.toLowerCase()} mcp ${answer.status}`);
}

document.getElementById('connect')?.addEventListener('click', () => {
  connect().catch((error: unknown) => status(`error ${String(error)}`));
});
const code = new URL(location.href).searchParams.get('code');
if (code) finish(code).catch((error: unknown) => status(`error ${String(error)}`));
else status('ready');
