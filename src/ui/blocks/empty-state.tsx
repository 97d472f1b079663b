/**
 * No exchange in this tab yet: why (not watched, seen and not readable, or nothing seen) and what to do. "No token
 * exchange seen" is said only when no token request of this tab was seen either.
 */
import type { ViewState } from '../../protocol/view-state.js';
import { Notice } from '../components/notice.js';
import { UnreadContexts, UnreadRequests } from './unread-notice.js';

export function EmptyState({ view }: { view: ViewState }) {
  if (!view.isWatched) {
    return (
      <Notice>
        <p>
          Tokenscope is not watching {view.site ?? 'this page'}. It sees nothing on a site until you allow it:{' '}
          {view.site ? (
            <>
              <strong>Watch this site</strong>, then sign in to your app.
            </>
          ) : (
            'open Tokenscope from the toolbar on that page and choose Watch this site.'
          )}
        </p>
        <p class="muted">
          Without watching, the DevTools panel (Tokenscope tab) still captures while DevTools is open, and you can import a HAR.
        </p>
      </Notice>
    );
  }
  const unread = view.unread ?? [];
  const requests = unread.filter((u) => u.kind === 'request');
  const contexts = unread.filter((u) => u.kind === 'context');
  if (requests.length > 0)
    return (
      <>
        <UnreadRequests requests={requests} />
        <UnreadContexts contexts={contexts} />
      </>
    );
  return (
    <>
      <Notice>
        <p>Watching {view.site}. No token exchange seen in this tab yet: sign in to your app and they appear here.</p>
        <p class="muted">
          If your app exchanges its code on its own server (back-channel), the browser never sees the tokens: back-channel exchanges are not
          observable here. Use the DevTools panel on the server's own UI, import a HAR, or run the tokenscope CLI on a capture from the
          server.
        </p>
      </Notice>
      <UnreadContexts contexts={contexts} />
    </>
  );
}
