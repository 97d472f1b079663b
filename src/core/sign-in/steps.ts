/**
 * Front-channel steps to authorization requests and responses, each response paired with the
 * request it answers: by `state` (RFC 6749 s10.12), else by redirect URI and time for a request
 * sent without state. A pushed request (RFC 9126) is read from its POST body and joined to the
 * authorize URL that names its `request_uri`.
 */
import { isObject, nonEmptyString } from '../json.js';
import type { CapturedExchange } from '../types.js';
import { isAuthorizationRequest, readAuthorizationRequest } from './authorization-request.js';
import { frontChannelExchange, readAuthorizationResponse, responseParams } from './authorization-response.js';
import { endpointOf, first, formParams, type Params, parseUrl } from './params.js';
import type { AuthorizationRequestReport, AuthorizationResponseReport, DiscoveryReport, SignInStep, UpstreamLeg } from './types.js';

/** How long a response may come after its request, or a code exchange after its response, and still be joined without a secret in common. */
export const JOIN_WINDOW_MS = 10 * 60 * 1000;

/** One authorization request and its response as seen in the front channel (either may be missing). */
export interface FrontChannel {
  request: AuthorizationRequestReport | null;
  response: AuthorizationResponseReport | null;
  /** The tokens the response carried in the URL, as an exchange to analyze. */
  tokens: CapturedExchange | null;
  /** A broker's round trip to the upstream provider (Supabase through GitHub), when one was seen: sign-in/upstream.ts. */
  upstream?: UpstreamLeg;
  /** The discovery steps that led to the authorization request (sign-in/discovery.ts). */
  discovery?: DiscoveryReport;
}

interface PushedRequest {
  params: Params;
  url: URL;
  step: SignInStep;
  used: boolean;
}

/** Parsed times, remembered: the joins compare each step with many others, and Date.parse is most of their cost. */
const parsedTimes = new Map<string, number>();

export function time(iso: string): number {
  let ms = parsedTimes.get(iso);
  if (ms === undefined) {
    const parsed = Date.parse(iso);
    ms = Number.isNaN(parsed) ? 0 : parsed;
    if (parsedTimes.size >= 20_000) parsedTimes.clear();
    parsedTimes.set(iso, ms);
  }
  return ms;
}

/** The `request_uri` a PAR answer names (RFC 9126 s2.2). */
function pushedRequestUri(step: SignInStep): string | null {
  if (typeof step.responseBody !== 'string') return null;
  try {
    const answer: unknown = JSON.parse(step.responseBody);
    return isObject(answer) ? nonEmptyString(answer.request_uri) : null;
  } catch {
    return null;
  }
}

/** Same request seen twice (a HAR holds both the authorize entry and the navigation through it). */
function requestKey(request: AuthorizationRequestReport): string {
  return JSON.stringify([request.endpoint, request.clientId, request.redacted, request.scopes, request.responseType]);
}

function responseKey(response: AuthorizationResponseReport): string {
  return JSON.stringify([response.redirectUri, response.redacted, response.error, response.outcome]);
}

/** Whether a response came back to the request's redirect URI (origin and path; a request without one matches any). */
/** Each redirect URI's endpoint, remembered (a URL parse per pair of steps made the join quadratic in parses). */
const endpoints = new Map<string, string | null>();

function isRedirectOf(request: AuthorizationRequestReport, response: AuthorizationResponseReport): boolean {
  if (request.redirectUri === null) return true;
  let endpoint = endpoints.get(request.redirectUri);
  if (endpoint === undefined) {
    const redirect = parseUrl(request.redirectUri);
    endpoint = redirect === null ? null : endpointOf(redirect);
    if (endpoints.size >= 20_000) endpoints.clear();
    endpoints.set(request.redirectUri, endpoint);
  }
  return endpoint !== null && endpoint === response.redirectUri;
}

