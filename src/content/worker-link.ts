/**
 * The relay's one long-lived port to the worker (background/capture-port.ts says why a port), and the runtime it is
 * opened on. Each attempt is answered once the worker replied (it replies after storing); a port that disconnects
 * (the worker stopped, or this relay's extension was reloaded) fails its pending attempts, and the next attempt
 * connects again, which wakes the worker. It talks to the runtime directly, without webextension-polyfill: the same
 * in Firefox (`browser`) and in Chromium MV3 (`chrome`).
 */
import { CAPTURE_PORT } from '../protocol/channel.js';
import type { Attempt } from './delivery.js';

export interface RuntimePort {
  postMessage(message: unknown): void;
  onMessage: { addListener(listener: (message: unknown) => void): void };
  onDisconnect: { addListener(listener: () => void): void };
}

export interface Runtime {
  id?: string;
  connect(info: { name: string }): RuntimePort;
}

/**
 * The extension runtime, taken once at start. `browser` counts only when its `connect` is a function:
 * an element with id "browser" on the page also shows up as `window.browser` in this world.
 */
export function extensionRuntime(): Runtime {
  const scope = globalThis as { browser?: { runtime?: Partial<Runtime> }; chrome?: { runtime: Runtime } };
  const runtime = scope.browser?.runtime;
  return typeof runtime?.connect === 'function' ? (runtime as Runtime) : (scope.chrome as { runtime: Runtime }).runtime;
}

/** Whether this relay's extension is still there (a reloaded or removed extension leaves its content scripts orphaned). */
export function isAlive(runtime: Runtime): boolean {
  try {
    return typeof runtime.id === 'string' && runtime.id !== '';
  } catch {
    return false;
  }
}

/** One attempt's outcome, and the worker's reply when it answered. */
export interface Answer {
  outcome: Attempt;
  reply?: unknown;
}

/**
 * The worker, over one long-lived port (background/capture-port.ts says why not a message each): each attempt is
 * answered once the worker replied (it replies after storing). A port that disconnects (the worker stopped, or this
 * relay's extension was reloaded) fails its pending attempts; the next attempt connects again, which wakes the worker.
 */
export class WorkerLink {
  private port: RuntimePort | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, (answer: Answer) => void>();

  constructor(private readonly runtime: Runtime) {}

  private connect(): RuntimePort {
    const port = this.runtime.connect({ name: CAPTURE_PORT });
    port.onMessage.addListener((data) => {
      const { id, reply } = (typeof data === 'object' && data !== null ? data : {}) as { id?: unknown; reply?: unknown };
      const settle = typeof id === 'number' ? this.pending.get(id) : undefined;
      if (!settle) return;
      this.pending.delete(id as number);
      settle(typeof reply === 'object' && reply !== null ? { outcome: 'answered', reply } : { outcome: 'unanswered' });
    });
    port.onDisconnect.addListener(() => {
      if (this.port === port) this.port = null;
      const outcome: Attempt = isAlive(this.runtime) ? 'unanswered' : 'orphaned';
      for (const settle of this.pending.values()) settle({ outcome });
      this.pending.clear();
    });
    return port;
  }

  /**
   * Open the port now, ahead of the capture: a port opens asynchronously (the browser connects it to the worker, waking
   * it if need be), and a message posted on a port still opening is lost if its document unloads first.
   */
  open(): void {
    if (!isAlive(this.runtime)) return;
    try {
      this.port ??= this.connect();
    } catch {
      this.port = null;
    }
  }

  /** One attempt: posted at once (inside the caller's task, before a page that is leaving can unload). */
  attempt(message: unknown): Promise<Answer> {
    if (!isAlive(this.runtime)) return Promise.resolve({ outcome: 'orphaned' });
    try {
      this.port ??= this.connect();
      const id = this.nextId++;
      const answered = new Promise<Answer>((resolve) => this.pending.set(id, resolve));
      this.port.postMessage({ id, message });
      return answered;
    } catch {
      // A reloaded extension invalidates this context; a port closed under us is tried again on a new one.
      this.port = null;
      return Promise.resolve({ outcome: isAlive(this.runtime) ? 'unanswered' : 'orphaned' });
    }
  }
}
