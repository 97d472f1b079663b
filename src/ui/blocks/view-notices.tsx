/** What the user should know before the exchanges: a failed action, the tab's notes, exchanges this tab let go, hosts to watch too. */
import type { ViewState } from '../../protocol/view-state.js';
import { Notice } from '../components/notice.js';
import type { ViewActions } from '../hooks/use-actions.js';
import { UnreadContexts, UnreadRequests } from './unread-notice.js';

/** The SDKs whose service worker holds tokens of this view (src/core/held-tokens.ts), each named once. */
function heldBy(view: ViewState): string[] {
  const names = new Set<string>();
  for (const exchange of view.report.exchanges)
    for (const server of exchange.resourceServers) for (const token of server.tokens) if (token.heldBy) names.add(token.heldBy);
  return [...names];
}

/** A sign-in here answered in a hidden iframe or a login popup, with no authorization request seen for it. */
export function needsFrameNavigations(view: ViewState): boolean {
  if (view.frameNavigations !== 'not-granted') return false;
  return view.report.signIns.some(
    (signIn) => !signIn.authorization && (signIn.response?.frame === 'iframe' || signIn.response?.frame === 'popup'),
  );
}

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
          <UnreadContexts contexts={(view.unread ?? []).filter((u) => u.kind === 'context')} heldBy={heldBy(view)} />
        </>
      ) : null}
      {view.dropped > 0 ? (
        <Notice tone="warn">
          {view.dropped.toLocaleString('en-US')} older exchange{view.dropped === 1 ? '' : 's'} of this tab{' '}
          {view.dropped === 1 ? 'was' : 'were'} let go (limit {view.capacity} a tab). Other tabs keep theirs; export the report to keep
          everything.
        </Notice>
      ) : null}
      {needsFrameNavigations(view) ? (
        <Notice>
          A sign-in here came back in a hidden iframe or a login popup, whose authorization request no script of the page can see.{' '}
          <button type="button" class="link" onClick={() => actions.allowFrameNavigations()}>
            Show those requests
          </button>{' '}
          lets Tokenscope read where the frames and popups of watched sites navigate (the browser's webNavigation permission, which it calls
          "Read your browsing history"); nothing else is read.
        </Notice>
      ) : null}
      {view.suggestedHosts.length > 0 ? (
        <Notice>
          A token call to {view.suggestedHosts.join(', ')} was missed here (seen and not read, or a sign-in's code with no exchange after
          it). Watch{' '}
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
