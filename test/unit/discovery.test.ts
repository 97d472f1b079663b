/** Discovery steps (RFC 9728, RFC 8414, RFC 7591) as steps of the sign-in they lead to, and the discovery and MCP rules. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildReport } from '../../src/core/analysis/index.js';
import { readInput } from '../../src/core/input.js';
import { isSameResource, namesObservedUrl, resourceMetadataOf, resourceOfMetadataUrl } from '../../src/core/sign-in/discovery.js';
import { checkSignInStep } from '../../src/protocol/sign-in-step.js';
import { signInTimeline } from '../../src/core/analysis/sign-in-timeline.js';
import { toMarkdown } from '../../src/core/format/markdown.js';
import type { SignInStep } from '../../src/core/sign-in/types.js';
import type { BearerUse, Report, RuleId } from '../../src/core/types.js';
import { entry, har } from './helpers.js';
import {
  AS,
  accessFingerprint,
  CLIENT_SECRET,
  MCP_URL,
  type McpFlow,
  mcpExchange,
  mcpSteps,
  PRM_URL,
  REGISTRATION_TOKEN,
} from './mcp-fixtures.js';

function report(flow: McpFlow = {}, bearerUses: BearerUse[] = []): Report {
  return buildReport([mcpExchange(flow)], { signInSteps: mcpSteps(flow), bearerUses, at: new Date('2026-01-10T10:00:10Z') });
}

/** Every finding of the report: its exchanges' and its sign-ins'. */
const allFindings = (built: Report) => [
  ...built.exchanges.flatMap((exchange) => exchange.findings),
  ...built.signIns.flatMap((signIn) => signIn.findings),
];

const rulesOf = (built: Report, rule: RuleId) => built.signIns.flatMap((signIn) => signIn.findings).filter((f) => f.rule === rule);

const DISCOVERY_RULES: RuleId[] = [
  'metadata-resource-mismatch',
  'metadata-issuer-not-listed',
  'resource-differs-from-metadata',
  'mcp-resource-missing',
  'mcp-audience-not-server',
  'mcp-token-passthrough',
];

describe('discovery steps', () => {
  test('RFC 9728 s5.1: resource_metadata read from WWW-Authenticate, quoted or not', () => {
    assert.equal(resourceMetadataOf(`Bearer error="invalid_token", resource_metadata="${PRM_URL}"`), PRM_URL);
    assert.equal(resourceMetadataOf(`Bearer resource_metadata=${PRM_URL}, scope="a"`), PRM_URL);
    assert.equal(resourceMetadataOf('Bearer realm="example"'), null);
  });

  test('RFC 9728 s3.1: the resource a metadata URL was made for', () => {
    assert.equal(resourceOfMetadataUrl(PRM_URL), MCP_URL);
    assert.equal(resourceOfMetadataUrl('https://mcp.example.com/.well-known/oauth-protected-resource'), 'https://mcp.example.com/');
    assert.equal(resourceOfMetadataUrl('https://mcp.example.com/other'), null);
  });

  test('the 401, the metadata, the server metadata and the registration are steps of the sign-in they led to', () => {
    const built = report();
    assert.equal(built.signIns.length, 1);
    const discovery = built.signIns[0]?.discovery;
    assert.ok(discovery);
    assert.deepEqual(
      discovery.steps.map((step) => [step.kind, step.url]),
      [
        ['challenge', MCP_URL],
        ['resource-metadata', PRM_URL],
        ['server-metadata', `${AS}/.well-known/oauth-authorization-server`],
        ['registration', `${AS}/register`],
      ],
    );
    assert.equal(discovery.resource, MCP_URL);
    assert.equal(discovery.issuer, AS);
    assert.equal(discovery.mcp, true);
    assert.equal(discovery.client?.clientName, 'MCP Inspector');
    assert.deepEqual(discovery.client?.redirectUris, ['https://inspector.example.com/oauth/callback']);
    assert.match(discovery.client?.redacted.client_secret ?? '', /^sha256:[0-9a-f]{64}$/);
    assert.match(discovery.client?.redacted.registration_access_token ?? '', /^sha256:/);
    const text = JSON.stringify(built);
    assert.ok(!text.includes(CLIENT_SECRET) && !text.includes(REGISTRATION_TOKEN), 'registration secrets are fingerprints only');
    assert.ok(built.signIns[0]?.notes.some((note) => note.includes('"MCP Inspector"')));
  });

  test("the metadata's resource names the server with confidence metadata; a clean MCP sign-in has no discovery finding", () => {
    const built = report();
    const server = built.exchanges[0]?.resourceServers.find((s) => s.id === MCP_URL);
    assert.equal(server?.confidence, 'metadata');
    assert.equal(server?.resolvedBy, 'request');
    for (const rule of DISCOVERY_RULES) assert.deepEqual(rulesOf(built, rule), [], rule);
  });

  test('without discovery steps nothing changes: the same exchange resolved by the request', () => {
    const built = buildReport([mcpExchange()], { signInSteps: mcpSteps().slice(4) });
    assert.equal(built.signIns[0]?.discovery, undefined);
    assert.equal(built.exchanges[0]?.resourceServers[0]?.confidence, 'request');
  });

  test('a registration answered without a client id, or metadata that is not JSON, is no step', () => {
    const steps = mcpSteps().map(
      (step): SignInStep => (step.url.endsWith('/register') ? { ...step, responseBody: '{"error":"invalid_redirect_uri"}' } : step),
    );
    steps[1] = { ...(steps[1] as SignInStep), responseBody: '<html>not found</html>' };
    const built = buildReport([mcpExchange()], { signInSteps: steps });
    const kinds = built.signIns[0]?.discovery?.steps.map((step) => step.kind);
    // The 401 still joins: its resource_metadata URL is made for the resource the request asks for (RFC 9728 s3.1).
    assert.deepEqual(kinds, ['challenge', 'server-metadata']);
  });
});

