/**
 * Runs async tasks one after another, so two writes to the same storage key never interleave
 * (read, change, write). A failed task fails only its own caller; the queue goes on.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T> | T): Promise<T> {
    const result = this.tail.then(task, task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
