/** One exchange on its own: parse the request and the response, then read it as an error, an introspection or a token response. */
import { type DpopProof, readDpopProof } from '../dpop.js';
import { isObject, type JsonObject } from '../json.js';
import { parseBody, parseRequest, type RequestParams } from '../parse.js';
import { detectProvider, type ProviderProfile, type UpstreamEntry } from '../providers.js';
import { asOAuthExchange } from '../providers/cognito-api.js';
import { isSameServer } from '../scopes.js';
import { checkDpopExchange } from '../rules/dpop.js';
import { reportErrorResponse, reportUnparseable } from '../rules/errors.js';
import { sha256Hex } from '../sha256.js';
import { type RequestedAtAuthorization, withRequestedAtAuthorization } from '../sign-in/join.js';
import type { AnalyzeOptions, CapturedExchange, ExchangeReport } from '../types.js';
import { readErrorResponse } from './error-response.js';
import type { ExchangeContext } from './exchange-context.js';
import { UNKNOWN_SERVER } from './findings.js';
import { analyzeIntrospection, type IssuedAccessTokens, looksLikeIntrospection } from './introspection.js';
import { devicePollingNote, isDeviceAuthorizationResponse } from './response-shapes.js';
import { analyzeTokenResponse, firstAccessAudiences, firstIssuer, hasTokenField } from './token-response.js';

/** A stable id within a report: the request line, the time, and the start and size of the body (hashing whole bodies costs more than it adds). */
export function exchangeId(captured: CapturedExchange): string {
  const body = captured.response.body ?? '';
  return sha256Hex(`${captured.method} ${captured.url} ${captured.startedAt} ${body.length} ${body.slice(0, 512)}`).slice(0, 20);
}

function emptyReport(captured: CapturedExchange, request: RequestParams): ExchangeReport {
  return {
    id: exchangeId(captured),
    url: captured.url,
    method: captured.method,
    status: captured.status,
    startedAt: captured.startedAt,
    source: captured.source,
    kind: 'other',
    provider: null,
    request: {
      grantType: request.grantType,
      scopes: request.scopes,
      resources: request.resources,
      clientId: request.clientId,
      redacted: request.redacted,
    },
    resourceServers: [],
    findings: [],
    notes: [],
  };
}

function captureTime(startedAt: string, at: Date | undefined): Date {
  if (at) return at;
  const parsed = new Date(startedAt);
  return Number.isNaN(parsed.getTime()) ? new Date() : parsed;
}

function identityServerOf(url: string, profile: ProviderProfile | null, issuer: string | null): string {
  if (profile?.identityServer) return profile.identityServer;
  if (issuer) return issuer;
  try {
    return new URL(url).origin;
  } catch {
    return UNKNOWN_SERVER;
  }
}

/** The response's entries: the items of a top-level array (Globus dependent tokens), else the object and its `other_tokens`. */
function responseEntries(value: unknown): JsonObject[] {
  if (Array.isArray(value)) return value.filter(isObject);
  if (!isObject(value)) return [];
  return [value, ...(Array.isArray(value.other_tokens) ? value.other_tokens.filter(isObject) : [])];
}

/** Resource identifiers with the ones that name the same server (`https://api.example/`, `api.example`) counted once. */
function distinctServers(ids: readonly string[]): string[] {
  const distinct: string[] = [];
  for (const id of ids) if (!distinct.some((seen) => isSameServer(seen, id))) distinct.push(id);
  return distinct;
}

/** Entries a provider nests in another (Slack's `authed_user`) that hold tokens of their own, with what the profile says they are. */
function nestedEntries(entries: readonly JsonObject[], profile: ProviderProfile | null): Map<JsonObject, string> {
  const nested = new Map<JsonObject, string>();
  for (const [field, label] of Object.entries(profile?.nestedEntries ?? {})) {
    for (const entry of entries) {
      const inner = entry[field];
      if (isObject(inner) && hasTokenField(inner)) nested.set(inner, label);
    }
  }
  return nested;
}

/** The upstream provider's tokens the top-level entry hands on (Supabase's `provider_token`), as entries of their own. */
function upstreamEntries(
  entries: readonly JsonObject[],
  profile: ProviderProfile | null,
  requested: string | null,
): Map<JsonObject, UpstreamEntry> {
  const upstream = new Map<JsonObject, UpstreamEntry>();
  const top = entries[0];
  const found = top && profile?.upstreamEntry?.(top, requested);
  if (found) upstream.set(found.entry, found);
  return upstream;
}