describe('discovery rules', () => {
  test('metadata-resource-mismatch: the metadata names another resource than its URL (RFC 9728 s3.3)', () => {
    const [finding, ...rest] = rulesOf(
      report({ metadataResource: 'https://mcp.example.com/other', resource: 'https://mcp.example.com/other' }),
      'metadata-resource-mismatch',
    );
    assert.equal(rest.length, 0);
    assert.equal(finding?.severity, 'medium');
    assert.deepEqual(finding?.evidence.metadataFor, MCP_URL);
    assert.deepEqual(rulesOf(report(), 'metadata-resource-mismatch'), []);
  });

  test("metadata-issuer-not-listed: the token's issuer is not among authorization_servers", () => {
    const found = rulesOf(report({ authorizationServers: ['https://other-as.example.com'] }), 'metadata-issuer-not-listed');
    assert.equal(found.length, 1);
    assert.deepEqual(found[0]?.evidence.issuers, [AS]);
    // A trailing slash is the same issuer.
    assert.deepEqual(rulesOf(report({ authorizationServers: [`${AS}/`] }), 'metadata-issuer-not-listed'), []);
  });

  test("resource-differs-from-metadata: the resource asked for is not the metadata's", () => {
    const found = rulesOf(report({ resource: 'https://api.example.com/' }), 'resource-differs-from-metadata');
    assert.equal(found.length, 1);
    assert.equal(found[0]?.evidence.at, 'authorize');
    assert.deepEqual(rulesOf(report({ resource: 'https://mcp.example.com/mcp' }), 'resource-differs-from-metadata'), []);
  });
});

