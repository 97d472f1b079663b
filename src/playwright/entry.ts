/**
 * One finished (or failed) request as Playwright reports it, as the HAR 1.2 entry the core's
 * `readHar` reads: the core then decides, as it does for a saved HAR, what is a token exchange,
 * an introspection or a Bearer use. Only what can matter is kept: a token exchange's bodies,
 * a Bearer header, an authorization request's or redirect's URLs, a discovery step (a metadata GET's or a
 * registration's bodies, a 401's `WWW-Authenticate` naming `resource_metadata`); everything else is dropped
 * without reading its body.
 */
import type { Request, Response } from '@playwright/test';
import {
  hasResourceMetadataChallenge,
  isCandidateRequest,
  isDiscoveryUrl,
  isRegistrationRequest,
  isTokenShapedText,
} from '../core/candidate.js';
import { MAX_BODY_CHARS } from '../core/limits.js';

/** The parts of a HAR entry `readHar` reads. */
export interface HarEntry {
  startedDateTime: string;
  request: {
    method: string;
    url: string;
    headers: Array<{ name: string; value: string }>;
    postData?: { mimeType: string; text: string };
  };
  response: {
    status: number;
    headers: Array<{ name: string; value: string }>;
    redirectURL: string;
    content: { mimeType: string; text?: string };
  };
}

/** An authorization request (`response_type=`), or a response on the way back (`code=` / `error=`), in a URL or a redirect. */
export const AUTHORIZATION_URL = /[?&#](?:response_type|code|error)=/;
/** Response types whose body may be a token response (har.ts reads the same, plus scripts, which no token endpoint answers with). */
const TEXTUAL = /json|x-www-form-urlencoded|text\/plain/i;
/** The request headers readHar reads: nothing else is kept (`dpop`: the RFC 9449 proof, a public artefact; an MCP client's protocol version). */
const KEPT_REQUEST_HEADERS = ['content-type', 'authorization', 'dpop', 'mcp-protocol-version'];

/** Whether a request, known at its start, may be a token exchange (its response must then be waited for). */
export function isCandidate(request: Request): boolean {
  return isCandidateRequest(request.method(), request.url(), request.postData());
}

async function headersOf(message: Request | Response): Promise<Record<string, string>> {
  try {
    return await message.allHeaders();
  } catch {
    // The context closed under us: the headers Playwright already has (without cookies and such, which we do not keep).
    return message.headers();
  }
}

async function bodyText(response: Response): Promise<string | null> {
  try {
    return await response.text();
  } catch {
    return null; // a redirect, or a body the browser dropped: readHar notes the body as not captured
  }
}

/** Whether a response the request test did not pick may still carry tokens (a login API answering with `access_token`). */
async function tokenShapedBody(response: Response, mimeType: string, status: number): Promise<string | null> {
  if (!TEXTUAL.test(mimeType) || status < 200 || status >= 300) return null;
  const length = Number((await headersOf(response))['content-length'] ?? '0');
  if (length > MAX_BODY_CHARS) return null;
  const text = await bodyText(response);
  return text !== null && text.length <= MAX_BODY_CHARS && isTokenShapedText(text) ? text : null;
}

/**
 * How a request ended: `finished` (body received), `failed` (no response), or `unfinished`: the
 * response came (`response`) but the browser never finished its body, which Chromium does when the
 * page does not read it; its status is kept, its body is not there to read.
 */
export type Ending = { kind: 'finished' } | { kind: 'failed' } | { kind: 'unfinished'; response: Response | null };

/** The entry for a request, or null when nothing in it can matter. */
export async function toHarEntry(request: Request, startedAt: number, ending: Ending): Promise<HarEntry | null> {
  const method = request.method();
  const url = request.url();
  const postData = request.postData();
  const requestHeaders = await headersOf(request);
  const response =
    ending.kind === 'finished' ? await request.response().catch(() => null) : ending.kind === 'unfinished' ? ending.response : null;
  const responseHeaders = response ? await headersOf(response) : {};
  const status = response?.status() ?? 0;
  const mimeType = responseHeaders['content-type'] ?? '';
  const location = responseHeaders.location ?? '';
  const candidate = isCandidateRequest(method, url, postData);
  const readable = ending.kind === 'finished' && response !== null;
  const shaped = !candidate && readable ? await tokenShapedBody(response, mimeType, status) : null;
  // RFC 9449 s7.1: a DPoP-bound token is sent as `Authorization: DPoP <token>`; it is a use like a Bearer one.
  const bearer = /^(Bearer|DPoP)\s/i.test(requestHeaders.authorization ?? '');
  const authorization = AUTHORIZATION_URL.test(url) || AUTHORIZATION_URL.test(location);
  // Discovery steps (sign-in/discovery.ts): RFC 9728 / RFC 8414 metadata, RFC 7591 registration, a 401 naming metadata.
  const challenge = status === 401 && hasResourceMetadataChallenge(responseHeaders['www-authenticate'] ?? null);
  const discovery = (method === 'GET' && isDiscoveryUrl(url)) || isRegistrationRequest(method, postData);
  if (!candidate && shaped === null && !bearer && !authorization && !challenge && !discovery) return null;

  const text = (candidate || discovery) && readable ? await bodyText(response) : shaped;
  const contentType = requestHeaders['content-type'] ?? '';
  return {
    startedDateTime: new Date(startedAt).toISOString(),
    request: {
      method,
      url,
      headers: KEPT_REQUEST_HEADERS.filter((name) => requestHeaders[name] !== undefined).map((name) => ({
        name,
        value: requestHeaders[name] as string,
      })),
      ...(postData !== null && (candidate || discovery || shaped !== null) ? { postData: { mimeType: contentType, text: postData } } : {}),
    },
    response: {
      status,
      headers: [
        ...(mimeType ? [{ name: 'content-type', value: mimeType }] : []),
        ...(location ? [{ name: 'location', value: location }] : []),
        // A 401 naming resource metadata (RFC 9728 s5.1), or a resource server's nonce challenge to a DPoP call
        // (RFC 9449 s9), joined to its retry (core/har.ts).
        ...((challenge || bearer) && responseHeaders['www-authenticate']
          ? [{ name: 'www-authenticate', value: responseHeaders['www-authenticate'] }]
          : []),
      ],
      redirectURL: location,
      content: text === null ? { mimeType } : { mimeType, text },
    },
  };
}
