/**
 * Discovery steps (DESIGN "discovery steps"): what a client does before it signs in to a server it does not know,
 * read from the same `SignInStep`s as the front channel and joined to the authorization request they led to.
 * - a resource server's 401 whose `WWW-Authenticate` names `resource_metadata` (RFC 9728 s5.1);
 * - the GET of its protected-resource metadata, `/.well-known/oauth-protected-resource[/path]` (RFC 9728 s3);
 * - the GET of the authorization server's metadata, `/.well-known/oauth-authorization-server[/path]` (RFC 8414 s3)
 *   or `/.well-known/openid-configuration` (OpenID Connect Discovery 1.0 s4);
 * - a dynamic client registration, a JSON POST of `redirect_uris` answered with a `client_id` (RFC 7591 s3).
 * A registration's `client_secret` and `registration_access_token` are read as fingerprints only.
 */
import { hasResourceMetadataChallenge, isDiscoveryUrl, isRegistrationRequest } from '../candidate.js';
import { isObject, type JsonObject, nonEmptyString } from '../json.js';
import { MAX_QUOTED_CHARS } from '../limits.js';
import { MCP_SERVER } from '../providers/mcp.js';
import { fingerprint } from '../sha256.js';
import { endpointOf, parseUrl } from './params.js';
import { type FrontChannel, JOIN_WINDOW_MS, time } from './steps.js';
import type {
  AuthorizationRequestReport,
  DiscoveryKind,
  DiscoveryReport,
  DiscoveryStepReport,
  RegisteredClientReport,
  SignInStep,
} from './types.js';

/** One discovery step, read. */
export interface DiscoveryStep {
  report: DiscoveryStepReport;
  /** The whole URL (a 401's, or the metadata's), query included: a 401's `resource_metadata` names it so. */
  href: string;
  /** The answer's JSON object (metadata, registration answer); null for a 401. */
  reply: JsonObject | null;
  /** A registration's request body. */
  request: JsonObject | null;
  /** A 401's `resource_metadata` URL. */
  resourceMetadata: string | null;
  /** The request's `MCP-Protocol-Version` header: an MCP client's (providers/mcp.ts). */
  mcpProtocolVersion: string | null;
}

/** RFC 9728 s5.1: `resource_metadata="<url>"` in a `WWW-Authenticate` (quoted, or a token). */
export function resourceMetadataOf(wwwAuthenticate: string | null | undefined): string | null {
  if (!wwwAuthenticate) return null;
  const match = /(?:^|[\s,])resource_metadata\s*=\s*(?:"([^"]*)"|([^\s,]+))/i.exec(wwwAuthenticate);
  return match ? (match[1] ?? match[2] ?? null) : null;
}

function jsonObject(text: string | null | undefined): JsonObject | null {
  if (typeof text !== 'string') return null;
  try {
    const value: unknown = JSON.parse(text);
    return isObject(value) ? value : null;
  } catch {
    return null;
  }
}

function kindOf(step: SignInStep, url: URL): DiscoveryKind | null {
  if (step.status === 401 && hasResourceMetadataChallenge(step.wwwAuthenticate ?? null)) return 'challenge';
  const method = step.method.toUpperCase();
  if (method === 'GET' && isDiscoveryUrl(url.href)) {
    return url.pathname.includes('/.well-known/oauth-protected-resource') ? 'resource-metadata' : 'server-metadata';
  }
  if (isRegistrationRequest(method, step.body ?? null)) return 'registration';
  return null;
}