describe('MCP rules', () => {
  test('mcp-resource-missing: no resource at authorize nor token', () => {
    const found = rulesOf(report({ resource: null }), 'mcp-resource-missing');
    assert.equal(found.length, 1);
    assert.deepEqual(found[0]?.evidence.missingAt, ['authorize', 'token']);
    assert.match(found[0]?.message ?? '', /MUST be included in both authorization requests and token requests/);
    assert.deepEqual(rulesOf(report(), 'mcp-resource-missing'), []);
  });

  test('not an MCP client (no MCP-Protocol-Version): no MCP rule, the discovery rules still apply', () => {
    const built = report({ resource: null, mcp: false });
    assert.equal(built.signIns[0]?.discovery?.mcp, false);
    assert.deepEqual(rulesOf(built, 'mcp-resource-missing'), []);
  });

  test("one fault, one finding: an extra audience on the MCP server's token is one high finding, in the MCP spec's words", () => {
    const built = report({ aud: [MCP_URL, 'https://api.example.com'] });
    const high = allFindings(built).filter((f) => f.severity === 'high');
    assert.deepEqual(
      high.map((f) => f.rule),
      ['audience-beyond-server'],
    );
    assert.equal(high[0]?.evidence.extraAudience, 'https://api.example.com');
    assert.match(high[0]?.explanation ?? '', /MCP servers MUST validate that access tokens were issued specifically for them/);
    assert.deepEqual(rulesOf(built, 'mcp-audience-not-server'), []);
    // An aud that is not the server at all: the exchange's rule, again once, with the MCP words.
    const other = allFindings(report({ aud: 'https://api.example.com' })).filter((f) => f.severity === 'high');
    assert.deepEqual(
      other.map((f) => f.rule),
      ['resource-not-honoured'],
    );
    assert.match(other[0]?.explanation ?? '', /MCP servers MUST validate/);
    // The canonical URI with a trailing slash is the same URI.
    assert.deepEqual(
      allFindings(report({ aud: `${MCP_URL}/` })).filter((f) => f.severity === 'high'),
      [],
    );
  });

  test('a non-MCP sign-in with the same extra audience is unchanged: the general finding, no MCP words', () => {
    const built = report({ aud: [MCP_URL, 'https://api.example.com'], mcp: false });
    const high = allFindings(built).filter((f) => f.severity === 'high');
    assert.deepEqual(
      high.map((f) => f.rule),
      ['audience-beyond-server'],
    );
    assert.equal(high[0]?.explanation, undefined);
    assert.match(high[0]?.message ?? '', /is also accepted by https:\/\/api\.example\.com/);
  });

  test("one fault, one finding: the MCP server's token sent to another host is one high finding, in the MCP spec's words", () => {
    const use = (url: string, flow: McpFlow = {}): BearerUse => ({
      url,
      method: 'GET',
      fingerprint: accessFingerprint(flow),
      at: '2026-01-10T10:00:09.000Z',
      scheme: 'bearer',
    });
    const built = report({}, [use('https://api.github.com/user')]);
    const high = allFindings(built).filter((f) => f.severity === 'high');
    assert.deepEqual(
      high.map((f) => f.rule),
      ['token-sent-beyond-audience'],
    );
    assert.equal(high[0]?.evidence.sentTo, 'GET https://api.github.com/user');
    assert.match(high[0]?.explanation ?? '', /forbids token passthrough/);
    assert.deepEqual(rulesOf(built, 'mcp-token-passthrough'), []);
    assert.deepEqual(
      allFindings(report({}, [use(`${MCP_URL}?session=1`)])).filter((f) => f.severity === 'high'),
      [],
    );
    // Not an MCP client: the same send, the general finding without the MCP words.
    const plain = allFindings(report({ mcp: false }, [use('https://api.github.com/user', { mcp: false })])).filter(
      (f) => f.severity === 'high',
    );
    assert.deepEqual(
      plain.map((f) => [f.rule, f.explanation]),
      [['token-sent-beyond-audience', undefined]],
    );
  });
});

describe('MCP rules where no general rule speaks', () => {
  test('an aud the exchange accepts but that is not the canonical URI, and a send to another port: the MCP rules alone', () => {
    // No resource sent: the exchange files the token under its own aud; the metadata names another URI as the server.
    const flow: McpFlow = { metadataResource: 'https://mcp.example.com/else', resource: null };
    const use: BearerUse = {
      url: 'https://mcp.example.com:8443/x',
      method: 'GET',
      fingerprint: accessFingerprint(flow),
      at: '2026-01-10T10:00:09.000Z',
      scheme: 'bearer',
    };
    const high = allFindings(report(flow, [use])).filter((f) => f.severity === 'high');
    assert.deepEqual(high.map((f) => f.rule).sort(), ['mcp-audience-not-server', 'mcp-token-passthrough']);
    assert.equal(high.find((f) => f.rule === 'mcp-token-passthrough')?.evidence.host, 'mcp.example.com:8443');
  });
});

