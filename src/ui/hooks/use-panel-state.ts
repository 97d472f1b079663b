/**
 * What the DevTools panel remembers while it is open: the selected row (by its stable key, so new
 * data and navigations of the inspected tab leave it selected), the filter, and the list's width.
 */
import { useState } from 'preact/hooks';

export const LIST_WIDTH = { initial: 46, min: 20, max: 75 } as const;

export interface PanelState {
  selected: string | null;
  select(key: string): void;
  filter: string;
  setFilter(filter: string): void;
  listWidth: number;
  setListWidth(width: number): void;
}

export function usePanelState(): PanelState {
  const [selected, select] = useState<string | null>(null);
  const [filter, setFilter] = useState('');
  const [listWidth, setListWidth] = useState<number>(LIST_WIDTH.initial);
  return { selected, select, filter, setFilter, listWidth, setListWidth };
}
