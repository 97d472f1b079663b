/**
 * The analysis: captured exchanges in, a report out. Pure and synchronous; the
 * CLI, the service worker and the views all call `buildReport`.
 */
import { parseBody, parseRequest, type RequestParams } from './parse.js';
import { detectProvider, type ProfileContext, type ProviderProfile } from './providers.js';
import { RULES } from './rules.js';
import { isIdentityScope, isSameServer, scopeServer, splitScopes } from './scopes.js';
import { sha256Hex } from './sha256.js';
import { audiences, type DecodedToken, decodeToken, isoFromSeconds, MAX_TOKEN_CHARS, numericClaim, peekClaims } from './tokens.js';
import type {
  AnalyzeOptions,
  BearerUse,
  CapturedExchange,
  ExchangeReport,
  Finding,
  Report,
  ReportSummary,
  ResolvedBy,
  ResourceServerReport,
  RuleId,
  Severity,
  TokenKind,
} from './types.js';
import { VERSION } from './version.js';

/** RFC 7519 s4.1.4: "MAY provide for some small leeway". Client and server clocks differ. */
const CLOCK_LEEWAY_SECONDS = 60;
/** Error descriptions are quoted into one-sentence messages; keep them short. */
const MAX_QUOTED = 300;
const UNKNOWN_SERVER = 'unknown';

type Fields = Record<string, unknown>;

interface TokenSlot {
  decoded: DecodedToken;
  /** Scopes the response gave for the grant this token came in. */
  entryScopes: string[];
}

interface Grant {
  id: string;
  resolvedBy: ResolvedBy;
  scopes: string[];
  requestedScopes: string[];
  tokens: TokenSlot[];
}

interface KnownToken {
  resourceServer: string;
  resolvedBy: ResolvedBy;
}

interface ExchangeContext {
  capturedAt: Date;
  showTokens: boolean;
  request: RequestParams;
  profile: ProviderProfile | null;
  profileContext: ProfileContext;
  identityServer: string;
  findings: Finding[];
}

function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmptyString(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

/** How a resource server is named in a message. */
function serverName(id: string): string {
  return id === UNKNOWN_SERVER ? 'an unidentified resource server' : quote(id);
}

function quote(text: string): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  return clean.length > MAX_QUOTED ? `${clean.slice(0, MAX_QUOTED)}…` : clean;
}

function addFinding(
  findings: Finding[],
  rule: RuleId,
  fields: { resourceServer?: string | null; tokenKind?: TokenKind | null; message: string; evidence?: Record<string, unknown>; severity?: Severity; explanation?: string },
): void {
  const finding: Finding = {
    rule,
    severity: fields.severity ?? RULES[rule].severity,
    resourceServer: fields.resourceServer ?? null,
    tokenKind: fields.tokenKind ?? null,
    message: fields.message,
    evidence: fields.evidence ?? {},
  };
  if (fields.explanation) finding.explanation = fields.explanation;
  findings.push(finding);
}

function captureTime(startedAt: string, at: Date | undefined): Date {
  if (at) return at;
  const parsed = new Date(startedAt);
  return Number.isNaN(parsed.getTime()) ? new Date() : parsed;
}

/** The scope's resource server, asking the provider profile first. */
function serverOfScope(scope: string, profile: ProviderProfile | null): string | null {
  if (isIdentityScope(scope)) return null;
  return profile?.scopeServer?.(scope) ?? scopeServer(scope);
}

function isAliasOf(audience: string, resourceServer: string, context: ExchangeContext): boolean {
  const isAlias = context.profile?.isAlias;
  return (
    isSameServer(audience, resourceServer) ||
    isAlias?.(audience, resourceServer, context.profileContext) === true ||
    isAlias?.(resourceServer, audience, context.profileContext) === true
  );
}

