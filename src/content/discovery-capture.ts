/**
 * Discovery steps the page hook follows (sign-in/discovery.ts reads them): a GET of a well-known metadata URL
 * (RFC 9728 s3, RFC 8414 s3, OIDC Discovery s4), a dynamic client registration (RFC 7591 s3: a JSON POST of
 * `redirect_uris`), and a 401 whose `WWW-Authenticate` names `resource_metadata` (RFC 9728 s5.1). Decided from the
 * URL and the request body before the call, as the token candidates are; a 401 is known only from the answer, so
 * every other fetch of a watched page gets one reaction on its promise that reads `status` (no clone, no header
 * read unless it is 401). Only `fetch`: the MCP SDK and the metadata clients use it.
 */
import { hasDpopNonceChallenge, hasResourceMetadataChallenge, isDiscoveryUrl, isRegistrationRequest } from '../core/candidate.js';
import { PAGE_LIMITS } from '../core/limits.js';
import { frameOf } from './front-channel.js';
import { postSignInStep, reportNonceChallenge } from './hook-port.js';

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

/** Once answered: its JSON (metadata are small; past the cap nothing is kept) as a sign-in step. */
export function followDiscovery(result: Promise<Response>, plan: DiscoveryPlan): void {
  result.then(
    (response) => {
      const declared = Number(response.headers.get('content-length'));
      if (!response.ok || (Number.isFinite(declared) && declared > PAGE_LIMITS.responseBody)) return;
      let copy: Response;
      try {
        copy = response.clone();
      } catch {
        return;
      }
      copy.text().then(
        (text) => {
          if (text.length > PAGE_LIMITS.responseBody) return;
          postSignInStep({
            url: plan.url,
            method: plan.method,
            at: plan.at,
            frame: frame(),
            status: response.status,
            ...(plan.body !== null ? { body: plan.body } : {}),
            responseBody: text,
            ...(plan.mcpProtocolVersion ? { mcpProtocolVersion: plan.mcpProtocolVersion.slice(0, 64) } : {}),
          });
        },
        () => {},
      );
    },
    () => {},
  );
}

/**
 * Any other fetch: a 401 naming protected-resource metadata is the challenge that starts discovery; a 401 DPoP nonce
 * challenge (RFC 9449 s9) to a call that carried a token (`authorization`) goes to the relay as that token's use,
 * challenged (hook-port.ts `reportNonceChallenge`). The same one reaction on the promise either way: status first.
 */
export function watchChallenge(result: Promise<Response>, url: () => string, method: string, authorization: string | null): void {
  result.then(
    (response) => {
      if (response.status !== 401) return;
      try {
        const challenge = response.headers.get('www-authenticate');
        if (authorization !== null && hasDpopNonceChallenge(challenge)) {
          reportNonceChallenge(url(), method, authorization);
          return;
        }
        if (!hasResourceMetadataChallenge(challenge) || challenge === null) return;
        postSignInStep({
          url: url(),
          method: method === 'GET' ? 'GET' : 'POST',
          at: new Date().toISOString(),
          frame: frame(),
          status: 401,
          wwwAuthenticate: challenge.slice(0, PAGE_LIMITS.header),
        });
      } catch {
        // Never in the page's way.
      }
    },
    () => {},
  );
}
