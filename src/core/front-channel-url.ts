/**
 * Whether a URL may be a front-channel step: cheap regex tests, no parsing (the core's sign-in reader decides for
 * sure). A leaf: the relay runs it on each navigation of a watched document, the worker on each navigation the
 * browser reports.
 */
const RESPONSE_PARAMS = /(?:^|[?&#])(?:code|error|state)=/;
/** `response_type`, or a pushed or signed request by reference (RFC 9126 / RFC 9101: `request_uri`, `request`). */
const REQUEST_PARAMS = /[?&](?:response_type|request_uri|request)=/;
const CLIENT_PARAMS = /[?&]client_id=/;
/** Supabase Auth's authorize, which names a `provider` and no client (@supabase/auth-js src/GoTrueClient.ts `_getUrlForProvider`). */
export const SUPABASE_AUTHORIZE = /\/auth\/v1\/authorize\/?\?(?:[^#]*&)?provider=/;

/** Whether a URL can be an authorization request (the core decides for sure). */
export function looksLikeAuthorizationRequest(url: string): boolean {
  const query = url.split('#')[0] ?? '';
  return (REQUEST_PARAMS.test(query) && CLIENT_PARAMS.test(query)) || SUPABASE_AUTHORIZE.test(query);
}

/** Whether a URL can be an authorization response (query or fragment). */
export function looksLikeAuthorizationResponse(url: string): boolean {
  const at = url.search(/[?#]/);
  return at >= 0 && RESPONSE_PARAMS.test(url.slice(at));
}