/** The step as a discovery step, or null when it is none (or its answer is not the JSON it must be). */
export function readDiscoveryStep(step: SignInStep): DiscoveryStep | null {
  const url = parseUrl(step.url);
  if (!url) return null;
  const kind = kindOf(step, url);
  if (!kind) return null;
  const reply = kind === 'challenge' ? null : jsonObject(step.responseBody);
  // Metadata that is not a JSON object, or a registration answered without a client id, is no step of a sign-in. A
  // successful step whose answer was not captured is kept, read from its URL and request: Chromium drops the bodies of
  // a page's requests when it navigates away, and a client goes to authorize right after its discovery, so
  // Playwright (its HAR recorder, the tokenscope fixture) may have none to give.
  const succeeded = step.status === null || step.status === undefined || (step.status >= 200 && step.status < 300);
  const unanswered = kind !== 'challenge' && succeeded && (step.responseBody === null || step.responseBody === undefined);
  if (kind !== 'challenge' && reply === null && !unanswered) return null;
  if (kind === 'registration' && !unanswered && nonEmptyString(reply?.client_id) === null) return null;
  return {
    report: {
      kind,
      url: endpointOf(url),
      method: step.method.toUpperCase(),
      at: step.at,
      status: step.status ?? null,
      source: step.source ?? null,
    },
    href: url.href,
    reply,
    request: kind === 'registration' ? jsonObject(step.body) : null,
    resourceMetadata: kind === 'challenge' ? resourceMetadataOf(step.wwwAuthenticate) : null,
    mcpProtocolVersion: step.mcpProtocolVersion ?? null,
  };
}

/** Whether a step is a discovery step (the front-channel reader leaves those out). */
export function isDiscoveryStep(step: SignInStep): boolean {
  return readDiscoveryStep(step) !== null;
}

/**
 * The resource a protected-resource metadata URL was made for: RFC 9728 s3.1 inserts the well-known suffix between
 * the host and the path (and query), so `https://mcp.example/.well-known/oauth-protected-resource/mcp` is for
 * `https://mcp.example/mcp`. A metadata URL for the host alone is for `https://mcp.example/` or `https://mcp.example`
 * (s3.1 drops the slash before inserting): this answers the first, `namesObservedUrl` takes either.
 */
export function resourceOfMetadataUrl(href: string): string | null {
  const url = parseUrl(href);
  if (!url) return null;
  const marker = '/.well-known/oauth-protected-resource';
  if (!url.pathname.startsWith(marker)) return null;
  const path = url.pathname.slice(marker.length);
  const resource = new URL(path === '' ? '/' : path, url.origin);
  resource.search = url.search;
  return resource.href;
}

/**
 * Whether two resource identifiers are the same resource, as RFC 9728 asks: s3.3 requires the metadata's `resource`
 * to be *identical* to the resource identifier the client used (no normalizing: `https://rs.example` and
 * `https://rs.example/`, `https://RS.example/` and `https://rs.example/`, `https://rs.example:443/` and
 * `https://rs.example/`, `/api` and `/api/`, with and without a query are each two resources), and s7.4 makes that
 * identifier the token's audience (RFC 8707 `resource`), where a looser match would let a token for one resource pass
 * for another. Strings compared character by character (RFC 3986 s6.2.1, simple string comparison).
 *
 * @see https://www.rfc-editor.org/rfc/rfc9728#section-3.3
 * @see https://www.rfc-editor.org/rfc/rfc9728#section-7.4
 */
export function isSameResource(a: string, b: string): boolean {
  return a === b;
}

/**
 * Whether `resource` (as a metadata document or a request wrote it) is the resource of a URL seen on the wire (one
 * that answered 401, or the one a metadata URL was made for): identical (`isSameResource`), except that a URL of the
 * host alone cannot show whether its resource was written with the slash (a browser sends `https://rs.example` as
 * `https://rs.example/`; RFC 9728 s3.1 makes one metadata URL for both), so either form is the one.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9728#section-3.3
 */
export function namesObservedUrl(resource: string, observed: string): boolean {
  if (isSameResource(resource, observed)) return true;
  const url = parseUrl(observed);
  return url !== null && url.pathname === '/' && url.search === '' && observed === `${url.origin}/` && resource === url.origin;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((entry): entry is string => typeof entry === 'string').slice(0, 50) : [];
}