function exchangeContext(
  captured: CapturedExchange,
  request: RequestParams,
  entries: JsonObject[],
  report: ExchangeReport,
  options: AnalyzeOptions,
  requested: RequestedAtAuthorization | null,
  dpopProof: DpopProof | null,
): ExchangeContext {
  const issuer = firstIssuer(entries);
  const profile = detectProvider(captured.url, issuer, firstAccessAudiences(entries));
  report.provider = profile?.id ?? null;
  return {
    capturedAt: captureTime(captured.startedAt, options.at),
    showTokens: options.showTokens === true,
    request,
    requestedResources: distinctServers(request.resources),
    metadataResource: requested?.metadataResource ?? null,
    profile,
    profileContext: { url: captured.url, issuer },
    identityServer: identityServerOf(captured.url, profile, issuer),
    nestedEntries: nestedEntries(entries, profile),
    audienceAliases: new Map(),
    upstreamEntries: upstreamEntries(entries, profile, requested?.upstreamProvider ?? null),
    dpopProof,
    findings: report.findings,
    notes: report.notes,
  };
}

/** `analyzeExchange`'s options: the report's, and what `buildReport` knows of the exchanges around this one. */
export interface ExchangeAnalysisOptions extends AnalyzeOptions {
  /** The access tokens issued in the same capture: an introspection answer is read against them (RFC 7662 s2.2). */
  issuedAccessTokens?: IssuedAccessTokens;
  /** What the sign-in's authorization request asked for, standing in where the token request says nothing. */
  requestedAtAuthorization?: RequestedAtAuthorization | null;
}

/**
 * Analyze one exchange on its own. Prefer `buildReport`, which also runs the
 * rules that look across exchanges (token-shared-across-servers, introspection).
 */
export function analyzeExchange(exchange: CapturedExchange, options: ExchangeAnalysisOptions = {}): ExchangeReport {
  const issuedAccessTokens = options.issuedAccessTokens ?? new Map();
  const requestedAtAuthorization = options.requestedAtAuthorization ?? null;
  // Cognito's user pools API answers with tokens without being a token endpoint: read in OAuth's words.
  const captured = asOAuthExchange(exchange);
  const ownRequest = parseRequest(captured.url, captured.request.body, captured.request.headers ?? {});
  const report = emptyReport(captured, ownRequest);
  // What the sign-in's authorization request asked for stands in where the token request says nothing.
  const request = withRequestedAtAuthorization(ownRequest, requestedAtAuthorization);
  const isTokenRequest = Boolean(request.grantType);
  const proof = readDpopProof(captured.request.headers?.dpop);
  if (proof) report.dpopProof = { jkt: proof.jkt, htm: proof.htm, htu: proof.htu, iat: proof.iat, nonce: proof.nonce };

  if (captured.response.body === null) {
    report.notes.push(captured.response.bodyNote ?? 'The response body was not captured.');
    if (isTokenRequest) report.kind = 'token';
    return report;
  }
  const parsed = parseBody(captured.response.body, captured.response.contentType ?? '');
  if (parsed.kind === 'empty') {
    report.notes.push(`The response body is empty (HTTP ${captured.status ?? 'status unknown'}).`);
    if (isTokenRequest) report.kind = 'token';
    return report;
  }
  if (parsed.kind === 'unparseable') {
    report.kind = 'token';
    reportUnparseable(parsed.reason, captured, report.findings);
    return report;
  }

  const value = parsed.value;
  const entries = responseEntries(value);
  const context = exchangeContext(captured, request, entries, report, options, requestedAtAuthorization, proof);
  const error = isObject(value) ? readErrorResponse(value, captured.status) : null;
  if (error) {
    report.kind = 'token';
    const polling = devicePollingNote(error.code, value as JsonObject);
    if (polling) report.notes.push(polling);
    else if (error.code === 'use_dpop_nonce') {
      // RFC 9449 s8: the server wants a nonce in the proof; the client retries with the one its DPoP-Nonce header gave.
      report.challenge = 'use_dpop_nonce';
      report.notes.push(
        'The server asked for a DPoP nonce (RFC 9449 s8): a challenge the client answers by retrying with it, not a failure.',
      );
    } else reportErrorResponse(error, captured.status, report.findings);
    return report;
  }
  if (isObject(value) && looksLikeIntrospection(value, request, captured.url)) {
    analyzeIntrospection(report, value, context, issuedAccessTokens);
    return report;
  }
  if (isObject(value) && isDeviceAuthorizationResponse(value)) {
    report.notes.push(
      'Device authorization (RFC 8628 s3.2): the device got a user code to show and will poll the token endpoint; this answer holds no token.',
    );
    report.kind = 'token';
    return report;
  }
  if (!entries.some(hasTokenField)) {
    report.notes.push(
      Array.isArray(value) || isObject(value)
        ? 'The response holds no access, refresh or ID token.'
        : `The response is JSON but not an object (${typeof value}).`,
    );
    if (isTokenRequest) report.kind = 'token';
    return report;
  }
  analyzeTokenResponse(report, [...entries, ...context.nestedEntries.keys(), ...context.upstreamEntries.keys()], captured, context);
  checkDpopExchange(report);
  return report;
}
