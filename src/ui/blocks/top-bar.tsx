/** The view's header: whose exchanges these are (a site, a tab, a file) and the watch or back button. */
import type { ViewState } from '../../protocol/view-state.js';
import type { ViewActions } from '../hooks/use-actions.js';
import { WatchControl } from './watch-control.js';

function siteLabel(view: ViewState, importedFrom: string | undefined): string {
  if (importedFrom) return `Imported: ${importedFrom}`;
  return view.site ?? (view.tabId === null ? 'no tab' : 'this page');
}

export function TopBar({ view, importedFrom, actions }: { view: ViewState; importedFrom: string | undefined; actions: ViewActions }) {
  return (
    <header class="bar">
      <h1>Tokenscope</h1>
      <span class="site" title={view.tabUrl ?? ''}>
        {siteLabel(view, importedFrom)}
      </span>
      {importedFrom ? (
        <button type="button" onClick={actions.backToTab}>
          Back to this tab
        </button>
      ) : view.site !== null ? (
        <WatchControl view={view} actions={actions} />
      ) : null}
    </header>
  );
}
