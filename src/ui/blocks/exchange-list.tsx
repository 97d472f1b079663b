/** The tab's (or file's) exchanges, newest first, under a summary line; or the empty state; older ones on request. */
import type { ViewState } from '../../protocol/view-state.js';
import { Guarded } from '../components/guarded.js';
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
        {exchanges.map((exchange) => (
          <ExchangeCard key={exchange.id} exchange={exchange} capture={view.captures[exchange.id]} rulesUrl={rulesUrl} />
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
