/**
 * The progress line on stderr while large inputs are read: only on a terminal (nothing on a
 * pipe or in a file), only once the input is large, redrawn in place at most every 200 ms,
 * erased at the end.
 */
import type { Progress } from './sources.js';

/** Inputs smaller than this are read too fast to need a progress line. */
export const LARGE_INPUT_BYTES = 64 * 1024 * 1024;
const REDRAW_MS = 200;
const MB = 1024 * 1024;

export class ProgressLine {
  private readonly each = new Map<number, Progress>();
  private shown = false;
  private last = Number.NEGATIVE_INFINITY;

  /**
   * `total`: bytes of every input, when all sizes are known (not for stdin); `enabled`: stderr is a
   * terminal. `now` is the clock (ms).
   */
  constructor(
    private readonly write: (text: string) => void,
    private readonly inputs: number,
    private readonly total: number | null,
    private readonly enabled: boolean,
    private readonly now: () => number = Date.now,
  ) {}

  update(index: number, progress: Progress): void {
    this.each.set(index, progress);
    if (!this.enabled) return;
    const time = this.now();
    if (time - this.last < REDRAW_MS) return;
    let bytes = 0;
    let exchanges = 0;
    for (const one of this.each.values()) {
      bytes += one.bytes;
      exchanges += one.exchanges;
    }
    if (Math.max(bytes, this.total ?? 0) < LARGE_INPUT_BYTES) return;
    this.last = time;
    const of = this.total ? ` of ${Math.round(this.total / MB)} MB (${Math.min(100, Math.floor((bytes / this.total) * 100))}%)` : ' MB';
    const what = this.inputs === 1 ? '' : ` ${this.inputs} inputs:`;
    this.write(`\r\x1b[2Ktokenscope: reading${what} ${Math.round(bytes / MB)}${of}, ${exchanges} token exchange(s) so far`);
    this.shown = true;
  }

  /** Erases the line, if one was drawn. */
  done(): void {
    if (this.shown) this.write('\r\x1b[2K');
    this.shown = false;
  }
}
