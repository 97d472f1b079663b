/**
 * Deciding cheaply, from the method, the URL and the request body, whether a
 * request can be a token exchange (or an introspection). Every request of a
 * watched page goes through this in the page hook: no parsing, no allocation
 * beyond a regex test.
 */

/** URL paths token endpoints and introspection endpoints use (RFC 6749 s3.2, RFC 7662 s2, and the big providers'). */
const TOKEN_PATH =
  /\/(?:oauth2?\/)?(?:v\d+(?:\.\d+)?\/)?(?:token|access_token|introspect)(?:\/introspect)?\/?(?:$|[?#])|\/protocol\/openid-connect\/token|\/oauth2?\/[^?#]*token/i;

/** `grant_type` as a form field or a JSON member. */
const GRANT_TYPE = /(?:^|[&{",\s])"?grant_type"?\s*[=:]/;

/** Whether the URL's path is one token or introspection endpoints use. */
export function isTokenEndpointUrl(url: string): boolean {
  return TOKEN_PATH.test(url);
}

/** Whether a request body names `grant_type` (form or JSON). */
export function hasGrantType(body: string | null): boolean {
  return body !== null && GRANT_TYPE.test(body);
}

/** Whether a request may be a token exchange: a POST with grant_type, or a POST to a token-like path. */
export function isCandidateRequest(method: string, url: string, body: string | null): boolean {
  if (method.toUpperCase() !== 'POST') return false;
  return hasGrantType(body) || isTokenEndpointUrl(url) || isCognitoTokenCall(url, body);
}

/** Cognito's user pools API (`cognito-idp.<region>.amazonaws.com`, Amplify's refresh): an operation that answers with tokens. */
const COGNITO_IDP = /^https:\/\/cognito-idp\.[a-z0-9-]+\.amazonaws\.com(?:\/|$)/i;
const COGNITO_TOKEN_OPERATION = /"(?:RefreshToken|AuthFlow|ChallengeName)"\s*:/;

/** Whether a request may be a Cognito user pools API call that answers with tokens (providers/cognito-api.ts reads it). */
export function isCognitoTokenCall(url: string, body: string | null): boolean {
  return body !== null && COGNITO_IDP.test(url) && COGNITO_TOKEN_OPERATION.test(body);
}

/** A pushed authorization request's body (RFC 9126 s2.1): the authorization request's own parameters, as a form. */
const PUSHED_BODY = /(?:^|&)response_type=/;
/** Or a request object (JAR, RFC 9101) pushed to a PAR-like path. */
const PUSHED_OBJECT = /(?:^|&)request=/;
const PAR_PATH = /\/par\/?(?:$|[?#])|\/par\/request\/?(?:$|[?#])|\/request\/?(?:$|[?#])/i;

/** Whether a request may be a pushed authorization request: a POST of `response_type=...`, or of `request=` to a PAR-like path. */
export function isPushedAuthorizationRequest(method: string, url: string, body: string | null): boolean {
  if (method.toUpperCase() !== 'POST' || body === null) return false;
  return PUSHED_BODY.test(body) || (PUSHED_OBJECT.test(body) && PAR_PATH.test(url));
}

/** Cheap test on a response body's text: does it carry a token? */
export function isTokenShapedText(text: string): boolean {
  // A member, not a mention: discovery documents list "id_token" in response_types_supported.
  return /"(?:access|id)_token"\s*:/.test(text) || /^\s*access_token=/.test(text) || /"AuthenticationResult"\s*:/.test(text);
}

/** The well-known metadata paths: RFC 9728 s3.1, RFC 8414 s3.1, OpenID Connect Discovery s4. */
const DISCOVERY_PATH = /\/\.well-known\/(?:oauth-protected-resource|oauth-authorization-server|openid-configuration)(?:[/?#]|$)/;

/** Whether a GET may be a discovery fetch (protected-resource or authorization-server metadata): a URL test only. */
export function isDiscoveryUrl(url: string): boolean {
  return url.includes('/.well-known/') && DISCOVERY_PATH.test(url);
}

/** RFC 7591 s2, s3.1: a registration request is a JSON POST of client metadata, and a browser client names its `redirect_uris`. */
const REGISTRATION_BODY = /"redirect_uris"\s*:/;

/** Whether a request may be a dynamic client registration (RFC 7591 s3.1). */
export function isRegistrationRequest(method: string, body: string | null): boolean {
  return body !== null && method.toUpperCase() === 'POST' && REGISTRATION_BODY.test(body);
}

/** Whether a 401's `WWW-Authenticate` names protected-resource metadata (RFC 9728 s5.1 `resource_metadata`). */
export function hasResourceMetadataChallenge(wwwAuthenticate: string | null): boolean {
  return wwwAuthenticate !== null && /(?:^|[\s,])resource_metadata\s*=/i.test(wwwAuthenticate);
}

/**
 * Whether a `WWW-Authenticate` value holds RFC 9449 s9's nonce challenge: the `DPoP` scheme naming
 * `error="use_dpop_nonce"` (RFC 9110 s11.6.1: one or more challenges; the error an auth-param, quoted or not).
 * @see [RFC 9449 s9: resource server-provided nonce](https://www.rfc-editor.org/rfc/rfc9449#section-9)
 */
export function hasDpopNonceChallenge(wwwAuthenticate: string | null): boolean {
  return (
    wwwAuthenticate !== null &&
    wwwAuthenticate.length <= 8192 &&
    /(?:^|,)\s*DPoP\b[\s\S]*?\berror\s*=\s*"?use_dpop_nonce"?/i.test(wwwAuthenticate)
  );
}
