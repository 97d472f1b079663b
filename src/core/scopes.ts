/**
 * Scopes: splitting them as token endpoints really send them, and telling which
 * resource server a scope belongs to (DESIGN: resource-server resolution, step 5).
 */

/** OpenID Connect scopes that belong to the issuer (userinfo), not to an API. OIDC Core s5.4, s11. */
const IDENTITY_SCOPES = new Set(['openid', 'profile', 'email', 'address', 'phone', 'offline_access', 'offline']);

/** Whether the scope is an OpenID Connect identity scope, granted to the issuer rather than an API. */
export function isIdentityScope(scope: string): boolean {
  return IDENTITY_SCOPES.has(scope);
}

/**
 * Split a scope value into scopes. RFC 6749 s3.3 says space-delimited; GitHub
 * sends commas (`repo,gist`), some servers send an array, some leave the value
 * URL-encoded inside JSON (`openid%20profile`). Order is kept, duplicates dropped.
 */
export function splitScopes(value: unknown): string[] {
  let parts: string[];
  if (Array.isArray(value)) {
    parts = value.filter((v): v is string => typeof v === 'string');
  } else if (typeof value === 'string') {
    let text = value;
    // Entra's documented samples carry `https%3A%2F%2Fgraph.microsoft.com%2Fmail.read` inside JSON.
    if (/%[0-9A-F]{2}/i.test(text) && !/\s/.test(text)) {
      try {
        text = decodeURIComponent(text);
      } catch {
        // Not valid percent-encoding: keep the text as it came.
      }
    }
    parts = /\s/.test(text.trim()) ? text.split(/\s+/) : text.split(',');
  } else {
    return [];
  }
  const seen = new Set<string>();
  const scopes: string[] = [];
  for (const part of parts) {
    const scope = part.trim();
    if (scope && !seen.has(scope)) {
      seen.add(scope);
      scopes.push(scope);
    }
  }
  return scopes;
}

const GLOBUS_URN = /^urn:globus:auth:scope:([^:]+):(.+)$/;
const GLOBUS_URL = /^https:\/\/auth\.globus\.org\/scopes\/([^/]+)\/(.+)$/;

/**
 * The resource server a scope names, or null when the scope does not say
 * (an identity scope, or a bare name like `read:messages` or `repo`).
 *
 * - `urn:globus:auth:scope:<rs>:<name>` and `https://auth.globus.org/scopes/<rs>/<name>` (Globus)
 * - URL scopes: `https://graph.microsoft.com/User.Read` -> `https://graph.microsoft.com` (Entra, Google)
 * - `api://<app>/<name>` -> `api://<app>` (Entra app id URIs)
 * - `<rs>/<name>` (Cognito custom scopes)
 */
export function scopeServer(scope: string): string | null {
  if (isIdentityScope(scope)) return null;
  let match = GLOBUS_URN.exec(scope);
  if (match) return match[1] as string;
  match = GLOBUS_URL.exec(scope);
  if (match) return match[1] as string;
  const scheme = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]+)(\/[^?#]*)?/i.exec(scope);
  if (scheme) {
    const origin = `${(scheme[1] as string).toLowerCase()}://${(scheme[2] as string).toLowerCase()}`;
    return origin;
  }
  const slash = scope.indexOf('/');
  if (slash > 0 && slash < scope.length - 1 && !scope.includes(' ')) return scope.slice(0, slash);
  return null;
}

/**
 * A comparable form of a resource-server identifier: lower-case scheme and host,
 * no trailing slash, and for `https://host` with no path, the bare host too.
 */
export function serverKeys(id: string): string[] {
  const trimmed = id.trim().replace(/\/+$/, '');
  const url = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]+)(.*)$/i.exec(trimmed);
  if (!url) return [trimmed.toLowerCase()];
  const scheme = (url[1] as string).toLowerCase();
  const host = (url[2] as string).toLowerCase();
  const rest = url[3] as string;
  const full = `${scheme}://${host}${rest}`;
  return rest === '' && (scheme === 'https' || scheme === 'http') ? [full, host] : [full];
}

/**
 * A resource-server id that names a host (`transfer.api.globus.org`, `https://api.example.com`), as a host; null for
 * ids that do not (`api://default`, a GUID). Here, not beside the cross-exchange rules that use it most: the views
 * import it (the map), and the rules module brings the Public Suffix List (tldts, 100 KB) with it.
 */
export function serverHost(id: string): string | null {
  const url = /^https?:\/\/([^/?#:]+)/i.exec(id);
  if (url) return (url[1] as string).toLowerCase();
  return /^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(id) && !/^[0-9a-f]{8}-/i.test(id) ? id.toLowerCase() : null;
}

/** Whether two identifiers name the same resource server (`transfer.api.globus.org` = `https://transfer.api.globus.org/`). */
export function isSameServer(a: string, b: string): boolean {
  const keysA = serverKeys(a);
  const keysB = serverKeys(b);
  return keysA.some((key) => keysB.includes(key));
}
