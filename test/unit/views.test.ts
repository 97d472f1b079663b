/**
 * The views rendered in Node, with no browser: a ViewState built from real core output (fixtures,
 * a HAR, hostile responses), fed as plain data, and read back as a user reads it.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { buildReport } from '../../src/core/analysis/index.js';
import { mappableSignIns, tokenMap } from '../../src/core/analysis/token-map.js';
import { readInput } from '../../src/core/input.js';
import { fingerprint } from '../../src/core/sha256.js';
import { InputStreamReader } from '../../src/core/input-stream.js';
import type { CapturedExchange } from '../../src/core/types.js';
import { App } from '../../src/ui/app.js';
import { PanelDetail } from '../../src/ui/blocks/panel-detail.js';
import { PanelView } from '../../src/ui/blocks/panel-view.js';
import { MapRows } from '../../src/ui/blocks/sign-in-map-table.js';
import { FIRST_SHOWN } from '../../src/ui/hooks/use-view.js';
import { analyzeImport } from '../../src/ui/import/analyze-import.js';
import { importedSource } from '../../src/ui/sources/imported-source.js';
import { panelRows } from '../../src/ui/panel-rows.js';
import { plainSource } from '../../src/ui/sources/plain-source.js';
import { exchange } from './helpers.js';
import { nav, T0, T1 } from './sign-in-fixtures.js';
import { GROUPS, GROUPS_SCOPE, globusSignIn, SEARCH_SCOPE, TRANSFER } from './token-map-fixture.js';
import { noActions, renderPopup as render, tabView } from './view-render.js';

const fixtures = join(import.meta.dirname, '../fixtures');
const SITE = 'https://app.example.test';
const RULES_URL = 'rules.html';

/** A fixture's exchange, captured when the fixture says unless `startedAt` is given. */
function fixtureExchanges(name: string, startedAt?: string): CapturedExchange[] {
  const input = readInput(readFileSync(join(fixtures, 'responses', `${name}.json`), 'utf8'), name, '2000-01-01T00:00:00Z');
  assert.equal(input.kind, 'exchange');
  return input.kind === 'exchange' ? input.exchanges.map((captured) => ({ ...captured, startedAt: startedAt ?? captured.startedAt })) : [];
}

