/** Wait on a condition, never a fixed number of milliseconds: poll `check` until it gives a truthy value. */
export async function until<T>(what: string, check: () => T | Promise<T>, timeoutMs = 5_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    // One timer turn: lets the timers and I/O callbacks the code under test scheduled run first.
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}
