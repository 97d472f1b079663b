/**
 * A scope asked for in the token request alone (no authorization request seen) for a server that got no
 * token: said in words in the CLI table, Markdown, the popup and the panel, not only counted in the summary.
 * The request is a Globus code exchange that names its scopes itself (globus/globus-sdk-python
 * `oauth2_exchange_code_for_tokens` sends them as the form's `scope`), answered with tokens for Globus Auth
 * and Transfer only (test/fixtures/responses/globus-other-tokens.json's shape).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { noColour, toTable } from '../../src/cli/table.js';
import { buildReport } from '../../src/core/analysis/index.js';
import { toMarkdown } from '../../src/core/format/markdown.js';
import type { Report } from '../../src/core/types.js';
import type { ViewState } from '../../src/protocol/view-state.js';
import { PanelDetail } from '../../src/ui/blocks/panel-detail.js';
import { panelRows } from '../../src/ui/panel-rows.js';
import { tokenExchange } from './sign-in-fixtures.js';
import { renderPopup, tabView } from './view-render.js';

const TRANSFER = 'urn:globus:auth:scope:transfer.api.globus.org:all';
const GROUPS = 'urn:globus:auth:scope:groups.api.globus.org:all';
const report = buildReport([
  tokenExchange(
    'https://auth.globus.org/v2/oauth2/token',
    `grant_type=authorization_code&code=foo&client_id=7fb58e00-839d-44e3-8047-10a502612dca&redirect_uri=https%3A%2F%2Fbar.example.org%2F&scope=${encodeURIComponent(`openid ${TRANSFER} ${GROUPS}`)}`,
    {
      access_token: 'auth_access_token',
      scope: 'openid',
      expires_in: 172800,
      token_type: 'Bearer',
      resource_server: 'auth.globus.org',
      other_tokens: [
        {
          access_token: 'transfer_access_token',
          scope: TRANSFER,
          expires_in: 172800,
          token_type: 'Bearer',
          resource_server: 'transfer.api.globus.org',
        },
      ],
    },
  ),
]);

/** What a user reads: the text, markup gone and entities decoded. */
const text = (html: string) =>
  html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');

const view = (of: Report): ViewState => tabView(of, { seenBy: null });

describe('a requested scope of a server that got no token, with no authorization request seen', () => {
  test('the report counts it as a low finding of the sign-in', () => {
    assert.equal(report.summary.findings.low, 1);
    assert.equal(report.signIns[0]?.findings[0]?.rule, 'requested-server-no-token');
  });

  test('the CLI table says it in words, with the server that got no token', () => {
    const table = toTable(report, noColour);
    assert.match(
      table,
      /Sign-in 1 {2}token request https:\/\/auth\.globus\.org\/v2\/oauth2\/token \(exchange 1; no authorization request seen\)/,
    );
    assert.match(
      table,
      /groups\.api\.globus\.org: requested urn:globus:auth:scope:groups\.api\.globus\.org:all; granted -; DROPPED .*; NO TOKEN/,
    );
    assert.match(table, /LOW {5}requested-server-no-token {2}The sign-in asked for urn:globus:auth:scope:groups/);
  });

  test('Markdown says it in words', () => {
    const markdown = toMarkdown(report);
    assert.match(
      markdown,
      /\| `groups\.api\.globus\.org` \| `urn:globus:auth:scope:groups\.api\.globus\.org:all` \| – \| \*\*`urn:globus:auth:scope:groups\.api\.globus\.org:all`\*\* \| \*\*none\*\* \|/,
    );
    assert.match(markdown, /- low \[requested-server-no-token\]\(docs\/RULES\.md#requested-server-no-token\): The sign-in asked for/);
  });

  test('the popup says it in the sign-in section: the server, the scope not granted, the finding', () => {
    const shown = text(renderPopup(view(report)));
    assert.match(shown, /groups\.api\.globus\.org no token issued urn:globus:auth:scope:groups\.api\.globus\.org:all not granted/);
    assert.match(
      shown,
      /low The sign-in asked for urn:globus:auth:scope:groups\.api\.globus\.org:all for groups\.api\.globus\.org, but no token/,
    );
  });

  test("the panel counts it on the exchange's row and says it in the exchange's detail", () => {
    const rows = panelRows(report);
    assert.equal(rows.length, 1, 'a sign-in of one exchange has no row of its own');
    const [row] = rows;
    assert.equal(row?.counts.low, 1);
    assert.ok(row?.rules.includes('requested-server-no-token'));
    const detail = text(
      renderToString(
        h(PanelDetail, {
          id: 'd',
          view: view(report),
          row: row ?? null,
          signInRow: null,
          rulesUrl: 'rules.html',
          importedFrom: undefined,
          onSelect() {},
        }),
      ),
    );
    assert.match(detail, /groups\.api\.globus\.org no token issued/);
    assert.match(detail, /requested-server-no-token/);
  });

  test('a sign-in of one exchange with nothing wrong gets no section in the table', () => {
    const clean = buildReport([
      tokenExchange('https://as.example/token', 'grant_type=client_credentials', { access_token: 'x', token_type: 'Bearer' }),
    ]);
    assert.doesNotMatch(toTable(clean, noColour), /Sign-in 1/);
  });
});
