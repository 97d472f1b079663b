/** The view state from a source: loaded, reloaded when the source says it changed, and grown on "Show older". */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { ViewState } from '../../protocol/view-state.js';
import { errorMessage } from '../format.js';
import type { ViewSource } from '../sources/view-source.js';

import { FIRST_SHOWN } from '../view-limits.js';

export { FIRST_SHOWN, PANEL_SHOWN } from '../view-limits.js';
const MORE_SHOWN = 50;

export interface TabViewState {
  /** The source's view; null until it has loaded (a view of another source is never shown meanwhile). */
  view: ViewState | null;
  /** Why the view could not be loaded. */
  error: string | null;
  showOlder(): void;
  /** Back to the first exchanges only (a newly imported file). */
  showFirst(): void;
}

/** `firstCount`: how many exchanges are loaded in full at first (and again after `showFirst`). */
export function useView(source: ViewSource, firstCount = FIRST_SHOWN): TabViewState {
  const [loaded, setLoaded] = useState<{ source: ViewSource; view: ViewState } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [shownCount, setShownCount] = useState(firstCount);
  const rendered = useRef(false);

  useEffect(() => {
    let isCurrent = true; // A load for another source or count that answers late is not shown.
    const refresh = () => {
      source.load(shownCount).then(
        (view) => {
          if (!isCurrent) return;
          if (!rendered.current) performance.mark('tokenscope:view-loaded');
          setLoaded({ source, view });
          setError(null);
        },
        (reason: unknown) => {
          if (isCurrent) setError(errorMessage(reason));
        },
      );
    };
    refresh();
    const unsubscribe = source.subscribe(refresh);
    return () => {
      isCurrent = false;
      unsubscribe();
    };
  }, [source, shownCount]);

  const view = loaded?.source === source ? loaded.view : null;
  // The first full render, for the popup benchmark (scripts/bench/popup.ts) and anyone profiling.
  useEffect(() => {
    if (view && !rendered.current) {
      rendered.current = true;
      performance.mark('tokenscope:first-render');
    }
  }, [view]);

  const showOlder = useCallback(() => setShownCount((count) => count + MORE_SHOWN), []);
  const showFirst = useCallback(() => setShownCount(firstCount), [firstCount]);
  return { view, error, showOlder, showFirst };
}
