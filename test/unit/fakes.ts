/** Small fakes of the one browser API each adapter wraps. */
import type { StorageArea } from '../../src/background/store-layout.js';

/** Like storage.session: values are copied in and out, and every call yields before it settles. */
export class FakeArea implements StorageArea {
  readonly data = new Map<string, unknown>();
  async get(keys: string[] | null): Promise<Record<string, unknown>> {
    await new Promise((resolve) => setImmediate(resolve));
    const out: Record<string, unknown> = {};
    for (const key of keys ?? [...this.data.keys()]) if (this.data.has(key)) out[key] = structuredClone(this.data.get(key));
    return out;
  }
  async set(items: Record<string, unknown>): Promise<void> {
    const copies = Object.entries(structuredClone(items));
    await new Promise((resolve) => setImmediate(resolve));
    for (const [key, value] of copies) this.data.set(key, value);
  }
  async remove(keys: string[]): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    for (const key of keys) this.data.delete(key);
  }
}
