/** Import a file (HAR, token response, report); clear this tab's exchanges or all of them. */
import { useRef } from 'preact/hooks';
import type { ViewActions } from '../hooks/use-actions.js';

/** `canClear`: false for an imported file, which nothing stores. */
export function DataActions({ hasExchanges, canClear, actions }: { hasExchanges: boolean; canClear: boolean; actions: ViewActions }) {
  const fileInput = useRef<HTMLInputElement>(null);
  return (
    <fieldset class="actions">
      <legend class="visually-hidden">Data</legend>
      <button type="button" onClick={() => fileInput.current?.click()}>
        Import HAR…
      </button>
      <input
        ref={fileInput}
        type="file"
        class="visually-hidden"
        accept=".har,.gz,.json,application/json,application/gzip,text/plain"
        aria-label="Import a HAR file, a token response or a report"
        tabIndex={-1}
        onChange={(event) => {
          const input = event.target as HTMLInputElement;
          const file = input.files?.[0];
          if (file) actions.importFile(file);
          input.value = '';
        }}
      />
      {canClear ? (
        <>
          <button type="button" disabled={!hasExchanges} onClick={() => actions.clear('tab')}>
            Clear this tab
          </button>
          <button type="button" onClick={() => actions.clear('all')}>
            Clear all
          </button>
        </>
      ) : null}
    </fieldset>
  );
}
