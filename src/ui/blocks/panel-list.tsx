/**
 * The panel's list (the Network panel's left side): a filter box, then one row per sign-in and
 * exchange with its time, endpoint, grant, resource servers and finding counts. A listbox: the
 * selected row is the one Tab stops on, arrows and Home/End move the selection (the detail follows).
 */
import { useLayoutEffect, useRef } from 'preact/hooks';
import type { Severity } from '../../core/types.js';
import { Clip } from '../components/clip.js';
import { SeverityPill } from '../components/severity-pill.js';
import type { PanelRow } from '../panel-rows.js';

function timeLabel(at: string): string {
  const time = new Date(at);
  return Number.isNaN(time.getTime()) ? at : time.toLocaleTimeString();
}

function shortEndpoint(endpoint: string): string {
  try {
    const url = new URL(endpoint);
    return `${url.host}${url.pathname}`;
  } catch {
    return endpoint;
  }
}

const SHOWN: readonly Severity[] = ['high', 'medium', 'low'];

function Counts({ counts }: { counts: Record<Severity, number> }) {
  const shown = SHOWN.filter((severity) => counts[severity] > 0);
  if (shown.length === 0) return <span class="muted">{counts.info > 0 ? `${counts.info} info` : 'none'}</span>;
  return (
    <>
      {shown.map((severity) => (
        <SeverityPill key={severity} severity={severity}>
          {counts[severity]} {severity}
        </SeverityPill>
      ))}
    </>
  );
}

function Row({ row, selected, focusable, onSelect }: { row: PanelRow; selected: boolean; focusable: boolean; onSelect(): void }) {
  const worst = SHOWN.find((severity) => row.counts[severity] > 0);
  return (
    <div
      role="option"
      aria-selected={selected}
      tabIndex={focusable ? 0 : -1}
      data-key={row.key}
      class={`row row-${row.kind}${selected ? ' selected' : ''}${worst ? ` worst-${worst}` : ''}`}
      onClick={onSelect}
      onKeyDown={(event) => {
        if (event.key === 'Enter' || event.key === ' ') {
          event.preventDefault();
          onSelect();
        }
      }}
    >
      <span class="col-time">{timeLabel(row.at)}</span>
      <span class="col-endpoint" title={row.endpoint}>
        <Clip text={shortEndpoint(row.endpoint)} max={200} />
      </span>
      <span class="col-grant">
        <Clip text={row.grant} max={60} />
      </span>
      <span class="col-servers" title={row.servers.join(', ')}>
        <Clip text={row.servers.join(', ') || '–'} max={300} />
      </span>
      <span class="col-findings">
        <Counts counts={row.counts} />
      </span>
    </div>
  );
}

/** Where a key moves the selection in a list whose last index is `last`, from `from` (-1: none); null for another key. */
function movedTo(key: string, from: number, last: number): number | null {
  const moves: Record<string, number> = {
    ArrowDown: Math.min(last, from + 1),
    ArrowUp: Math.max(0, from - 1),
    Home: 0,
    End: last,
    PageDown: Math.min(last, from + 10),
    PageUp: Math.max(0, from - 10),
  };
  return Object.hasOwn(moves, key) ? (moves[key] ?? null) : null;
}

function FilterBar({ filter, onFilter, shown, total }: { filter: string; onFilter(filter: string): void; shown: number; total: number }) {
  return (
    <div class="filter-bar">
      <input
        type="search"
        class="filter"
        aria-label="Filter by host, scope, rule or severity"
        placeholder="Filter: host, scope, rule, severity"
        value={filter}
        onInput={(event) => onFilter((event.currentTarget as HTMLInputElement).value)}
      />
      <span class="muted filter-count" aria-live="polite">
        {shown === total ? `${total} item${total === 1 ? '' : 's'}` : `${shown} of ${total}`}
      </span>
    </div>
  );
}

export interface PanelListProps {
  id: string;
  rows: readonly PanelRow[];
  /** Every row before the filter: for the count. */
  total: number;
  filter: string;
  onFilter(filter: string): void;
  selected: string | null;
  onSelect(key: string): void;
  /** Older exchanges not loaded yet (an imported file), and how to load them. */
  olderCount: number;
  onShowOlder(): void;
}

export function PanelList({ id, rows, total, filter, onFilter, selected, onSelect, olderCount, onShowOlder }: PanelListProps) {
  const list = useRef<HTMLDivElement>(null);
  const moved = useRef(false);
  const index = rows.findIndex((row) => row.key === selected);
  const focusKey = index >= 0 ? selected : (rows[0]?.key ?? null);

  // After a keyboard move, focus follows the selection (before the browser paints: no frame with the old row focused).
  useLayoutEffect(() => {
    if (!moved.current) return;
    moved.current = false;
    for (const option of list.current?.querySelectorAll<HTMLElement>('[role="option"]') ?? [])
      if (option.dataset.key === focusKey) option.focus();
  });

  const onKeyDown = (event: KeyboardEvent) => {
    if (rows.length === 0) return;
    // From the row that has focus: keys pressed faster than the list re-renders still move one row each. With nothing
    // selected yet, the first ArrowDown selects the focused row itself.
    const focused = (event.target as HTMLElement).closest<HTMLElement>('[role="option"]')?.dataset.key;
    const at = rows.findIndex((row) => row.key === focused);
    const from = at < 0 ? index : index < 0 ? at - 1 : at;
    const next = movedTo(event.key, from, rows.length - 1);
    if (next === null) return;
    event.preventDefault();
    const row = rows[next];
    if (!row) return;
    moved.current = true;
    onSelect(row.key);
  };

  return (
    <section class="master" id={id} aria-label="Sign-ins and exchanges">
      <FilterBar filter={filter} onFilter={onFilter} shown={rows.length} total={total} />
      <div class="row row-head" aria-hidden="true">
        <span class="col-time">Time</span>
        <span class="col-endpoint">Endpoint</span>
        <span class="col-grant">Grant</span>
        <span class="col-servers">Resource servers</span>
        <span class="col-findings">Findings</span>
      </div>
      {rows.length > 0 ? (
        <div class="rows" role="listbox" aria-label="Sign-ins and exchanges" ref={list} onKeyDown={onKeyDown} tabIndex={-1}>
          {rows.map((row) => (
            <Row
              key={row.key}
              row={row}
              selected={row.key === selected}
              focusable={row.key === focusKey}
              onSelect={() => onSelect(row.key)}
            />
          ))}
        </div>
      ) : (
        <p class="muted empty-list">{total === 0 ? 'Nothing captured in this tab yet.' : 'No item matches the filter.'}</p>
      )}
      {olderCount > 0 ? (
        <button type="button" class="more" onClick={onShowOlder}>
          Show older exchanges ({olderCount} more)
        </button>
      ) : null}
    </section>
  );
}