/** DESIGN "Resource-server resolution": the first rule that applies names the server. */
function resolveServer(entry: Fields, access: DecodedToken | null, scopes: string[], context: ExchangeContext): { id: string; resolvedBy: ResolvedBy } {
  const resourceServer = nonEmptyString(entry.resource_server);
  if (resourceServer) return { id: resourceServer, resolvedBy: 'resource_server' };
  const resource = nonEmptyString(entry.resource);
  if (resource) return { id: resource, resolvedBy: 'resource' };
  const requested = context.request.resources;
  if (requested.length === 1) return { id: requested[0] as string, resolvedBy: 'request' };

  const claims = access?.report.claims ?? null;
  const context2 = { ...context.profileContext, issuer: nonEmptyString(claims?.iss) };
  const primary = [...new Set(audiences(claims))].filter((aud) => !context.profile?.knownAudience?.(aud, context2));
  const chosen = requested.length > 1 ? primary.filter((aud) => requested.some((r) => isSameServer(r, aud))) : primary;
  if (chosen.length === 1) return { id: chosen[0] as string, resolvedBy: 'aud' };

  // The response's scopes, else the token's own (RFC 9068 s2.2.3 `scope`, Entra `scp`).
  const scopeSource = scopes.length > 0 ? scopes : [...splitScopes(claims?.scope), ...splitScopes(claims?.scp)];
  for (const scope of scopeSource) {
    const server = serverOfScope(scope, context.profile);
    if (server) return { id: server, resolvedBy: 'scope' };
  }
  if (scopeSource.some(isIdentityScope)) return { id: context.identityServer, resolvedBy: 'scope' };
  if (requested.length > 1) return { id: requested[0] as string, resolvedBy: 'request' };
  return { id: UNKNOWN_SERVER, resolvedBy: 'unknown' };
}

function checkValidity(slot: TokenSlot, resourceServer: string, context: ExchangeContext): void {
  const { report } = slot.decoded;
  const claims = report.claims;
  if (!claims) return;
  const now = context.capturedAt.getTime() / 1000;
  const exp = numericClaim(claims.exp);
  if (exp !== null && exp < now - CLOCK_LEEWAY_SECONDS) {
    addFinding(context.findings, 'expired', {
      resourceServer,
      tokenKind: report.kind,
      severity: report.kind === 'refresh' ? 'low' : 'medium',
      message: `The ${report.kind} token for ${serverName(resourceServer)} had already expired when it was captured.`,
      evidence: { exp: claims.exp, expiresAt: isoFromSeconds(exp), capturedAt: context.capturedAt.toISOString(), fingerprint: report.fingerprint },
    });
  }
  const nbf = numericClaim(claims.nbf);
  if (nbf !== null && nbf > now + CLOCK_LEEWAY_SECONDS) {
    addFinding(context.findings, 'not-yet-valid', {
      resourceServer,
      tokenKind: report.kind,
      message: `The ${report.kind} token for ${serverName(resourceServer)} is not valid until ${isoFromSeconds(nbf) ?? nbf}, after it was captured.`,
      evidence: { nbf: claims.nbf, capturedAt: context.capturedAt.toISOString(), fingerprint: report.fingerprint },
    });
  }
}

function checkSignature(slot: TokenSlot, resourceServer: string, context: ExchangeContext): void {
  const header = slot.decoded.report.header;
  if (header && typeof header.alg === 'string' && header.alg.toLowerCase() === 'none') {
    addFinding(context.findings, 'unsigned-token', {
      resourceServer,
      tokenKind: slot.decoded.report.kind,
      message: `The ${slot.decoded.report.kind} token for ${serverName(resourceServer)} is unsigned (alg "none"): anyone can forge its claims.`,
      evidence: { alg: header.alg, fingerprint: slot.decoded.report.fingerprint },
    });
  }
}

