/**
 * The sign-in steps of a HAR (saved with "Preserve log"): entries whose URL is an authorization
 * request, redirects whose Location carries a code, an error or tokens (a fragment never reaches
 * the server, so the Location is where a HAR shows it), a callback with them, a pushed authorization
 * request and a `form_post` response. Entries are read as har.ts reads them; this is a separate
 * pass so the exchange reader stays as it is.
 */
import { hasResourceMetadataChallenge, isDiscoveryUrl, isRegistrationRequest } from '../candidate.js';
import { SUPABASE_AUTHORIZE } from '../front-channel-url.js';
import { headerValue } from '../headers.js';
import { isObject, type JsonObject } from '../json.js';
import { MAX_BODY_CHARS } from '../limits.js';
import type { SignInStep } from './types.js';

/** A front-channel parameter after `?`, `&` or `#`: cheap to test on every URL of a HAR. */
const FRONT_CHANNEL_URL = /[?&#](?:response_type|request_uri|code|error|access_token|id_token)=/;
/** A PAR or form_post body: the parameters that make it one. */
const FRONT_CHANNEL_BODY = /(?:^|&)(?:response_type|code|error|id_token|access_token)=/;

function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function postBody(request: JsonObject): string | null {
  const postData = request.postData;
  if (!isObject(postData)) return null;
  const text = str(postData.text);
  if (text !== null) return text.length <= MAX_BODY_CHARS ? text : null;
  if (!Array.isArray(postData.params)) return null;
  const form = new URLSearchParams();
  for (const param of postData.params)
    if (isObject(param) && typeof param.name === 'string') form.append(param.name, str(param.value) ?? '');
  return form.toString();
}

/** One entry as a sign-in step, or null when it is none. */
function stepOf(entry: JsonObject): SignInStep | null {
  const request = isObject(entry.request) ? entry.request : null;
  const response = isObject(entry.response) ? entry.response : {};
  if (!request) return null;
  const url = str(request.url) ?? '';
  const method = str(request.method)?.toUpperCase() ?? 'GET';
  const location = str(response.redirectURL) || headerValue(response.headers, 'location');
  const body = method === 'POST' ? postBody(request) : null;
  const status = typeof response.status === 'number' && response.status > 0 ? response.status : null;
  const wwwAuthenticate = status === 401 ? headerValue(response.headers, 'www-authenticate') : null;
  // Discovery (sign-in/discovery.ts): a 401 naming metadata, a metadata GET, a dynamic registration.
  const isDiscovery =
    hasResourceMetadataChallenge(wwwAuthenticate) || (method === 'GET' && isDiscoveryUrl(url)) || isRegistrationRequest(method, body);
  const isStep =
    isDiscovery ||
    FRONT_CHANNEL_URL.test(url) ||
    SUPABASE_AUTHORIZE.test(url) ||
    (location !== null && FRONT_CHANNEL_URL.test(location)) ||
    (body !== null && FRONT_CHANNEL_BODY.test(body));
  if (!isStep) return null;
  const content = isObject(response.content) ? response.content : {};
  const text = str(content.text);
  return {
    url,
    method,
    at: str(entry.startedDateTime) ?? new Date(0).toISOString(),
    status,
    location: location || null,
    source: 'har',
    body,
    responseBody: text !== null && text.length <= MAX_BODY_CHARS && str(content.encoding) !== 'base64' ? text : null,
    ...(wwwAuthenticate ? { wwwAuthenticate } : {}),
    ...(isDiscovery ? { mcpProtocolVersion: headerValue(request.headers, 'mcp-protocol-version') } : {}),
  };
}

/** Every sign-in step among a HAR's `log.entries`, in order. */
export function signInStepsFromHar(entries: readonly unknown[]): SignInStep[] {
  const steps: SignInStep[] = [];
  for (const entry of entries) {
    if (!isObject(entry)) continue;
    const step = stepOf(entry);
    if (step) steps.push(step);
  }
  return steps;
}