describe('the same flow from a HAR', () => {
  test('a HAR of the MCP sign-in gives the same discovery steps, client and server confidence', () => {
    const steps = mcpSteps();
    const entries = steps.map((step) => {
      const made = entry({
        method: step.method,
        url: step.url,
        status: step.status ?? 200,
        requestHeaders: step.mcpProtocolVersion ? [{ name: 'MCP-Protocol-Version', value: step.mcpProtocolVersion }] : [],
        ...(step.body ? { postData: { mimeType: 'application/json', text: step.body } } : {}),
        content: step.responseBody ? { text: step.responseBody } : {},
      });
      if (step.wwwAuthenticate) made.response.headers.push({ name: 'WWW-Authenticate', value: step.wwwAuthenticate });
      return { ...made, startedDateTime: step.at };
    });
    const exchange = mcpExchange();
    entries.push({
      ...entry({
        method: 'POST',
        url: exchange.url,
        postData: { mimeType: 'application/x-www-form-urlencoded', text: exchange.request.body ?? '' },
        content: { text: exchange.response.body ?? '' },
      }),
      startedDateTime: exchange.startedAt,
    });
    const input = readInput(JSON.stringify(har(...entries)), 'mcp.har', '2026-01-10T10:00:00.000Z');
    assert.equal(input.kind, 'har');
    if (input.kind !== 'har') return;
    const built = buildReport(input.exchanges, { signInSteps: input.signInSteps, at: new Date('2026-01-10T10:00:10Z') });
    const live = report();
    assert.deepEqual(
      built.signIns[0]?.discovery?.steps.map((step) => step.kind),
      live.signIns[0]?.discovery?.steps.map((step) => step.kind),
    );
    assert.equal(built.signIns[0]?.discovery?.client?.clientName, 'MCP Inspector');
    assert.equal(built.signIns[0]?.discovery?.mcp, true);
    assert.equal(built.exchanges[0]?.resourceServers[0]?.confidence, 'metadata');
  });
});

describe('a discovery step from a page', () => {
  test('checkSignInStep keeps status, challenge and MCP version, and stores registration secrets as fingerprints only', () => {
    const registration = mcpSteps()[3] as SignInStep;
    const checked = checkSignInStep({
      url: registration.url,
      method: 'POST',
      at: registration.at,
      frame: 'top',
      status: 201,
      body: registration.body,
      responseBody: registration.responseBody,
      mcpProtocolVersion: '2025-06-18',
    });
    assert.ok(checked.ok);
    if (!checked.ok) return;
    const stored = JSON.stringify(checked.step);
    assert.ok(!stored.includes(CLIENT_SECRET) && !stored.includes(REGISTRATION_TOKEN));
    assert.equal(checked.step.status, 201);
    assert.equal(checked.step.mcpProtocolVersion, '2025-06-18');
    // The report built from the stored step still fingerprints the same secret the same way.
    const built = buildReport([mcpExchange()], { signInSteps: mcpSteps().map((step, i) => (i === 3 ? checked.step : step)) });
    assert.equal(
      built.signIns[0]?.discovery?.client?.redacted.client_secret,
      report().signIns[0]?.discovery?.client?.redacted.client_secret,
    );
    assert.equal(checkSignInStep({ url: MCP_URL, method: 'POST', at: registration.at, frame: 'top', status: 1000 }).ok, false);
  });
});

describe('what the views show', () => {
  test('the timeline: 401, metadata, server metadata, registration, authorize, answer, code exchange; a metadata finding at its step', () => {
    const built = report({ authorizationServers: ['https://other-as.example.com'] });
    const signIn = built.signIns[0];
    assert.ok(signIn);
    const events = signInTimeline(signIn, built.exchanges);
    assert.deepEqual(
      events.map((event) => event.kind),
      ['discovery', 'discovery', 'discovery', 'discovery', 'authorization-request', 'authorization-response', 'code-exchange'],
    );
    assert.match(events[0]?.summary ?? '', /401: the resource server names its metadata/);
    assert.ok(events[1]?.details.includes(`resource ${MCP_URL} (an MCP server)`));
    assert.deepEqual(
      events[1]?.findings.map((finding) => finding.rule),
      ['metadata-issuer-not-listed'],
    );
    assert.ok(events[3]?.details.some((line) => line.includes('"MCP Inspector"')));
    assert.ok(events.every((event) => !JSON.stringify(event).includes(CLIENT_SECRET)));
  });

  test('Markdown says the discovery, the MCP server and the registered client', () => {
    const markdown = toMarkdown(report());
    assert.match(
      markdown,
      /discovery: 401, resource-metadata, server-metadata, registration; MCP server `?https:\/\/mcp\.example\.com\/mcp`? \(its own metadata\)/,
    );
    assert.match(markdown, /registered client "MCP Inspector"/);
  });
});

