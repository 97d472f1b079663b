/**
 * A map that keeps at most `capacity` entries: a new key past it lets the oldest entry go (the first set, as a
 * `Map` orders its keys). For memos of derived state that may be made again on demand (analysis-memo.ts), the worker's opener records (openers.ts) and the page hook's script blobs (content/worker-wrap.ts). A leaf
 * module: it imports nothing, so every part (the page side included) may use it.
 */
export class BoundedMap<K, V> extends Map<K, V> {
  readonly capacity: number;

  constructor(capacity: number) {
    super();
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`a BoundedMap keeps at least one entry (got ${capacity})`);
    this.capacity = capacity;
  }

  /** Set the key's value; a new key at capacity first lets the oldest entry go. Setting a kept key keeps its place. */
  override set(key: K, value: V): this {
    if (this.size >= this.capacity && !this.has(key)) {
      const oldest = this.keys().next();
      if (!oldest.done) this.delete(oldest.value);
    }
    return super.set(key, value);
  }

  /** The key's value, made by `make` and kept when the key has none. */
  getOrMake(key: K, make: () => V): V {
    if (this.has(key)) return this.get(key) as V;
    const made = make();
    this.set(key, made);
    return made;
  }
}