/** RFC 9068 s4 and RFC 8707 s2: the audience must name this resource server, and only it. */
function checkAudience(slot: TokenSlot, grant: Grant, context: ExchangeContext, origin: 'jwt' | 'introspection'): void {
  const { report } = slot.decoded;
  const claims = report.claims;
  if (!claims) return;
  const server = grant.id;
  const auds = [...new Set(audiences(claims))];
  const evidenceBase = { aud: claims.aud ?? null, fingerprint: report.fingerprint, ...(origin === 'introspection' ? { from: 'introspection' } : {}) };

  if (auds.length === 0) {
    if (origin === 'introspection') return; // RFC 7662 s2.2: aud is optional in introspection.
    const known = context.profile?.noAudience;
    addFinding(context.findings, 'no-audience', {
      resourceServer: server,
      tokenKind: 'access',
      severity: known?.severity,
      explanation: known?.explanation,
      message: `The access token for ${serverName(server)} is a JWT without an aud claim, so any resource server that trusts its issuer would accept it.`,
      evidence: { ...evidenceBase, client_id: claims.client_id ?? null },
    });
    return;
  }

  const issuerContext = { ...context.profileContext, issuer: nonEmptyString(claims.iss) };
  const isIdentityGrant = grant.resolvedBy === 'scope' && server === context.identityServer;

  if (server === UNKNOWN_SERVER) {
    if (auds.length > 1) {
      addFinding(context.findings, 'audience-beyond-server', {
        resourceServer: null,
        tokenKind: 'access',
        message: `One access token is accepted by ${auds.length} audiences (${auds.map(quote).join(', ')}), so each of those services would accept a token meant for another.`,
        evidence: evidenceBase,
      });
    }
    return;
  }

  const matching = auds.filter((aud) => isAliasOf(aud, server, context));
  const others = auds.filter((aud) => !matching.includes(aud));
  if (matching.length === 0 && !isIdentityGrant) {
    const requested = context.request.resources;
    if (grant.resolvedBy === 'request') {
      addFinding(context.findings, 'resource-not-honoured', {
        resourceServer: server,
        tokenKind: 'access',
        message: `The client asked for a token for ${quote(server)}, but the access token's audience is ${others.map(quote).join(', ')}.`,
        evidence: { ...evidenceBase, requested },
      });
    } else {
      addFinding(context.findings, 'audience-missing-server', {
        resourceServer: server,
        tokenKind: 'access',
        message: `The access token filed under ${quote(server)} does not name it in its audience (${others.map(quote).join(', ')}), so it is really a token for another service.`,
        evidence: { ...evidenceBase, resolvedBy: grant.resolvedBy },
      });
    }
    return;
  }
  for (const aud of others) {
    const known = context.profile?.knownAudience?.(aud, issuerContext);
    addFinding(context.findings, 'audience-beyond-server', {
      resourceServer: server,
      tokenKind: 'access',
      severity: known?.severity,
      explanation: known?.explanation,
      message: `The access token for ${serverName(server)} is also accepted by ${quote(aud)}: its audience goes beyond its resource server.`,
      evidence: { ...evidenceBase, extraAudience: aud },
    });
  }
}

/** RFC 9068 s3: a token's scopes should all belong to the server it is for. */
function checkScopes(slot: TokenSlot, grant: Grant, context: ExchangeContext): void {
  if (grant.id === UNKNOWN_SERVER) return;
  const claims = slot.decoded.report.claims;
  const tokenScopes = new Set([...slot.entryScopes, ...splitScopes(claims?.scope), ...splitScopes(claims?.scp)]);
  const foreign: Record<string, string> = {};
  for (const scope of tokenScopes) {
    const server = serverOfScope(scope, context.profile);
    if (server && !isAliasOf(server, grant.id, context)) foreign[scope] = server;
  }
  const scopes = Object.keys(foreign);
  if (scopes.length === 0) return;
  const servers = [...new Set(Object.values(foreign))];
  addFinding(context.findings, 'scope-beyond-server', {
    resourceServer: grant.id,
    tokenKind: 'access',
    message: `The access token for ${serverName(grant.id)} also carries scopes of ${servers.map(quote).join(', ')}: ${scopes.map(quote).join(', ')}.`,
    evidence: { scopes: foreign, fingerprint: slot.decoded.report.fingerprint },
  });
}

