/**
 * Content below the first screen, rendered after the first paint, one block per frame: a popup on a full store
 * paints its first screen (the newest sign-in's map, the newest exchange) at once, and stays responsive while the
 * rest comes in, top to bottom. Until then a placeholder of about the block's height holds its place. Where there
 * is no DOM to paint (rendering to a string) everything renders at once.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';

const waiting: Array<() => void> = [];
let scheduled = false;

/** After the next frame is painted, show the next waiting block; when none is left, mark it (for the popup benchmark). */
function showNext(): void {
  if (scheduled) return;
  scheduled = true;
  requestAnimationFrame(() =>
    setTimeout(() => {
      scheduled = false;
      const next = waiting.shift();
      if (next) {
        next();
        showNext();
      } else if (performance.getEntriesByName('tokenscope:rest-rendered').length === 0) performance.mark('tokenscope:rest-rendered');
    }, 0),
  );
}

export function Later({ now, height, children }: { now: boolean; height: number; children: () => ComponentChildren }) {
  const [shown, setShown] = useState(now || typeof requestAnimationFrame !== 'function');
  useEffect(() => {
    if (shown) return;
    let mounted = true;
    waiting.push(() => {
      if (mounted) setShown(true);
    });
    showNext();
    return () => {
      mounted = false;
    };
  }, [shown]);
  return shown ? children() : <div class="later" aria-busy="true" style={{ minHeight: `${height}px` }} />;
}
