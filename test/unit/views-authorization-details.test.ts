/**
 * RFC 9396 authorization details in the views, rendered in Node from real core output: the recorded Chromium +
 * oidc-provider sign-in (test/fixtures/har/chromium-rar-sign-in.har), where the user granted `payment_initiation`
 * without `write`, and a hostile response whose details carry markup and megabytes. Read back as a user reads them.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { buildReport } from '../../src/core/analysis/index.js';
import { signInTimeline } from '../../src/core/analysis/sign-in-timeline.js';
import { mappableSignIns, tokenMap } from '../../src/core/analysis/token-map.js';
import type { Report } from '../../src/core/types.js';
import { analyzeHar } from '../../src/lib/index.js';
import { MapRows } from '../../src/ui/blocks/sign-in-map-table.js';
import { SignInMap } from '../../src/ui/blocks/sign-in-map.js';
import { exchange } from './helpers.js';
import { renderPopup, tabView } from './view-render.js';

const har = readFileSync(join(import.meta.dirname, '../fixtures/har/chromium-rar-sign-in.har'), 'utf8');
const SITE = 'http://127.0.0.1:1';

const popup = (report: Report) => renderPopup(tabView(report, { site: SITE, tabUrl: `${SITE}/`, seenBy: ['har'] }));
const text = (html: string) =>
  html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

test('the popup shows the granted detail beside the scopes and the dropped right struck through', () => {
  const html = popup(analyzeHar(har));
  const list = /<ul class="scopes details"[^>]*>([\s\S]*?)<\/ul>/.exec(html)?.[1] ?? '';
  assert.match(text(list), /payment_initiation \[initiate, status\] at https:\/\/api\.example\.test/);
  assert.match(
    list,
    /<li class="scope detail dropped" title="requested, not granted"><del>payment_initiation: action &quot;write&quot; requested, not granted<\/del><\/li>/,
  );
});

test('the map marks the server with the right not granted, its table and the timeline say which', () => {
  const report = analyzeHar(har);
  const [signIn] = mappableSignIns(report);
  assert.ok(signIn);
  const map = tokenMap(signIn, report.exchanges);
  const svg = renderToString(h(SignInMap, { map, label: 'sign-in map' }));
  assert.match(svg, /✗ 1 right not granted/);
  assert.match(text(renderToString(h(MapRows, { map }))), /payment_initiation: action "write" requested, not granted/);
  const lines = signInTimeline(signIn, report.exchanges).flatMap((event) => [event.summary, ...event.details]);
  assert.ok(
    lines.some((line) => /authorization details payment_initiation \[initiate, status, write\]/.test(line)),
    lines.join('\n'),
  );
  assert.ok(lines.includes('not granted: payment_initiation: action "write" requested, not granted'), lines.join('\n'));
});

test('hostile details render as capped text, never markup', () => {
  const hostile = buildReport([
    exchange(
      {
        access_token: 'opaque-1',
        token_type: 'Bearer',
        authorization_details: [{ type: `<img src=x onerror=alert(1)>${'A'.repeat(100_000)}`, actions: ['<script>alert(2)</script>'] }],
      },
      { grant_type: 'client_credentials', authorization_details: JSON.stringify([{ type: 'payment_initiation', actions: ['write'] }]) },
    ),
  ]);
  const html = popup(hostile);
  assert.doesNotMatch(html, /<img|<script/);
  const list = /<ul class="scopes details"[^>]*>([\s\S]*?)<\/ul>/.exec(html)?.[1] ?? '';
  assert.match(list, /&lt;img src=x onerror=alert\(1\)>A+…/);
  assert.ok(list.length < 3000, `the list is capped (${list.length} characters)`);
});
