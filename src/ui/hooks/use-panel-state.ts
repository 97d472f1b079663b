/**
 * What the DevTools panel remembers: the selected row (by its stable key, so new data and navigations of the
 * inspected tab leave it selected), the filter, and the list's width. With a `memory` (the extension's panel, not an
 * imported file) it is kept for the tab in `storage.session`, so closing DevTools and opening it again finds the
 * panel as it was left (the panel page itself goes away with DevTools).
 */
import { useEffect, useRef, useState } from 'preact/hooks';

export const LIST_WIDTH = { initial: 46, min: 20, max: 75 } as const;

/** What is remembered, as stored. */
export interface RememberedPanel {
  selected: string | null;
  filter: string;
  listWidth: number;
}

/** Where the panel's state is kept between openings (devtools/panel-memory.ts). */
export interface PanelMemory {
  load(): Promise<RememberedPanel | null>;
  save(state: RememberedPanel): void;
}

export interface PanelState {
  selected: string | null;
  select(key: string): void;
  filter: string;
  setFilter(filter: string): void;
  listWidth: number;
  setListWidth(width: number): void;
}

/** A stored value read back: anything malformed counts as nothing remembered. */
function checked(value: RememberedPanel | null): RememberedPanel | null {
  if (typeof value !== 'object' || value === null) return null;
  const { selected, filter, listWidth } = value;
  if ((selected !== null && typeof selected !== 'string') || typeof filter !== 'string' || typeof listWidth !== 'number') return null;
  return { selected, filter: filter.slice(0, 200), listWidth: Math.min(LIST_WIDTH.max, Math.max(LIST_WIDTH.min, listWidth)) };
}

export function usePanelState(memory?: PanelMemory): PanelState {
  const [selected, select] = useState<string | null>(null);
  const [filter, setFilter] = useState('');
  const [listWidth, setListWidth] = useState<number>(LIST_WIDTH.initial);
  /** Restored (or nothing to restore): from then on every change is kept. */
  const restored = useRef(!memory);
  useEffect(() => {
    if (!memory) return;
    let current = true;
    memory
      .load()
      .then(checked, () => null)
      .then((state) => {
        if (!current) return;
        // A choice made before the stored one was read wins.
        if (state) {
          select((now) => now ?? state.selected);
          setFilter((now) => now || state.filter);
          setListWidth((now) => (now === LIST_WIDTH.initial ? state.listWidth : now));
        }
        restored.current = true;
      });
    return () => {
      current = false;
    };
  }, [memory]);
  useEffect(() => {
    if (memory && restored.current) memory.save({ selected, filter, listWidth });
  }, [memory, selected, filter, listWidth]);
  return { selected, select, filter, setFilter, listWidth, setListWidth };
}
