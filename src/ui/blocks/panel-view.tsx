/**
 * The DevTools panel, laid out like the Network panel: the bar and notices on top, then the list of
 * the tab's sign-ins and exchanges (filterable) beside the selected one's detail, the split
 * resizable; the report and data actions at the foot. The popup keeps `TabView`.
 */
import { useMemo, useRef } from 'preact/hooks';
import { Splitter } from '../components/splitter.js';
import { useFileDrop } from '../hooks/use-file-drop.js';
import { LIST_WIDTH, type PanelMemory, usePanelState } from '../hooks/use-panel-state.js';
import { filterRows, panelRows } from '../panel-rows.js';
import { ImportProgress } from './import-progress.js';
import { PanelDetail } from './panel-detail.js';
import { PanelList } from './panel-list.js';
import { type TabViewProps, ViewFooter } from './tab-view.js';
import { TopBar } from './top-bar.js';
import { ViewNotices } from './view-notices.js';

/** The popup's props (`TabViewProps`) but its mode: the panel is always the panel. */
export interface PanelViewProps extends Omit<TabViewProps, 'mode'> {
  /** Where the panel's selection, filter and width are kept between openings (the tab's view only, not an imported file). */
  memory?: PanelMemory;
}

export function PanelView({ view, rulesUrl, importedFrom, importing, actions, actionError, includeTokens, memory }: PanelViewProps) {
  const { dragging, dropHandlers } = useFileDrop(actions.importFile);
  const state = usePanelState(importedFrom ? undefined : memory);
  const split = useRef<HTMLDivElement>(null);
  const rows = useMemo(() => panelRows(view.report), [view.report]);
  const shown = useMemo(() => filterRows(rows, state.filter), [rows, state.filter]);
  const row = rows.find((candidate) => candidate.key === state.selected) ?? null;
  const signInRow = row?.exchange ? (rows.find((candidate) => candidate.signIn?.exchanges.includes(row.exchange?.id ?? '')) ?? null) : null;
  return (
    <div class={`app app-panel panel-layout${dragging ? ' dragging' : ''}`} {...dropHandlers}>
      <TopBar view={view} importedFrom={importedFrom} actions={actions} />
      <div class="panel-notices">
        {importing ? <ImportProgress importing={importing} onCancel={actions.cancelImport} /> : null}
        <ViewNotices view={view} actionError={actionError} actions={actions} />
      </div>
      <div class="split" ref={split} style={{ gridTemplateColumns: `${state.listWidth}% auto minmax(0, 1fr)` }}>
        <PanelList
          id="panel-list"
          rows={shown}
          total={rows.length}
          filter={state.filter}
          onFilter={state.setFilter}
          selected={state.selected}
          onSelect={state.select}
          olderCount={Math.max(0, view.totalExchanges - view.report.exchanges.length)}
          onShowOlder={actions.showOlder}
        />
        <Splitter
          value={state.listWidth}
          min={LIST_WIDTH.min}
          max={LIST_WIDTH.max}
          onChange={state.setListWidth}
          container={split}
          controls="panel-list"
          label="Resize the list"
        />
        <PanelDetail
          id="panel-detail"
          view={view}
          row={row}
          signInRow={signInRow}
          rulesUrl={rulesUrl}
          importedFrom={importedFrom}
          onSelect={state.select}
        />
      </div>
      <ViewFooter view={view} importedFrom={importedFrom} actions={actions} includeTokens={includeTokens} />
    </div>
  );
}
