/** The tab's (or file's) exchanges, newest first, under a summary line; or the empty state; older ones on request. */
import { mappableSignIns } from '../../core/analysis/token-map.js';
import type { ViewState } from '../../protocol/view-state.js';
import { Guarded } from '../components/guarded.js';
import { Later } from '../components/later.js';
import { Notice } from '../components/notice.js';
import { summaryLine } from '../summary-line.js';
import { EmptyState } from './empty-state.js';
import { ExchangeCard } from './exchange-card.js';
import { SignInList } from './sign-in-list.js';

export function ExchangeList({
  view,
  importedFrom,
  rulesUrl,
  onShowOlder,
}: {
  view: ViewState;
  importedFrom: string | undefined;
  rulesUrl: string;
  onShowOlder: () => void;
}) {
  const exchanges = view.report.exchanges;
  const mapsFirst = mappableSignIns(view.report).length > 0;
  return (
    <>
      {exchanges.length === 0 ? (
        importedFrom ? (
          <Notice>No token exchange in {importedFrom}.</Notice>
        ) : (
          <EmptyState view={view} />
        )
      ) : (
        <p class="summary">{summaryLine(view.report.summary)}</p>
      )}
      <Guarded key={importedFrom ?? 'tab'}>
        <SignInList report={view.report} rulesUrl={rulesUrl} />
        {exchanges.map((exchange, index) => (
          // The sign-ins' maps come first and fill the first screen; without them, the newest exchange is the first
          // screen. Everything below it renders after the first paint (components/later.tsx).
          <Later key={exchange.id} now={index === 0 && !mapsFirst} height={180}>
            {() => <ExchangeCard exchange={exchange} capture={view.captures[exchange.id]} rulesUrl={rulesUrl} />}
          </Later>
        ))}
      </Guarded>
      {view.totalExchanges > exchanges.length ? (
        <button type="button" class="more" onClick={onShowOlder}>
          Show older exchanges ({view.totalExchanges - exchanges.length} more)
        </button>
      ) : null}
    </>
  );
}