function short(value: string | null): string | null {
  return value !== null && value.length > MAX_QUOTED_CHARS ? value.slice(0, MAX_QUOTED_CHARS) : value;
}

const REGISTRATION_SECRETS = ['client_secret', 'registration_access_token'] as const;
const fingerprinted = (value: string) => (value.startsWith('sha256:') ? value : fingerprint(value));

/**
 * A registration answer (RFC 7591 s3.2.1) with its `client_secret` and `registration_access_token` replaced by their
 * fingerprints, for a store that must never hold them; any other text as it is.
 */
export function withoutRegistrationSecrets(text: string): string {
  if (!text.includes('client_secret') && !text.includes('registration_access_token')) return text;
  const answer = jsonObject(text);
  if (answer === null) return text;
  for (const secret of REGISTRATION_SECRETS) {
    const value = answer[secret];
    if (typeof value === 'string' && value.length > 0) answer[secret] = fingerprinted(value);
  }
  return JSON.stringify(answer);
}

/** RFC 7591 s3.2.1: the registered client as the answer says it (the request's values where the answer is silent). */
function registeredClient(step: DiscoveryStep): RegisteredClientReport {
  const answer = step.reply ?? {};
  const asked = step.request ?? {};
  const redacted: Record<string, string> = {};
  for (const secret of REGISTRATION_SECRETS) {
    const value = nonEmptyString(answer[secret]);
    if (value !== null) redacted[secret] = fingerprinted(value);
  }
  const redirectUris = strings(answer.redirect_uris);
  return {
    clientId: short(nonEmptyString(answer.client_id)),
    clientName: short(nonEmptyString(answer.client_name) ?? nonEmptyString(asked.client_name)),
    redirectUris: redirectUris.length > 0 ? redirectUris : strings(asked.redirect_uris),
    redacted,
  };
}

const sameIssuer = (a: string, b: string) => a.replace(/\/+$/, '') === b.replace(/\/+$/, '');

/**
 * The latest step of a kind before `at` (within the join window) that `accepts`. Strictly before: a client that
 * finishes its sign-in discovers again on its callback (the MCP SDK's `auth()` does), well within a second of the
 * authorization request when the servers are near.
 */
function latestBefore(steps: readonly DiscoveryStep[], kind: DiscoveryKind, at: number, accepts: (step: DiscoveryStep) => boolean) {
  for (let index = steps.length - 1; index >= 0; index -= 1) {
    const step = steps[index] as DiscoveryStep;
    const when = time(step.report.at);
    if (step.report.kind === kind && when <= at && at - when <= JOIN_WINDOW_MS && accepts(step)) return step;
  }
  return null;
}

const sameOrigin = (a: string, b: string) => {
  const left = parseUrl(a);
  return left !== null && left.origin === parseUrl(b)?.origin;
};
const asks = (request: AuthorizationRequestReport, resource: string | null) =>
  resource !== null && request.resources.some((asked) => namesObservedUrl(asked, resource));

/** The authorization server metadata of the request: the one naming its endpoint, else one not captured from its origin. */
function serverFor(request: AuthorizationRequestReport, steps: readonly DiscoveryStep[], at: number): DiscoveryStep | null {
  return (
    latestBefore(steps, 'server-metadata', at, (step) => {
      const endpoint = parseUrl(nonEmptyString(step.reply?.authorization_endpoint) ?? '');
      return endpoint !== null && endpointOf(endpoint) === request.endpoint;
    }) ?? latestBefore(steps, 'server-metadata', at, (step) => step.reply === null && sameOrigin(step.href, request.endpoint))
  );
}

/**
 * The registration of the request's client: the one answered with its `client_id`; else, not captured, one that went to
 * the server's `registration_endpoint` (or the authorization server's origin) and registered the request's redirect URI.
 */
