/** One clock for every countdown on the page: a view of 200 exchanges must not run a timer per token. */
import { useEffect, useState } from 'preact/hooks';

const clockListeners = new Set<(now: number) => void>();
let clock: ReturnType<typeof setInterval> | null = null;

/** The current time, updated every second while a component using it is mounted. */
export function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    clockListeners.add(setNow);
    clock ??= setInterval(() => {
      const tick = Date.now();
      for (const listener of clockListeners) listener(tick);
    }, 1000);
    return () => {
      clockListeners.delete(setNow);
      if (clockListeners.size === 0 && clock !== null) {
        clearInterval(clock);
        clock = null;
      }
    };
  }, []);
  return now;
}