/** OIDC Core s3.1.3.7 (3) and (4)-(5): aud contains the client id; several audiences need azp = client id. */
function checkIdToken(slot: TokenSlot, grant: Grant, context: ExchangeContext): void {
  const claims = slot.decoded.report.claims;
  if (!claims) return;
  const auds = audiences(claims);
  const clientId = context.request.clientId;
  const evidence = { aud: claims.aud ?? null, azp: claims.azp ?? null, clientId, fingerprint: slot.decoded.report.fingerprint };
  if (clientId && !auds.includes(clientId)) {
    addFinding(context.findings, 'id-token-audience', {
      resourceServer: grant.id,
      tokenKind: 'id',
      message: `The ID token's audience (${auds.map(quote).join(', ') || 'none'}) does not include the client ${quote(clientId)} that asked for it.`,
      evidence,
    });
  } else if (auds.length > 1 && (clientId ? claims.azp !== clientId : typeof claims.azp !== 'string')) {
    addFinding(context.findings, 'id-token-audience', {
      resourceServer: grant.id,
      tokenKind: 'id',
      message: `The ID token names ${auds.length} audiences but its azp ${typeof claims.azp === 'string' ? `(${quote(claims.azp)}) is not the client` : 'is missing'}.`,
      evidence,
    });
  }
}

function checkToken(slot: TokenSlot, grant: Grant, context: ExchangeContext): void {
  const { report, malformed, problem } = slot.decoded;
  if (malformed) {
    addFinding(context.findings, 'malformed-token', {
      resourceServer: grant.id,
      tokenKind: report.kind,
      message: `The ${report.kind} token for ${serverName(grant.id)} looks like a JWT but does not decode: ${quote(problem ?? 'unknown reason')}.`,
      evidence: { fingerprint: report.fingerprint },
    });
    return;
  }
  checkSignature(slot, grant.id, context);
  checkValidity(slot, grant.id, context);
  if (report.kind === 'id') {
    checkIdToken(slot, grant, context);
    return;
  }
  if (report.kind !== 'access') return;
  if (report.format === 'opaque') {
    addFinding(context.findings, 'opaque-token', {
      resourceServer: grant.id,
      tokenKind: 'access',
      message: `The access token for ${serverName(grant.id)} is opaque: its audience cannot be checked here (introspect it, RFC 7662).`,
      evidence: { fingerprint: report.fingerprint, ...(report.note ? { note: report.note } : {}) },
    });
  } else {
    checkAudience(slot, grant, context, 'jwt');
  }
  checkScopes(slot, grant, context);
}

/** RFC 6749 s3.3: the granted scope may differ from the requested one; say how. */
function checkScopeDiff(grant: Grant, context: ExchangeContext): void {
  if (grant.requestedScopes.length === 0 || grant.scopes.length === 0) return;
  const dropped = grant.requestedScopes.filter((scope) => !grant.scopes.includes(scope));
  const added = grant.scopes.filter((scope) => !grant.requestedScopes.includes(scope));
  if (dropped.length === 0 && added.length === 0) return;
  const parts = [dropped.length ? `dropped ${dropped.map(quote).join(', ')}` : '', added.length ? `added ${added.map(quote).join(', ')}` : ''].filter(Boolean);
  addFinding(context.findings, 'scope-diff', {
    resourceServer: grant.id,
    message: `${serverName(grant.id)} was granted other scopes than requested: ${parts.join('; ')}.`,
    evidence: { requested: grant.requestedScopes, granted: grant.scopes, dropped, added },
  });
}

function errorFindings(value: Fields, status: number | null, findings: Finding[]): boolean {
  const error = nonEmptyString(value.error);
  const errors = Array.isArray(value.errors) ? value.errors.filter(isObject).slice(0, 10) : [];
  if (!error && errors.length === 0) return false;
  const firstError = errors[0];
  const code = error ?? nonEmptyString(firstError?.code) ?? 'error';
  const description = nonEmptyString(value.error_description) ?? nonEmptyString(firstError?.detail) ?? nonEmptyString(firstError?.title);
  const evidence: Record<string, unknown> = { error: value.error ?? null, status };
  for (const key of ['error_description', 'error_uri', 'error_codes', 'trace_id', 'correlation_id'] as const) {
    if (key in value) evidence[key] = value[key];
  }
  if (errors.length) evidence.errors = errors.map((e) => ({ code: e.code ?? null, detail: e.detail ?? null, status: e.status ?? null }));
  addFinding(findings, 'error-response', {
    message: `The token endpoint answered ${status ?? ''} ${quote(code)}${description ? `: ${quote(description)}` : ''}`.replace(/\s+/g, ' ').trim() + (description?.endsWith('.') ? '' : '.'),
    evidence,
  });
  return true;
}

