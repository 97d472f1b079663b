/** What the user should know before the exchanges: a failed action, the tab's notes, a full store, hosts to watch too. */
import type { ViewState } from '../../protocol/view-state.js';
import { Notice } from '../components/notice.js';
import type { ViewActions } from '../hooks/use-actions.js';
import { UnreadContexts, UnreadRequests } from './unread-notice.js';

export function ViewNotices({ view, actionError, actions }: { view: ViewState; actionError: string | null; actions: ViewActions }) {
  return (
    <>
      {actionError ? <Notice tone="warn">{actionError}</Notice> : null}
      {view.notes.map((note, index) => (
        <Notice key={index} tone="warn">
          {note.message}
        </Notice>
      ))}
      {view.report.exchanges.length > 0 ? (
        // With nothing captured, the empty state says these instead of "no token exchange seen".
        <>
          <UnreadRequests requests={(view.unread ?? []).filter((u) => u.kind === 'request')} />
          <UnreadContexts contexts={(view.unread ?? []).filter((u) => u.kind === 'context')} />
        </>
      ) : null}
      {view.dropped > 0 ? (
        <Notice tone="warn">
          The store is full: {view.dropped} older exchange{view.dropped === 1 ? ' was' : 's were'} dropped (it keeps the last{' '}
          {view.capacity}). Clear some to keep new ones longer.
        </Notice>
      ) : null}
      {view.suggestedHosts.length > 0 ? (
        <Notice>
          This site talks to a token endpoint on {view.suggestedHosts.join(', ')}. Watch{' '}
          {view.suggestedHosts.map((host) => (
            <button key={host} type="button" class="link" onClick={() => actions.watchHost(host)}>
              {host}
            </button>
          ))}{' '}
          too, so its token responses are captured there as well.
        </Notice>
      ) : null}
    </>
  );
}
