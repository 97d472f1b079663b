/**
 * Discovery steps the page hook follows (sign-in/discovery.ts reads them): a GET of a well-known metadata URL
 * (RFC 9728 s3, RFC 8414 s3, OIDC Discovery s4), a dynamic client registration (RFC 7591 s3: a JSON POST of
 * `redirect_uris`), and a 401 whose `WWW-Authenticate` names `resource_metadata` (RFC 9728 s5.1). Decided from the
 * URL and the request body before the call, as the token candidates are; a 401 is known only from the answer, so
 * every other fetch of a watched page gets one reaction on its promise that reads `status` (no clone, no header
 * read unless it is 401), and every other XMLHttpRequest one `readystatechange` listener that does the same. A fetch's answer
 * is copied and read with the browser's own `clone`, `text` and `then` (natives.ts), as a token response is.
 */
import { hasDpopNonceChallenge, hasResourceMetadataChallenge, isDiscoveryUrl, isRegistrationRequest } from '../core/candidate.js';
import { PAGE_LIMITS } from '../core/limits.js';
import { frameOf } from './front-channel.js';
import { postSignInStep, reportNonceChallenge } from './hook-port.js';
import { apply, cloneOf, nativeText, thenOf } from './natives.js';

export interface DiscoveryPlan {
  url: string;
  method: string;
  at: string;
  body: string | null;
  /** The request's `MCP-Protocol-Version` header (an MCP client's discovery). */
  mcpProtocolVersion: string | null;
}

/** A discovery request, or null: a URL test for GETs, a body test for POSTs. */
export function planDiscovery(
  url: string,
  method: string,
  body: string | null,
  mcpProtocolVersion: () => string | null,
): DiscoveryPlan | null {
  const isDiscovery = method === 'GET' ? isDiscoveryUrl(url) : isRegistrationRequest(method, body);
  return isDiscovery ? { url, method, at: new Date().toISOString(), body, mcpProtocolVersion: mcpProtocolVersion() } : null;
}

const frame = () => (typeof window === 'undefined' ? 'top' : frameOf());

/** A discovery request's successful JSON answer (metadata are small; past the cap nothing is kept), as a sign-in step. */
function discovered(plan: DiscoveryPlan, status: number, text: string): void {
  if (text.length > PAGE_LIMITS.responseBody) return;
  postSignInStep({
    url: plan.url,
    method: plan.method,
    at: plan.at,
    frame: frame(),
    status,
    ...(plan.body !== null ? { body: plan.body } : {}),
    responseBody: text,
    ...(plan.mcpProtocolVersion ? { mcpProtocolVersion: plan.mcpProtocolVersion.slice(0, 64) } : {}),
  });
}

/** A fetch discovery request, once answered: a copy of its answer read as text. */
export function followDiscovery(result: Promise<Response>, plan: DiscoveryPlan): void {
  thenOf(
    result,
    (response) => {
      const declared = Number(response.headers.get('content-length'));
      if (!response.ok || (Number.isFinite(declared) && declared > PAGE_LIMITS.responseBody)) return;
      let copy: Response;
      try {
        copy = cloneOf(response);
      } catch {
        return;
      }
      const text: Promise<string> = nativeText ? apply(nativeText, copy, []) : copy.text();
      thenOf(
        text,
        (body) => discovered(plan, response.status, body),
        () => {},
      );
    },
    () => {},
  );
}

/** An XMLHttpRequest discovery request, once loaded: its answer as text (`read`: the hook's reading of an XHR's answer). */
export function followXhrDiscovery(
  xhr: XMLHttpRequest,
  plan: DiscoveryPlan,
  read: (xhr: XMLHttpRequest) => Promise<{ text: string | null }>,
): void {
  xhr.addEventListener(
    'loadend',
    () => {
      try {
        const status = xhr.status;
        if (status < 200 || status > 299) return;
        thenOf(
          read(xhr),
          ({ text }) => {
            if (text !== null) discovered(plan, status, text);
          },
          () => {},
        );
      } catch {
        // Never in the page's way.
      }
    },
    { once: true },
  );
}

/**
 * A 401's challenge: a DPoP nonce challenge (RFC 9449 s9) to a call that carried a token (`authorization`) goes to the
 * relay as that token's use, challenged (hook-port.ts `reportNonceChallenge`); one naming protected-resource metadata
 * is the step that starts discovery, with the call's own method.
 */
function challenged(challenge: string | null, url: string, method: string, authorization: string | null): void {
  if (authorization !== null && hasDpopNonceChallenge(challenge)) {
    reportNonceChallenge(url, method, authorization);
    return;
  }
  if (!hasResourceMetadataChallenge(challenge) || challenge === null) return;
  postSignInStep({
    url,
    method,
    at: new Date().toISOString(),
    frame: frame(),
    status: 401,
    wwwAuthenticate: challenge.slice(0, PAGE_LIMITS.header),
  });
}

/** Any other fetch: status first; only a 401's `WWW-Authenticate` is read. */
export function watchChallenge(result: Promise<Response>, url: () => string, method: string, authorization: string | null): void {
  thenOf(
    result,
    (response) => {
      if (response.status !== 401) return;
      try {
        challenged(response.headers.get('www-authenticate'), url(), method, authorization);
      } catch {
        // Never in the page's way.
      }
    },
    () => {},
  );
}

/**
 * Any other XMLHttpRequest: the same, as soon as its headers are in (readyState 2, before the page's `load` listeners:
 * a client that retries a nonce challenge from its `load` handler sends the retry before `loadend`).
 */
export function watchXhrChallenge(xhr: XMLHttpRequest, url: string, method: string, authorization: string | null): void {
  const headersIn = () => {
    if (xhr.readyState < 2) return;
    xhr.removeEventListener('readystatechange', headersIn);
    if (xhr.status !== 401) return;
    try {
      challenged(xhr.getResponseHeader('www-authenticate'), url, method, authorization);
    } catch {
      // Never in the page's way.
    }
  };
  xhr.addEventListener('readystatechange', headersIn);
}