const TOKEN_FIELDS = ['access_token', 'refresh_token', 'id_token'] as const;

function hasTokenField(entry: Fields): boolean {
  return TOKEN_FIELDS.some((field) => field in entry);
}

/** The first `iss` among the response's JWTs, to recognize the provider (payload only: the tokens are decoded in full later). */
function firstIssuer(entries: Fields[]): string | null {
  for (const entry of entries) {
    for (const field of TOKEN_FIELDS) {
      const value = entry[field];
      if (typeof value !== 'string' || !value.startsWith('eyJ') || value.length > MAX_TOKEN_CHARS) continue;
      const iss = nonEmptyString(peekClaims(value)?.iss);
      if (iss) return iss;
    }
  }
  return null;
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

function assignRequestedScopes(grants: Grant[], context: ExchangeContext, topGrant: Grant | undefined): string[] {
  const requested = context.request.scopes;
  if (grants.length === 1) {
    (grants[0] as Grant).requestedScopes = [...requested];
    return [];
  }
  const unassigned: string[] = [];
  for (const scope of requested) {
    const server = isIdentityScope(scope) ? context.identityServer : serverOfScope(scope, context.profile);
    const grant =
      (server ? grants.find((g) => isSameServer(g.id, server)) : undefined) ??
      grants.find((g) => g.scopes.includes(scope)) ??
      (server === null ? topGrant : undefined);
    if (grant) grant.requestedScopes.push(scope);
    else unassigned.push(scope);
  }
  return unassigned;
}

function toResourceServerReport(grant: Grant): ResourceServerReport {
  return {
    id: grant.id,
    resolvedBy: grant.resolvedBy,
    scopes: grant.scopes,
    requestedScopes: grant.requestedScopes,
    tokens: grant.tokens.map((slot) => slot.decoded.report),
  };
}

function analyzeTokenResponse(report: ExchangeReport, entries: Fields[], captured: CapturedExchange, context: ExchangeContext): void {
  report.kind = 'token';
  const grants: Grant[] = [];
  let topGrant: Grant | undefined;
  entries.forEach((entry, index) => {
    const isTop = index === 0;
    const explicitScopes = 'scope' in entry ? splitScopes(entry.scope) : null;
    if (isTop && explicitScopes === null && context.request.scopes.length > 0) {
      report.notes.push('The response names no scope: RFC 6749 s5.1 reads that as exactly the requested scopes.');
    }
    const scopes = explicitScopes ?? (isTop ? context.request.scopes : []);
    const expiresIn = numericClaim(entry.expires_in);
    const refreshExpiresIn = numericClaim(entry.refresh_expires_in ?? entry.refresh_token_expires_in);

    const decode = (field: (typeof TOKEN_FIELDS)[number], kind: TokenKind, lifetime: number | null): TokenSlot | null => {
      const value = entry[field];
      if (typeof value !== 'string' || value === '') return null;
      return { decoded: decodeToken(value, kind, context.capturedAt, lifetime, context.showTokens), entryScopes: scopes };
    };
    const access = decode('access_token', 'access', expiresIn);
    const tokenType = nonEmptyString(entry.token_type);
    if (access && tokenType) access.decoded.report.tokenType = tokenType;
    const refresh = decode('refresh_token', 'refresh', refreshExpiresIn);
    const idToken = decode('id_token', 'id', null);
    if (isTop && !access && hasTokenField(entry)) {
      report.notes.push(entry.access_token === null ? 'The response has "access_token": null.' : 'The response has no access token.');
    }

    const { id, resolvedBy } = resolveServer(entry, access?.decoded ?? null, scopes, context);
    const requested = context.request.resources;
    if (resolvedBy === 'resource' && requested.length > 0 && !requested.some((r) => isSameServer(r, id))) {
      addFinding(context.findings, 'resource-not-honoured', {
        resourceServer: id,
        tokenKind: 'access',
        message: `The client asked for a token for ${requested.map(quote).join(', ')}, but the response says it is for ${quote(id)}.`,
        evidence: { requested, resource: id },
      });
    }
    let grant = grants.find((g) => g.id === id);
    if (!grant) {
      grant = { id, resolvedBy, scopes: [], requestedScopes: [], tokens: [] };
      grants.push(grant);
    } else {
      report.notes.push(`${quote(id)} appears more than once in the response; its grants are shown together.`);
    }
    if (isTop) topGrant = grant;
    for (const scope of scopes) if (!grant.scopes.includes(scope)) grant.scopes.push(scope);
    for (const slot of [access, refresh, idToken]) if (slot) grant.tokens.push(slot);
  });

  const unassigned = assignRequestedScopes(grants, context, topGrant);
  for (const grant of grants) {
    for (const slot of grant.tokens) checkToken(slot, grant, context);
    checkScopeDiff(grant, context);
  }
  if (unassigned.length > 0 && grants.some((g) => g.scopes.length > 0)) {
    addFinding(context.findings, 'scope-diff', {
      message: `Requested scopes were granted to no resource server: ${unassigned.map(quote).join(', ')}.`,
      evidence: { requested: context.request.scopes, dropped: unassigned, added: [] },
    });
  }
  report.resourceServers = grants.map(toResourceServerReport);
  if (captured.status !== null && captured.status >= 400) report.notes.push(`The token endpoint answered HTTP ${captured.status} with tokens in the body.`);
}

/** RFC 7662: an introspection response is the token's claims, as the authorization server sees them. */
function analyzeIntrospection(report: ExchangeReport, value: Fields, context: ExchangeContext, knownTokens: Map<string, KnownToken>): void {
  report.kind = 'introspection';
  if (value.active !== true) {
    report.notes.push('The introspection response says the token is not active.');
    return;
  }
  const tokenFingerprint = context.request.introspectedToken;
  const linked = tokenFingerprint ? knownTokens.get(tokenFingerprint) : undefined;
  const scopes = splitScopes(value.scope);
  const resolved = linked
    ? { id: linked.resourceServer, resolvedBy: linked.resolvedBy }
    : resolveServer({}, { report: { kind: 'access', format: 'opaque', fingerprint: '', expiresAt: null, header: null, claims: value }, malformed: false, problem: null }, scopes, context);
  if (linked) report.notes.push(`Introspection of the token issued for ${quote(linked.resourceServer)} earlier in this capture.`);
  const exp = numericClaim(value.exp);
  const slot: TokenSlot = {
    decoded: {
      report: {
        kind: 'access',
        format: 'opaque',
        fingerprint: tokenFingerprint ?? 'sha256:unknown',
        expiresAt: exp !== null ? isoFromSeconds(exp) : null,
        header: null,
        claims: value,
        note: 'claims from token introspection (RFC 7662)',
      },
      malformed: false,
      problem: null,
    },
    entryScopes: scopes,
  };
  const grant: Grant = { ...resolved, scopes, requestedScopes: [], tokens: [slot] };
  checkAudience(slot, grant, context, 'introspection');
  checkScopes(slot, grant, context);
  report.resourceServers = [toResourceServerReport(grant)];
}

function looksLikeIntrospection(value: Fields, request: RequestParams, url: string): boolean {
  if (typeof value.active !== 'boolean' || 'access_token' in value) return false;
  return request.introspectedToken !== null || /introspect/i.test(url);
}

/**
 * Analyze one exchange on its own. Prefer `buildReport`, which also runs the
 * rules that look across exchanges (token-shared-across-servers, introspection).
 */
export function analyzeExchange(captured: CapturedExchange, options: AnalyzeOptions = {}, knownTokens = new Map<string, KnownToken>()): ExchangeReport {
  const request = parseRequest(captured.url, captured.request.body, captured.request.headers ?? {});
  const report = emptyReport(captured, request);
  const findings = report.findings;

  if (captured.response.body === null) {
    report.notes.push(captured.response.bodyNote ?? 'The response body was not captured.');
    if (request.grantType) report.kind = 'token';
    return report;
  }
  const parsed = parseBody(captured.response.body, captured.response.contentType ?? '');
  if (parsed.kind === 'empty') {
    report.notes.push(`The response body is empty (HTTP ${captured.status ?? 'status unknown'}).`);
    if (request.grantType) report.kind = 'token';
    return report;
  }
  if (parsed.kind === 'unparseable') {
    report.kind = 'token';
    addFinding(findings, 'unparseable-response', {
      message: `The token response could not be read: ${parsed.reason}.`,
      evidence: { status: captured.status, contentType: captured.response.contentType ?? null },
    });
    return report;
  }

  const value = parsed.value;
  const entries: Fields[] = Array.isArray(value)
    ? value.filter(isObject)
    : isObject(value)
      ? [value, ...(Array.isArray(value.other_tokens) ? value.other_tokens.filter(isObject) : [])]
      : [];
  const issuer = firstIssuer(entries);
  const profile = detectProvider(captured.url, issuer);
  report.provider = profile?.id ?? null;
  const context: ExchangeContext = {
    capturedAt: captureTime(captured.startedAt, options.at),
    showTokens: options.showTokens === true,
    request,
    profile,
    profileContext: { url: captured.url, issuer },
    identityServer: identityServerOf(captured.url, profile, issuer),
    findings,
  };

  if (isObject(value) && errorFindings(value, captured.status, findings)) {
    report.kind = 'token';
    return report;
  }
  if (isObject(value) && looksLikeIntrospection(value, request, captured.url)) {
    analyzeIntrospection(report, value, context, knownTokens);
    return report;
  }
  if (!entries.some(hasTokenField)) {
    report.notes.push(
      Array.isArray(value) || isObject(value) ? 'The response holds no access, refresh or ID token.' : `The response is JSON but not an object (${typeof value}).`,
    );
    if (request.grantType) report.kind = 'token';
    return report;
  }
  analyzeTokenResponse(report, entries, captured, context);
  return report;
}

/** RFC 9700 s2.3: a token filed under two resource servers lets one replay it at the other. */
function checkSharedTokens(exchanges: ExchangeReport[]): void {
  const seen = new Map<string, { servers: string[]; exchanges: Set<ExchangeReport>; kind: TokenKind }>();
  for (const exchange of exchanges) {
    if (exchange.kind !== 'token') continue;
    for (const server of exchange.resourceServers) {
      if (server.id === UNKNOWN_SERVER) continue;
      for (const token of server.tokens) {
        if (token.kind === 'id') continue;
        const entry = seen.get(token.fingerprint) ?? { servers: [], exchanges: new Set(), kind: token.kind };
        if (!entry.servers.some((s) => isSameServer(s, server.id))) entry.servers.push(server.id);
        entry.exchanges.add(exchange);
        seen.set(token.fingerprint, entry);
      }
    }
  }
  for (const [tokenFingerprint, entry] of seen) {
    if (entry.servers.length < 2) continue;
    for (const exchange of entry.exchanges) {
      addFinding(exchange.findings, 'token-shared-across-servers', {
        resourceServer: entry.servers[0] ?? null,
        tokenKind: entry.kind,
        message: `The same ${entry.kind} token is filed under ${entry.servers.length} resource servers (${entry.servers.map(quote).join(', ')}): each of them could replay it at the others.`,
        evidence: { fingerprint: tokenFingerprint, resourceServers: entry.servers, exchanges: entry.exchanges.size },
      });
    }
  }
}

/** A resource-server id that names a host (`transfer.api.globus.org`, `https://api.example.com`), as a host; null for ids that do not (`api://default`, a GUID). */
function serverHost(id: string): string | null {
  const url = /^https?:\/\/([^/?#:]+)/i.exec(id);
  if (url) return (url[1] as string).toLowerCase();
  return /^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(id) && !/^[0-9a-f]{8}-/i.test(id) ? id.toLowerCase() : null;
}

/** RFC 6750 s5.2, RFC 9700 s2.3: a token sent to a host that is not its resource server leaks it to a service it was not issued for. */
function checkBearerUses(exchanges: ExchangeReport[], uses: readonly BearerUse[]): void {
  if (uses.length === 0) return;
  const issued = new Map<string, { exchange: ExchangeReport; server: string; kind: TokenKind }>();
  for (const exchange of exchanges) {
    if (exchange.kind !== 'token') continue;
    for (const server of exchange.resourceServers) {
      for (const token of server.tokens) if (token.kind !== 'id' && !issued.has(token.fingerprint)) issued.set(token.fingerprint, { exchange, server: server.id, kind: token.kind });
    }
  }
  const reported = new Set<string>();
  for (const use of uses) {
    const token = issued.get(use.fingerprint);
    if (!token) continue;
    const expected = serverHost(token.server);
    let host: string;
    try {
      host = new URL(use.url).hostname.toLowerCase();
    } catch {
      continue;
    }
    if (expected === null || host === expected) continue;
    const key = `${use.fingerprint} ${host}`;
    if (reported.has(key)) continue;
    reported.add(key);
    addFinding(token.exchange.findings, 'token-sent-beyond-audience', {
      resourceServer: token.server,
      tokenKind: token.kind,
      message: `The ${token.kind} token issued for ${serverName(token.server)} was sent as a Bearer token to ${quote(host)}, a service it was not issued for.`,
      evidence: { fingerprint: use.fingerprint, sentTo: `${use.method} ${use.url.split('?')[0]}`, at: use.at },
    });
  }
}

/** Counts for the report's summary. */
export function summarize(exchanges: ExchangeReport[]): ReportSummary {
  const summary: ReportSummary = { exchanges: exchanges.length, resourceServers: 0, tokens: 0, findings: { high: 0, medium: 0, low: 0, info: 0 } };
  for (const exchange of exchanges) {
    summary.resourceServers += exchange.resourceServers.length;
    for (const server of exchange.resourceServers) summary.tokens += server.tokens.length;
    for (const finding of exchange.findings) summary.findings[finding.severity] += 1;
  }
  return summary;
}

/** Severity order inside an exchange: high first; the order the rules ran in otherwise (the sort is stable). */
function sortFindings(findings: Finding[]): void {
  const order: Record<Severity, number> = { high: 0, medium: 1, low: 2, info: 3 };
  findings.sort((a, b) => order[a.severity] - order[b.severity]);
}

/** The whole analysis: every exchange, the rules across exchanges, the summary. */
export function buildReport(captured: readonly CapturedExchange[], options: AnalyzeOptions = {}): Report {
  const knownTokens = new Map<string, KnownToken>();
  const exchanges = captured.map((exchange) => analyzeExchange(exchange, options, knownTokens));
  for (const exchange of exchanges) {
    if (exchange.kind !== 'token') continue;
    for (const server of exchange.resourceServers) {
      for (const token of server.tokens) {
        if (token.kind === 'access' && !knownTokens.has(token.fingerprint)) knownTokens.set(token.fingerprint, { resourceServer: server.id, resolvedBy: server.resolvedBy });
      }
    }
  }
  // Introspection answers are read against the tokens issued in the same capture.
  if (knownTokens.size > 0) {
    captured.forEach((exchange, index) => {
      if (exchanges[index]?.kind === 'introspection') exchanges[index] = analyzeExchange(exchange, options, knownTokens);
    });
  }
  checkSharedTokens(exchanges);
  checkBearerUses(exchanges, options.bearerUses ?? []);
  for (const exchange of exchanges) sortFindings(exchange.findings);
  return { tool: 'tokenscope', version: VERSION, exchanges, summary: summarize(exchanges) };
}
