/**
 * The panel's detail (the Network panel's right side): the selected sign-in (headline, map, timeline,
 * then its exchanges) or exchange (its card, and a way to its sign-in); with nothing selected, what
 * the tab holds and how to pick. Built from the same blocks as the popup.
 */
import { mappableSignIns } from '../../core/analysis/token-map.js';
import type { SignInReport } from '../../core/sign-in/types.js';
import type { ExchangeReport, Report } from '../../core/types.js';
import type { ViewState } from '../../protocol/view-state.js';
import { Guarded } from '../components/guarded.js';
import type { PanelRow } from '../panel-rows.js';
import { summaryLine } from '../summary-line.js';
import { EmptyState } from './empty-state.js';
import { ExchangeCard } from './exchange-card.js';
import { mapped, SignInSection } from './sign-in-list.js';

function exchangesOf(report: Report, ids: readonly string[]): ExchangeReport[] {
  return ids.map((id) => report.exchanges.find((exchange) => exchange.id === id)).filter((e): e is ExchangeReport => e !== undefined);
}

export interface PanelDetailProps {
  id: string;
  view: ViewState;
  row: PanelRow | null;
  /** The sign-in row this exchange belongs to, if the list has one. */
  signInRow: PanelRow | null;
  rulesUrl: string;
  importedFrom: string | undefined;
  onSelect(key: string): void;
}

/** The sign-in an exchange is all of (a code exchange seen alone): the list has no row of its own for it, so its map goes with the exchange. */
function soloSignIn(report: Report, exchangeId: string): SignInReport | null {
  return mappableSignIns(report).find((signIn) => signIn.exchanges.length === 1 && signIn.exchanges[0] === exchangeId) ?? null;
}

function Overview({ view, importedFrom }: { view: ViewState; importedFrom: string | undefined }) {
  if (view.report.exchanges.length === 0 && !(view.report.signIns ?? []).length)
    return importedFrom ? <p class="muted">No token exchange in {importedFrom}.</p> : <EmptyState view={view} />;
  return (
    <>
      <p class="summary">{summaryLine(view.report.summary)}</p>
      <p class="muted">Select a sign-in or an exchange in the list to see its detail here.</p>
    </>
  );
}

function SoloMap({ report, exchangeId, rulesUrl }: { report: Report; exchangeId: string; rulesUrl: string }) {
  const signIn = soloSignIn(report, exchangeId);
  return signIn ? <SignInSection entry={mapped(signIn, report.exchanges)} exchanges={report.exchanges} rulesUrl={rulesUrl} /> : null;
}

export function PanelDetail({ id, view, row, signInRow, rulesUrl, importedFrom, onSelect }: PanelDetailProps) {
  const report = view.report;
  return (
    // A scrollable region that keyboard users can reach and scroll (it is labelled by what it shows).
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be focusable to scroll with the keyboard (WCAG 2.1.1).
    <section class="detail" id={id} tabIndex={0} aria-label={row ? `Detail of the selected ${row.kind}` : 'Detail'}>
      <Guarded key={row?.key ?? 'none'}>
        {row === null ? <Overview view={view} importedFrom={importedFrom} /> : null}
        {row?.signIn ? (
          <>
            <SignInSection entry={mapped(row.signIn, report.exchanges)} exchanges={report.exchanges} rulesUrl={rulesUrl} />
            {row.signIn.exchanges.length ? <h2 class="detail-heading">Its exchanges</h2> : null}
            {exchangesOf(report, row.signIn.exchanges).map((exchange) => (
              <ExchangeCard key={exchange.id} exchange={exchange} capture={view.captures[exchange.id]} rulesUrl={rulesUrl} />
            ))}
          </>
        ) : null}
        {row?.exchange ? (
          <>
            {signInRow ? (
              <p class="muted">
                Part of a sign-in:{' '}
                <button type="button" class="link" onClick={() => onSelect(signInRow.key)}>
                  show the sign-in
                </button>
              </p>
            ) : null}
            <SoloMap report={report} exchangeId={row.exchange.id} rulesUrl={rulesUrl} />
            <ExchangeCard exchange={row.exchange} capture={view.captures[row.exchange.id]} rulesUrl={rulesUrl} />
          </>
        ) : null}
      </Guarded>
    </section>
  );
}
