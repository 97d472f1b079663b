/** Watch this tab's site, or stop watching it. */
import type { ViewState } from '../../protocol/view-state.js';
import type { ViewActions } from '../hooks/use-actions.js';

export function WatchControl({ view, actions }: { view: ViewState; actions: ViewActions }) {
  if (view.isWatched) {
    return (
      <span class="watching">
        Watching{' '}
        <button type="button" class="link" onClick={() => actions.stopWatchingSite(view)}>
          Stop watching
        </button>
      </span>
    );
  }
  return (
    <button type="button" class="primary" onClick={() => actions.watchSite(view)}>
      Watch this site
    </button>
  );
}