function registrationFor(request: AuthorizationRequestReport, steps: readonly DiscoveryStep[], at: number, server: DiscoveryStep | null) {
  const answered =
    request.clientId === null
      ? null
      : latestBefore(steps, 'registration', at, (step) => nonEmptyString(step.reply?.client_id) === request.clientId);
  const endpoint = nonEmptyString(server?.reply?.registration_endpoint);
  return (
    answered ??
    latestBefore(
      steps,
      'registration',
      at,
      (step) =>
        step.reply === null &&
        request.redirectUri !== null &&
        (endpoint !== null ? parseUrl(endpoint)?.href === step.href : sameOrigin(step.href, request.endpoint)) &&
        strings(step.request?.redirect_uris).includes(request.redirectUri),
    )
  );
}

/** The protected-resource metadata of the request: naming its `resource` (answered, or by its URL), else listing the server's issuer. */
function resourceMetadataFor(request: AuthorizationRequestReport, steps: readonly DiscoveryStep[], at: number, issuer: string | null) {
  return latestBefore(steps, 'resource-metadata', at, (step) => {
    if (step.reply === null) return asks(request, resourceOfMetadataUrl(step.href));
    if (asks(request, nonEmptyString(step.reply.resource))) return true;
    return issuer !== null && strings(step.reply.authorization_servers).some((listed) => sameIssuer(listed, issuer));
  });
}

/**
 * The discovery that led to one authorization request: the authorization server metadata whose
 * `authorization_endpoint` is the request's endpoint, the registration that answered with its `client_id`, the
 * protected-resource metadata whose `resource` the request names (else that lists the server's issuer), and the
 * 401 that named that metadata. Null when none of them was seen.
 */
export function discoveryFor(request: AuthorizationRequestReport, steps: readonly DiscoveryStep[]): DiscoveryReport | null {
  const at = time(request.at);
  const server = serverFor(request, steps, at);
  const registration = registrationFor(request, steps, at, server);
  const issuer = nonEmptyString(server?.reply?.issuer);
  const resourceMetadata = resourceMetadataFor(request, steps, at, issuer);
  const challenge = resourceMetadata
    ? latestBefore(steps, 'challenge', time(resourceMetadata.report.at), (step) => step.resourceMetadata === resourceMetadata.href)
    : latestBefore(steps, 'challenge', at, (step) => asks(request, resourceOfMetadataUrl(step.resourceMetadata ?? '')));
  const found = [challenge, resourceMetadata, server, registration].filter((step): step is DiscoveryStep => step !== null);
  if (found.length === 0) return null;
  found.sort((a, b) => time(a.report.at) - time(b.report.at));
  const metadata = resourceMetadata?.reply ?? null;
  return {
    steps: found.map((step) => step.report),
    resourceMetadataUrl: challenge?.resourceMetadata ?? resourceMetadata?.href ?? null,
    resource: short(nonEmptyString(metadata?.resource)),
    metadataFor: resourceOfMetadataUrl(resourceMetadata?.href ?? challenge?.resourceMetadata ?? ''),
    challengedUrl: challenge?.href ?? null,
    authorizationServers: strings(metadata?.authorization_servers),
    resourceName: short(nonEmptyString(metadata?.resource_name)),
    issuer: short(issuer),
    client: registration ? registeredClient(registration) : null,
    mcp: MCP_SERVER.recognises(found.map((step) => step.mcpProtocolVersion)),
  };
}

/** The front channel with each authorization request's discovery attached (`FrontChannel.discovery`). */
export function withDiscovery(channels: FrontChannel[], steps: readonly SignInStep[]): FrontChannel[] {
  const discovery = steps
    .map(readDiscoveryStep)
    .filter((step): step is DiscoveryStep => step !== null)
    .sort((a, b) => time(a.report.at) - time(b.report.at));
  if (discovery.length === 0) return channels;
  for (const channel of channels) {
    const found = channel.request ? discoveryFor(channel.request, discovery) : null;
    if (found) channel.discovery = found;
  }
  return channels;
}
