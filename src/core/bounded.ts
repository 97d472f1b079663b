/**
 * Untrusted structured values (decoded JWT claims and headers, JSON request parameters) bounded
 * before they are kept: a token can carry claims nested thousands deep, which no honest issuer
 * makes and which break every recursive consumer downstream (`JSON.stringify` in the CLI and the
 * export, structured clone in the worker's replies, Preact's render). What is kept is plain JSON
 * at most `MAX_DEPTH` levels deep with at most `MAX_MEMBERS` members or items per level; the rest
 * is replaced by a marker string, and the caller says so in a note.
 *
 * Iterative, so the bounding itself cannot overflow the stack. A leaf module: it imports nothing.
 */

/** Levels kept below the top (claims' values nest a few levels in practice: `cnf.jwk`, RAR details). */
export const MAX_DEPTH = 24;
/** Members of one object, or items of one array, kept. */
export const MAX_MEMBERS = 2_000;
/** What stands in place of a value too deep to keep. */
export const DEEPER_MARKER = '[nested too deep: not kept]';

export interface Bounded<T> {
  value: T;
  /** Whether anything was replaced or left out. */
  cut: boolean;
}

type Slot = { parent: Record<string, unknown> | unknown[]; key: string | number; value: unknown; depth: number };

/**
 * A copy of `value` as plain JSON data within the bounds: objects and arrays copied, strings,
 * finite numbers, booleans and null as they are; anything else (undefined, functions, non-finite
 * numbers) left out as `JSON.stringify` would.
 */
export function boundValue<T>(value: T): Bounded<T> {
  const root: { v?: unknown } = {};
  const stack: Slot[] = [{ parent: root as Record<string, unknown>, key: 'v', value, depth: 0 }];
  let cut = false;
  while (stack.length > 0) {
    const { parent, key, value: current, depth } = stack.pop() as Slot;
    // defineProperty, not assignment: a `__proto__` member (JSON.parse makes it an own property) stays a member.
    const put = (kept: unknown): void => {
      Object.defineProperty(parent, key, { value: kept, enumerable: true, writable: true, configurable: true });
    };
    if (current === null || typeof current === 'string' || typeof current === 'boolean') put(current);
    else if (typeof current === 'number') put(Number.isFinite(current) ? current : null);
    else if (typeof current !== 'object') cut = true;
    else if (depth >= MAX_DEPTH) {
      put(DEEPER_MARKER);
      cut = true;
    } else if (Array.isArray(current)) {
      const copy: unknown[] = [];
      put(copy);
      if (current.length > MAX_MEMBERS) cut = true;
      const count = Math.min(current.length, MAX_MEMBERS);
      for (let i = count - 1; i >= 0; i--) {
        copy.push(null);
        stack.push({ parent: copy, key: count - 1 - i, value: current[count - 1 - i], depth: depth + 1 });
      }
    } else {
      const copy: Record<string, unknown> = {};
      put(copy);
      const keys = Object.keys(current);
      if (keys.length > MAX_MEMBERS) cut = true;
      for (const name of keys.slice(0, MAX_MEMBERS)) {
        // Own enumerable data only: a getter is never called (the value comes from JSON.parse anyway).
        const descriptor = Object.getOwnPropertyDescriptor(current, name);
        if (!descriptor || !('value' in descriptor)) continue;
        Object.defineProperty(copy, name, { value: null, enumerable: true, writable: true, configurable: true });
        stack.push({ parent: copy, key: name, value: descriptor.value, depth: depth + 1 });
      }
    }
  }
  return { value: root.v as T, cut };
}
