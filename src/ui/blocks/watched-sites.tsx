/** The sites Tokenscope may watch, each removable. */
import type { ViewState } from '../../protocol/view-state.js';

export function WatchedSites({ view, onRemove }: { view: ViewState; onRemove: (pattern: string) => void }) {
  if (view.watchedSites.length === 0) return <span class="muted">No site watched.</span>;
  return (
    <details class="watched">
      <summary>Watched sites ({view.watchedSites.length})</summary>
      <ul>
        {view.watchedSites.map((pattern) => (
          <li key={pattern}>
            <code>{pattern}</code>{' '}
            <button type="button" class="link" aria-label={`Stop watching ${pattern}`} onClick={() => onRemove(pattern)}>
              remove
            </button>
          </li>
        ))}
      </ul>
    </details>
  );
}