class StepReader {
  readonly requests: AuthorizationRequestReport[] = [];
  readonly responses: { response: AuthorizationResponseReport; tokens: CapturedExchange | null }[] = [];
  private readonly pushed = new Map<string, PushedRequest>();
  private readonly seen = new Set<string>();

  read(step: SignInStep): void {
    const url = parseUrl(step.url);
    if (!url) return;
    if (step.method.toUpperCase() === 'POST' && typeof step.body === 'string') {
      const params = formParams(step.body);
      const requestUri = pushedRequestUri(step);
      if (requestUri !== null && isAuthorizationRequest(params, url)) {
        this.pushed.set(requestUri, { params, url, step, used: false });
        return;
      }
    }
    const query = formParams(url.search.slice(1));
    if (isAuthorizationRequest(query, url)) this.readRequest(url, query, step);
    else this.readResponse(url, step);
    const location = step.location ? parseUrl(step.location) : null;
    if (location) this.readResponse(location, { ...step, url: location.href, method: 'GET' });
  }

  private readRequest(url: URL, query: Params, step: SignInStep): void {
    const pushed = this.pushed.get(first(query, 'request_uri') ?? '');
    let request: AuthorizationRequestReport;
    if (pushed) {
      pushed.used = true;
      request = readAuthorizationRequest(url, pushed.params, { ...pushed.step, frame: step.frame ?? null }, 'par');
    } else request = readAuthorizationRequest(url, query, step, 'query');
    const key = requestKey(request);
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.requests.push(request);
  }

  private readResponse(url: URL, step: SignInStep): void {
    const found = responseParams(url, step);
    if (!found) return;
    const response = readAuthorizationResponse(url, found.params, found.mode, step);
    const key = responseKey(response);
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.responses.push({ response, tokens: frontChannelExchange(url, found.params, step) });
  }

  /** Pushed requests whose authorize URL was never seen: still what the client asked for. */
  unusedPushed(): AuthorizationRequestReport[] {
    return [...this.pushed.values()]
      .filter((pushed) => !pushed.used)
      .map((pushed) => readAuthorizationRequest(pushed.url, pushed.params, pushed.step, 'par'));
  }
}

/** The request a response answers: same state and redirect URI, else (no state on either) the latest unanswered request to that redirect URI. */
function requestFor(response: AuthorizationResponseReport, channels: FrontChannel[]): FrontChannel | undefined {
  const at = time(response.at);
  const candidates = channels.filter(
    (channel) =>
      channel.request !== null &&
      channel.response === null &&
      time(channel.request.at) <= at &&
      at - time(channel.request.at) <= JOIN_WINDOW_MS &&
      isRedirectOf(channel.request, response),
  );
  const state = response.redacted.state;
  const match = state
    ? candidates.filter((channel) => channel.request?.redacted.state === state)
    : candidates.filter((channel) => channel.request?.redacted.state === undefined);
  return match.at(-1);
}

/** A response with nothing to pair it with is kept only when it is plainly one: it carries tokens, or a state or `iss` beside its code or error. */
function isPlainlyResponse(response: AuthorizationResponseReport): boolean {
  return response.outcome === 'tokens' || response.redacted.state !== undefined || response.iss !== null;
}

/** Every authorization request and response in the steps, paired, in time order. */
export function readFrontChannel(steps: readonly SignInStep[]): FrontChannel[] {
  const reader = new StepReader();
  const ordered = [...steps].sort((a, b) => time(a.at) - time(b.at));
  for (const step of ordered) reader.read(step);
  const requests = [...reader.requests, ...reader.unusedPushed()].sort((a, b) => time(a.at) - time(b.at));
  const channels: FrontChannel[] = requests.map((request) => ({ request, response: null, tokens: null }));
  for (const { response, tokens } of reader.responses) {
    const channel = requestFor(response, channels);
    if (channel) {
      channel.response = response;
      channel.tokens = tokens;
    } else if (isPlainlyResponse(response)) channels.push({ request: null, response, tokens });
  }
  return channels;
}
