/** Export the report as JSON or Markdown, with or without token values. */
import type { ViewActions } from '../hooks/use-actions.js';

export function ReportActions({
  hasExchanges,
  includeTokens,
  actions,
}: {
  hasExchanges: boolean;
  includeTokens: boolean;
  actions: ViewActions;
}) {
  return (
    <fieldset class="actions">
      <legend class="visually-hidden">Report</legend>
      <button type="button" disabled={!hasExchanges} onClick={() => actions.exportAs('json')}>
        Export JSON
      </button>
      <button type="button" disabled={!hasExchanges} onClick={() => actions.exportAs('markdown')}>
        Export Markdown
      </button>
      <label class="check">
        <input
          type="checkbox"
          checked={includeTokens}
          onChange={(event) => actions.setIncludeTokens((event.target as HTMLInputElement).checked)}
        />{' '}
        include token values
      </label>
    </fieldset>
  );
}
