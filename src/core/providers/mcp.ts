/**
 * MCP servers (Model Context Protocol, https://modelcontextprotocol.io/specification/2025-06-18/basic/authorization):
 * an MCP server is an OAuth 2.1 resource server that names itself with protected-resource metadata (RFC 9728); its
 * client discovers the authorization server (RFC 8414), may register itself (RFC 7591), and must send `resource`
 * (RFC 8707) at authorize and token. Unlike the other profiles this one is not told by a token endpoint or an issuer
 * (any authorization server may serve an MCP server) but by the discovery steps: an MCP client sends its
 * `MCP-Protocol-Version` header with each metadata request (@modelcontextprotocol/sdk 1.32.2,
 * dist/esm/client/auth.js `tryMetadataDiscovery` and `discoverAuthorizationServerMetadata`).
 */

export interface McpServerProfile {
  id: 'mcp';
  name: string;
  docs: string;
  /** Whether discovery steps come from an MCP client: one of them carried `MCP-Protocol-Version`. */
  recognises(protocolVersions: readonly (string | null | undefined)[]): boolean;
  /**
   * The MCP server's canonical URI (spec, "Canonical Server URI"; RFC 8707 s2): its metadata's `resource`, else the
   * URL its metadata was made for, else the URL that answered 401.
   */
  canonicalUri(resource: string | null, metadataFor: string | null, challengedUrl: string | null): string | null;
  /** Whether an `aud` value names the canonical URI (a trailing slash aside: the spec accepts either form). */
  isCanonical(audience: string, canonical: string): boolean;
}

const withoutSlash = (uri: string) => uri.replace(/\/+$/, '');

export const MCP_SERVER: McpServerProfile = {
  id: 'mcp',
  name: 'MCP server',
  docs: 'https://modelcontextprotocol.io/specification/2025-06-18/basic/authorization',
  recognises: (protocolVersions) => protocolVersions.some((version) => typeof version === 'string' && version.length > 0),
  canonicalUri: (resource, metadataFor, challengedUrl) => resource ?? metadataFor ?? challengedUrl,
  isCanonical: (audience, canonical) => withoutSlash(audience).toLowerCase() === withoutSlash(canonical).toLowerCase(),
};