describe('discovery after the authorization request', () => {
  test('a client that discovers again on its callback: the steps before the request are the sign-in, not the later ones', () => {
    const steps = mcpSteps();
    const again = steps.slice(1, 3).map((step) => ({ ...step, at: '2026-01-10T10:00:04.500Z' }));
    const built = buildReport([mcpExchange()], { signInSteps: [...steps, ...again] });
    const discovered = built.signIns[0]?.discovery?.steps ?? [];
    assert.ok(discovered.every((step) => Date.parse(step.at) <= Date.parse('2026-01-10T10:00:04.000Z')));
    assert.equal(discovered.length, 4);
  });
});

describe('answers not captured', () => {
  test('metadata and registration without their bodies (Chromium drops them at navigation): steps read from URL and request', () => {
    for (const resource of [MCP_URL, null]) {
      const steps = mcpSteps({ resource }).map((step, index) => (index >= 1 && index <= 3 ? { ...step, responseBody: null } : step));
      const built = buildReport([mcpExchange({ resource })], { signInSteps: steps });
      const discovery = built.signIns[0]?.discovery;
      if (resource === null) {
        // Nothing names the server then: the 401 and the metadata URL joined by the resource asked for cannot join.
        assert.deepEqual(
          discovery?.steps.map((step) => step.kind),
          ['server-metadata', 'registration'],
        );
        continue;
      }
      assert.deepEqual(
        discovery?.steps.map((step) => step.kind),
        ['challenge', 'resource-metadata', 'server-metadata', 'registration'],
      );
      assert.equal(discovery?.resource, null);
      assert.equal(discovery?.metadataFor, MCP_URL);
      assert.equal(discovery?.mcp, true);
      assert.equal(discovery?.client?.clientName, 'MCP Inspector');
      assert.equal(discovery?.client?.clientId, null);
    }
  });

  test('a metadata fetch that failed (404 without a body) is no step', () => {
    const steps = mcpSteps().map((step, index) => (index === 2 ? { ...step, status: 404, responseBody: null } : step));
    const built = buildReport([mcpExchange()], { signInSteps: steps });
    assert.ok(!built.signIns[0]?.discovery?.steps.some((step) => step.kind === 'server-metadata'));
  });
});

test('isSameResource: RFC 9728 s3.3 wants the identifiers identical, so no form of a URL stands for another', () => {
  assert.equal(isSameResource('https://rs.example/api', 'https://rs.example/api'), true);
  // Empty path and "/", a trailing slash, the host's case, the default port, a query: each another resource.
  assert.equal(isSameResource('https://rs.example', 'https://rs.example/'), false);
  assert.equal(isSameResource('https://rs.example/api', 'https://rs.example/api/'), false);
  assert.equal(isSameResource('https://RS.example/api', 'https://rs.example/api'), false);
  assert.equal(isSameResource('https://rs.example:443/api', 'https://rs.example/api'), false);
  assert.equal(isSameResource('https://rs.example/api?tenant=a', 'https://rs.example/api'), false);
  assert.equal(isSameResource('https://rs.example/api?tenant=a', 'https://rs.example/api?tenant=b'), false);
});

test('namesObservedUrl: a URL of the host alone, as sent or as a metadata URL was made for it, is either root form; nothing else is loosened', () => {
  // A browser sends `https://rs.example` as `https://rs.example/`; s3.1 makes one metadata URL for both.
  assert.equal(namesObservedUrl('https://rs.example', 'https://rs.example/'), true);
  assert.equal(namesObservedUrl('https://rs.example/', 'https://rs.example/'), true);
  assert.equal(
    namesObservedUrl('https://rs.example', resourceOfMetadataUrl('https://rs.example/.well-known/oauth-protected-resource') ?? ''),
    true,
  );
  assert.equal(namesObservedUrl('https://rs.example/api', 'https://rs.example/api/'), false);
  assert.equal(namesObservedUrl('https://RS.example', 'https://rs.example/'), false);
  assert.equal(namesObservedUrl('https://rs.example:443', 'https://rs.example/'), false);
  assert.equal(namesObservedUrl('https://rs.example', 'https://rs.example/?q=1'), false);
  assert.equal(namesObservedUrl('https://other.example', 'https://rs.example/'), false);
});

test('resourceOfMetadataUrl keeps the query the well-known suffix was inserted before (RFC 9728 s3.1)', () => {
  assert.equal(
    resourceOfMetadataUrl('https://rs.example/.well-known/oauth-protected-resource/api?tenant=a'),
    'https://rs.example/api?tenant=a',
  );
});
