/** Other tabs with captured exchanges, each a link to its view (`?tab=ID`). */
import type { ViewState } from '../../protocol/view-state.js';
import { countLabel } from '../../core/format/summary.js';

export function OtherTabs({ tabs }: { tabs: ViewState['otherTabs'] }) {
  if (tabs.length === 0) return null;
  return (
    <details class="other-tabs">
      <summary>Other tabs ({tabs.length})</summary>
      <ul>
        {tabs.map((tab) => (
          <li key={tab.tabId}>
            <a href={`?tab=${tab.tabId}`}>{tab.site}</a>{' '}
            <span class="muted">
              {countLabel(tab.exchanges, 'exchange')}
              {tab.high > 0 ? `, ${tab.high} high` : ''}
            </span>
          </li>
        ))}
      </ul>
    </details>
  );
}