/** What a user reads: the text, markup gone and entities decoded. */
function text(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

/** The text of every element whose class attribute is exactly `className`. */
function texts(html: string, tag: string, className: string): string[] {
  const pattern = new RegExp(`<${tag} [^>]*?class="${className}"[^>]*>([\\s\\S]*?)</${tag}>`, 'g');
  return [...html.matchAll(pattern)].map((match) => text(match[1] ?? ''));
}

describe('a tab with exchanges', () => {
  const report = buildReport([...fixtureExchanges('entra-v1-resource'), ...fixtureExchanges('globus-other-tokens')], {});
  const view = tabView(report, {}, { otherTabs: [{ tabId: 3, site: 'https://other.example.test', exchanges: 1, high: 1 }] });
  const html = render(view);

  test('names each resource server and the scopes it was granted', () => {
    // Each exchange's ID token is filed under its client, after the resource servers.
    assert.deepEqual(texts(html, 'span', 'rs-name'), [
      'https://service.contoso.com/',
      '2d4d11a2-f814-46a7-890a-274a72a7309e',
      'auth.globus.org',
      'transfer.api.globus.org',
      '7fb58e00-839d-44e3-8047-10a502612dca',
    ]);
    assert.match(html, /aria-label="Client 2d4d11a2-f814-46a7-890a-274a72a7309e"/);
    assert.deepEqual(texts(html, 'li', 'scope'), [
      'https://graph.microsoft.com/mail.read',
      'profile',
      'email',
      'openid',
      'urn:globus:auth:scope:transfer.api.globus.org:all',
    ]);
  });

  test("shows each finding's message under its severity, and the worst one on its resource server", () => {
    const findings = report.exchanges.flatMap((e) => e.findings).filter((f) => f.severity !== 'info');
    assert.deepEqual(
      findings.map((f) => f.severity),
      ['high', 'medium'],
    );
    for (const finding of findings) {
      assert.deepEqual(texts(html, 'li', `finding sev-${finding.severity}`).length, 1);
      const [item] = texts(html, 'li', `finding sev-${finding.severity}`);
      assert.ok(item?.startsWith(`${finding.severity}${finding.message}`), item);
      assert.match(html, new RegExp(`href="${RULES_URL}#${finding.rule}"`));
    }
    // The unsigned ID token is the client's finding; the API keeps its own.
    assert.match(html, /<span class="pill sev-high" title="\d findings? for this client">\d high<\/span>/);
    assert.match(html, /<span class="pill sev-medium" title="1 finding for this resource server">1 medium<\/span>/);
    assert.equal(texts(html, 'p', 'summary')[0], '2 exchanges · 3 resource servers · 1 high, 1 medium, 0 low');
  });

  test('folds the informational notes and says how each exchange was seen', () => {
    assert.deepEqual(texts(html, 'p', 'ok-line'), ['No problem found.']);
    assert.match(text(html), /2 informational notes/);
    assert.deepEqual(texts(html, 'span', 'how how-verified'), [
      'page hook; request seen by the browser, body as the page read it',
      'page hook; request seen by the browser, body as the page read it',
    ]);
  });

  test('shows fingerprints, never token values', () => {
    for (const server of report.exchanges.flatMap((e) => e.resourceServers)) {
      for (const token of server.tokens) assert.ok(texts(html, 'code', 'fingerprint').includes(`${token.fingerprint.slice(0, 23)}…`));
    }
    const body = fixtureExchanges('globus-other-tokens')[0]?.response.body ?? '';
    for (const value of [...body.matchAll(/"(?:access|refresh)_token"\s*:\s*"([^"]+)"/g)].map((m) => m[1] ?? ''))
      assert.ok(!html.includes(value), value);
  });

  test('lists the other tabs and the watched sites', () => {
    assert.match(html, /<a href="\?tab=3">https:\/\/other\.example\.test<\/a>/);
    assert.match(text(html), /1 exchange, 1 high/);
    assert.match(text(html), /Watched sites \(1\)/);
    assert.match(html, /aria-label="Stop watching https:\/\/app\.example\.test\/\*"/);
    assert.match(text(html), /Watching Stop watching/);
  });
});

describe('how sure each verdict is', () => {
  // A Spotify token (the Web API, from the provider's docs) later sent to another host on spotify.com.
  const [captured] = fixtureExchanges('spotify-code-flow');
  const token = JSON.parse(captured?.response.body ?? '{}').access_token as string;
  const bearerUses = [
    { url: 'https://developer.spotify.com/api/me', method: 'GET', fingerprint: fingerprint(token), at: captured?.startedAt ?? '' },
  ];
  const html = render(tabView(buildReport(captured ? [captured] : [], { bearerUses })));

  test('each resource server says how it was resolved and how sure that is', () => {
    assert.deepEqual(texts(html, 'small', 'muted confidence confidence-provider'), ['resolved by provider, confidence provider']);
  });

  test('a lowered finding says from what and why', () => {
    const [item] = texts(html, 'li', 'finding sev-low');
    assert.match(item ?? '', /lowered from high: the receiving host is on the same site \(spotify\.com\)/);
  });
});

describe('a tab with no exchange', () => {
  const empty = buildReport([], {});

  test('watched: says none was seen yet, and that back-channel exchanges are not observable', () => {
    const html = render(tabView(empty));
    assert.match(text(html), /Watching https:\/\/app\.example\.test\. No token exchange seen in this tab yet/);
    assert.match(text(html), /back-channel exchanges are not observable here/);
    assert.match(html, /<button type="button" disabled>Export JSON<\/button>/);
    assert.ok(!html.includes('class="summary"'));
  });

  test('not watched: says how to start, with the Watch button only where there is a site', () => {
    const onSite = text(render(tabView(empty, {}, { isWatched: false, watchedSites: [] })));
    assert.match(
      onSite,
      /Tokenscope is not watching https:\/\/app\.example\.test\. It sees nothing on a site until you allow it: Watch this site, then sign in/,
    );
    assert.match(onSite, /No site watched\./);
    const noSite = render(tabView(empty, {}, { isWatched: false, watchedSites: [], site: null, tabUrl: null }));
    assert.match(text(noSite), /Tokenscope is not watching this page\./);
    assert.ok(!noSite.includes('class="primary"'));
  });

  test("this tab's exchanges let go and unwatched token endpoints are said", () => {
    const html = text(render(tabView(empty, {}, { dropped: 3, suggestedHosts: ['auth.example.test'] })));
    assert.match(html, /3 older exchanges of this tab were let go \(limit 200 a tab\)\./);
    assert.match(html, /A token call to auth\.example\.test was missed here .* Watch auth\.example\.test too/);
  });
});

test('hostile values come out as escaped text, never as markup or links', () => {
  const pwn = '<img src=x onerror="window.__pwned=1">';
  const token = `${Buffer.from(JSON.stringify({ alg: 'RS256', kid: '<svg onload=x>' })).toString('base64url')}.${Buffer.from(JSON.stringify({ aud: [pwn, 'javascript:alert(1)'], scope: '<script>x</script> read', exp: 4102444800 })).toString('base64url')}.sig`;
  const report = buildReport(
    [
      exchange(
        {
          access_token: token,
          token_type: '<u>Bearer</u>',
          resource_server: '<svg/onload=window.__pwned=8>',
          scope: '<script>window.__pwned=9</script> openid',
        },
        { grant_type: 'authorization_code', code: 'x' },
      ),
      exchange(
        { error: pwn, error_description: '<a href="javascript:window.__pwned=12">click</a>' },
        { grant_type: '<b>refresh_token</b>' },
        { status: 400 },
      ),
    ],
    {},
  );
  const html = render(tabView(report));
  // The map's own <svg> is the one element of that name; hostile names inside it are text.
  assert.equal((html.match(/<svg[\s/>]/gi) ?? []).length, 1);
  assert.match(html, /<svg viewBox="0 0 560 \d+" width="100%" role="group"/);
  assert.doesNotMatch(html, /<(img|script|iframe|u|b)[\s/>]/i);
  assert.ok(texts(html, 'span', 'rs-name').includes('<svg/onload=window.__pwned=8>'));
  assert.ok(texts(html, 'li', 'scope').includes('<script>window.__pwned=9</script>'));
  assert.ok(texts(html, 'p', 'message').some((message) => message.includes(pwn)));
  assert.ok(texts(html, 'span', 'grant').includes('<b>refresh_token</b>'));
  for (const [, href] of html.matchAll(/href="([^"]*)"/g)) assert.match(href ?? '', /^(rules\.html#[a-z-]+|\?tab=\d+|#sign-in-[0-9a-f]+)$/);
});

describe('hostile values in the panel list and detail and in the timeline', () => {
  const pwn = '<img src=x onerror="window.__pwned=1">';
  const authorize =
    `https://as.example.test/authorize?response_type=code&client_id=${encodeURIComponent(pwn)}&state=s` +
    `&redirect_uri=https%3A%2F%2Fapp.example.test%2Fcb&scope=${encodeURIComponent('<script>window.__pwned=2</script> openid')}`;
  const denied = `https://app.example.test/cb?error=${encodeURIComponent('<b>denied</b>')}&error_description=${encodeURIComponent('<a href="javascript:alert(1)">click</a>')}&state=s`;
  const report = buildReport(
    [
      exchange(
        { access_token: 'opaque', token_type: '<u>Bearer</u>', resource_server: '<svg/onload=window.__pwned=8>', scope: '<i>x</i>' },
        { grant_type: 'client_credentials' },
      ),
      exchange(
        { error: pwn, error_description: '<a href="javascript:window.__pwned=12">click</a>' },
        { grant_type: '<b>refresh_token</b>' },
        { status: 400, url: 'https://as.example.test/token?<script>=1' },
      ),
    ],
    { signInSteps: [nav(authorize, T0), nav(denied, T1)] },
  );
  const view = tabView(report);
  const list = renderToString(
    h(PanelView, { view, rulesUrl: RULES_URL, importedFrom: undefined, actions: noActions, actionError: null, includeTokens: false }),
  );
  const rows = panelRows(report);
  const details = rows.map((row) =>
    renderToString(h(PanelDetail, { id: 'd', view, row, signInRow: null, rulesUrl: RULES_URL, importedFrom: undefined, onSelect() {} })),
  );
  const noMarkupFromData = (html: string) => {
    assert.doesNotMatch(html, /<(img|script|iframe|u|b|i|a href="javascript)[\s/>]/i);
    assert.equal(
      (html.match(/<svg[\s/>]/gi) ?? []).length,
      (html.match(/<svg viewBox="0 0 560 \d+" width="100%" role="group"/g) ?? []).length,
    );
    for (const [, href] of html.matchAll(/href="([^"]*)"/g))
      assert.match(href ?? '', /^(rules\.html#[a-z-]+|\?tab=\d+|#sign-in-[0-9a-f]+)$/);
  };

  test('the list: every row, values as text in its columns', () => {
    assert.equal(rows.length, 3);
    assert.deepEqual(texts(list, 'span', 'col-grant'), ['Grant', 'sign-in (code)', 'client_credentials', '<b>refresh_token</b>']);
    // (An attribute may hold a raw '>': read this column by its exact markup.)
    assert.ok(list.includes('<span class="col-servers" title="&lt;svg/onload=window.__pwned=8>">&lt;svg/onload=window.__pwned=8></span>'));
    assert.match(list, /<input type="search"/);
    assert.match(list, /role="separator" aria-orientation="vertical" aria-valuenow="46"/);
    noMarkupFromData(list);
  });

  test("each row's detail, the timeline included: the hostile request, refusal and error are text", () => {
    for (const html of details) noMarkupFromData(html);
    const signIn = details[rows.findIndex((row) => row.kind === 'sign-in')] ?? '';
    const steps = texts(signIn, 'p', 'step-summary');
    assert.deepEqual(steps, ['Authorization request to https://as.example.test/authorize', 'Consent refused']);
    assert.ok(texts(signIn, 'p', 'step-detail muted').some((line) => line.includes('<script>window.__pwned=2</script>')));
    assert.ok(texts(signIn, 'p', 'step-detail muted').some((line) => line.includes(`client ${pwn}`)));
    assert.deepEqual(texts(signIn, 'p', 'step-error-text'), ['Error: refused: <b>denied</b> (<a href="javascript:alert(1)">click</a>)']);
    const failed = details[rows.findIndex((row) => row.grant === '<b>refresh_token</b>')] ?? '';
    assert.deepEqual(texts(failed, 'div', 'endpoint'), ['POST https://as.example.test/token?<script>=1 · 400']);
  });
});

describe('from a plain view source', () => {
  const exchanges = Array.from({ length: 12 }, (_, i) =>
    fixtureExchanges('globus-dependent-tokens', `2026-01-10T10:${String(10 + i)}:00.000Z`),
  ).flat();
  const view = tabView(buildReport(exchanges, {}));

  test('App says it is loading until the source answers', () => {
    const html = renderToString(h(App, { source: plainSource(view), rulesUrl: RULES_URL, mode: 'panel' }));
    assert.equal(html, '<p class="loading app-panel" aria-busy="true">Loading…</p>');
  });

  test('the first exchanges, then older ones on request', async () => {
    const html = render(await plainSource(view).load(FIRST_SHOWN));
    assert.equal(texts(html, 'span', 'rs-name').length, FIRST_SHOWN);
    assert.match(text(html), /Show older exchanges \(4 more\)/);
    assert.equal(texts(html, 'p', 'summary')[0], '12 exchanges · 1 resource server · 0 high, 0 medium, 0 low');
  });
});

test('an imported HAR: its name, its exchanges marked imported, values only on reveal', async () => {
  const reader = new InputStreamReader('chromium-sign-in.har', '2026-01-10T10:00:00.000Z');
  reader.push(readFileSync(join(fixtures, 'har/chromium-sign-in.har')));
  const source = importedSource('chromium-sign-in.har', analyzeImport(reader.end()));
  const view = await source.load(FIRST_SHOWN);
  const html = render(view, source.importedFrom);
  assert.deepEqual(texts(html, 'span', 'site'), ['Imported: chromium-sign-in.har']);
  assert.match(html, /<button type="button">Back to this tab<\/button>/);
  assert.ok(!text(html).includes('Clear all'));
  assert.deepEqual(texts(html, 'span', 'how how-imported'), ['imported', 'imported', 'imported']);
  assert.deepEqual(texts(html, 'p', 'message'), [
    'The access token for https://api.example.test is also accepted by https://other.example.test: its audience goes beyond its resource server.',
  ]);
  const [first] = view.report.exchanges;
  const token = first?.resourceServers[0]?.tokens[0];
  assert.ok(first && token && token.value === undefined);
  const value = await source.revealToken(first.id, token.fingerprint);
  assert.ok(value && !html.includes(value));
});

describe('the sign-in map', () => {
  const html = render(tabView(globusSignIn()));
  const svg = /<svg[\s\S]*?<\/svg>/.exec(html)?.[0] ?? '';

  test('the headline comes first: one line per sign-in with its worst finding in words', () => {
    const verdicts = /<ul class="verdicts"[\s\S]*?<\/ul>/.exec(html)?.[0] ?? '';
    assert.ok(html.indexOf('class="verdicts"') < html.indexOf('<svg'), 'the verdicts are above the map');
    assert.match(text(verdicts), /^high Sign-in at https:\/\/auth\.globus\.org\/v2\/oauth2\/authorize: The access token for /);
  });

  test('labels name each scope and resource server, elided at the start with the full name as the box label', () => {
    for (const server of [TRANSFER, GROUPS, 'search.api.globus.org'])
      assert.ok(svg.includes(`aria-label="${server}: resource server`), server);
    assert.ok(svg.includes(`aria-label="${GROUPS_SCOPE}"`));
    assert.ok(!svg.includes('<title>'), 'one caption for every box, no title element per box');
    assert.match(svg, /<text[^>]*>…ansfer\.api\.globus\.org:all<\/text>/);
    assert.match(svg, /<text[^>]*>…my_groups_and_memberships<\/text>/);
    assert.match(svg, /<text[^>]*>transfer\.api\.globus\.org<\/text>/, 'a server name that fits is whole');
  });

  test('a requested scope no token carries is marked, and its server says no token', () => {
    assert.match(
      svg,
      /<g class="map-node map-scope missing"[^>]*aria-label="urn:globus:auth:scope:search\.api\.globus\.org:all: requested, no token carries it"/,
    );
    assert.match(svg, /<text[^>]*>✗ …arch\.api\.globus\.org:all<\/text>/);
    assert.match(svg, /class="map-node map-server no-token"/);
  });

  test('the token whose audience reaches another server has a red line, labelled with the rule', () => {
    assert.equal((svg.match(/class="map-reach"/g) ?? []).length, 1);
    assert.match(
      svg,
      /aria-label="access token \(jwt\) for transfer\.api\.globus\.org, sha256:[^;]+; also reaches groups\.api\.globus\.org \(audience-beyond-server, high\)"/,
    );
    assert.match(svg, /<text[^>]*class="map-rule"[^>]*>audience-beyond-server<\/text>/);
    assert.equal((svg.match(/>unverifiable audience</g) ?? []).length, 2, 'both opaque access tokens');
  });

  test('the table alternative says the same in rows (made when its details are opened)', () => {
    assert.match(html, /<details class="map-table"><summary>The map as a table<\/summary><\/details>/, 'closed, no rows yet');
    const report = globusSignIn();
    const signIn = mappableSignIns(report)[0];
    assert.ok(signIn);
    const table = text(renderToString(h(MapRows, { map: tokenMap(signIn, report.exchanges) })));
    assert.match(
      table,
      new RegExp(`${TRANSFER.replace(/\./g, '\\.')}.*access \\(jwt\\)groups\\.api\\.globus\\.org \\(audience-beyond-server, high\\)`),
    );
    assert.match(table, /search\.api\.globus\.org.*:all \(no token carries it\)none issued/);
    assert.ok(table.includes(SEARCH_SCOPE));
  });

  test('the popup shows the timeline in the sign-in, after its map: each step with its time since the start', () => {
    assert.ok(html.indexOf('<ol class="steps"') > html.indexOf('</svg>'), 'the timeline is under the map');
    assert.deepEqual(texts(html, 'time', 'step-time'), ['+0.0 s', '+6.0 s']);
    assert.deepEqual(texts(html, 'p', 'step-summary'), [
      'Authorization request to https://auth.globus.org/v2/oauth2/authorize',
      'Code exchange at https://auth.globus.org/v2/oauth2/token → 200',
    ]);
    assert.match(html, /<li class="step step-code-exchange sev-high">/);
  });

  test('a code exchange seen without its authorization request still gets a map', () => {
    const alone = buildReport([
      exchange({ access_token: 'opaque-at', token_type: 'Bearer', scope: 'read' }, { grant_type: 'authorization_code', code: 'c' }),
    ]);
    const shown = render(tabView(alone));
    assert.match(text(shown), /authorization_code exchange at as\.example\.test: nothing wrong found: 1 token for 1 resource server/);
    assert.match(shown, /<svg/);
  });
});

describe('the offer to show hidden iframes’ and login popups’ authorization requests', () => {
  const silent = buildReport([], {
    signInSteps: [
      { url: `${SITE}/silent?code=c1&state=s1`, method: 'GET', at: '2026-01-10T10:00:00.000Z', frame: 'iframe', source: 'page-hook' },
    ],
  });
  const offer = /Show those requests/;

  test('said when a sign-in answered in an iframe with no request seen and the permission is not granted', () => {
    assert.match(text(render(tabView(silent, {}, { frameNavigations: 'not-granted' }))), offer);
  });

  test('not said once granted, for a sign-in answered in the page itself, nor for an imported file', () => {
    assert.doesNotMatch(text(render(tabView(silent, {}, { frameNavigations: 'granted' }))), offer);
    const top = buildReport([], {
      signInSteps: [
        { url: `${SITE}/cb?code=c1&state=s1`, method: 'GET', at: '2026-01-10T10:00:00.000Z', frame: 'top', source: 'page-hook' },
      ],
    });
    assert.doesNotMatch(text(render(tabView(top, {}, { frameNavigations: 'not-granted' }))), offer);
    assert.doesNotMatch(text(render(tabView(silent))), offer);
  });
});
