/**
 * The relay: an isolated-world content script that passes the page hook's
 * messages to the worker. It trusts nothing: it reads only the hook's private
 * port, refuses oversize messages with a note, and turns a Bearer token into
 * its fingerprint before anything leaves the page. The worker validates
 * everything again and takes the tab and site from the sender, never from the message.
 *
 * Nothing is dropped before the worker answered for it (delivery.ts): a stopped worker gets it again when it
 * is back, and a relay orphaned by an extension reload hands what it held back to the hook (RELAY_GONE), for
 * the relay the new extension injects. Each exchange carries the document's own evidence that its request
 * was sent (resource-evidence.ts).
 *
 * It talks to the runtime directly, without webextension-polyfill: one `runtime.connect` port per document, the
 * same in Firefox (`browser`) and in Chromium MV3 (`chrome`).
 */
import { MAX_BEARER_CHARS, PAGE_LIMITS } from '../core/limits.js';
import { fingerprint } from '../core/sha256.js';
import {
  CHANNEL_ACK,
  CHANNEL_OFFER,
  PAGE_BEARER_MESSAGE,
  PAGE_EXPECT_MESSAGE,
  PAGE_MESSAGE,
  PAGE_SIGN_IN_STEP_MESSAGE,
  PAGE_UNREAD_MESSAGE,
  RELAY_GONE,
  RELAY_READY,
  CAPTURE_PORT,
} from '../protocol/channel.js';
import type { Message, MessageName } from '../protocol/messages.js';
import { type Attempt, DeliveryQueue } from './delivery.js';
import { watchDocument } from './front-channel.js';
import { ResourceEvidence, type UnclaimedRequest } from './resource-evidence.js';

interface RuntimePort {
  postMessage(message: unknown): void;
  onMessage: { addListener(listener: (message: unknown) => void): void };
  onDisconnect: { addListener(listener: () => void): void };
}

interface Runtime {
  id?: string;
  connect(info: { name: string }): RuntimePort;
}

/** A message from the hook, and what the relay sends the worker for it (until answered). */
interface Outgoing {
  /** What the hook sent (an exchange with its capture id): handed back if this relay is orphaned. */
  from: Record<string, unknown> | null;
  message: Message<MessageName>;
}

/** Rough size of a message: the sum of its string fields (all a page can make large). */
function roughSize(value: unknown, depth = 0): number {
  if (typeof value === 'string') return value.length;
  if (depth > 3 || typeof value !== 'object' || value === null) return 0;
  let size = 0;
  for (const key of Object.keys(value).slice(0, 50)) size += key.length + roughSize((value as Record<string, unknown>)[key], depth + 1);
  return size;
}

const MAX_MESSAGE = PAGE_LIMITS.responseBody + PAGE_LIMITS.requestBody + PAGE_LIMITS.url + 4096;

const STARTED = Symbol.for('tokenscope.relay');

/**
 * The extension runtime, taken once at start. `browser` counts only when its `connect` is a function:
 * an element with id "browser" on the page also shows up as `window.browser` in this world.
 */
function extensionRuntime(): Runtime {
  const scope = globalThis as { browser?: { runtime?: Partial<Runtime> }; chrome?: { runtime: Runtime } };
  const runtime = scope.browser?.runtime;
  return typeof runtime?.connect === 'function' ? (runtime as Runtime) : (scope.chrome as { runtime: Runtime }).runtime;
}

/** Whether this relay's extension is still there (a reloaded or removed extension leaves its content scripts orphaned). */
function isAlive(runtime: Runtime): boolean {
  try {
    return typeof runtime.id === 'string' && runtime.id !== '';
  } catch {
    return false;
  }
}

/** A capture id: random, so the worker can tell a resend from a new capture. */
function newCaptureId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Whether this page was opened by another with `window.open` (a login popup); the worker checks the tab the browser names. */
function hasOpener(): boolean {
  try {
    return window.top === window && window.opener !== null;
  } catch {
    return false;
  }
}

const isCaptureId = (value: unknown): value is string => typeof value === 'string' && /^[0-9a-f]{24}$/.test(value);

/**
 * The worker, over one long-lived port (background/capture-port.ts says why not a message each): each attempt is
 * answered once the worker replied (it replies after storing). A port that disconnects (the worker stopped, or this
 * relay's extension was reloaded) fails its pending attempts; the next attempt connects again, which wakes the worker.
 */
class WorkerLink {
  private port: RuntimePort | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, (outcome: Attempt) => void>();

  constructor(private readonly runtime: Runtime) {}

  private connect(): RuntimePort {
    const port = this.runtime.connect({ name: CAPTURE_PORT });
    port.onMessage.addListener((data) => {
      const { id, reply } = (typeof data === 'object' && data !== null ? data : {}) as { id?: unknown; reply?: unknown };
      const settle = typeof id === 'number' ? this.pending.get(id) : undefined;
      if (!settle) return;
      this.pending.delete(id as number);
      settle(typeof reply === 'object' && reply !== null ? 'answered' : 'unanswered');
    });
    port.onDisconnect.addListener(() => {
      if (this.port === port) this.port = null;
      const outcome: Attempt = isAlive(this.runtime) ? 'unanswered' : 'orphaned';
      for (const settle of this.pending.values()) settle(outcome);
      this.pending.clear();
    });
    return port;
  }

  /** One attempt: posted at once (inside the caller's task, before a page that is leaving can unload). */
  attempt(message: unknown): Promise<Attempt> {
    if (!isAlive(this.runtime)) return Promise.resolve('orphaned');
    try {
      this.port ??= this.connect();
      const id = this.nextId++;
      const answered = new Promise<Attempt>((resolve) => this.pending.set(id, resolve));
      this.port.postMessage({ id, message });
      return answered;
    } catch {
      // A reloaded extension invalidates this context; a port closed under us is tried again on a new one.
      this.port = null;
      return Promise.resolve(isAlive(this.runtime) ? 'unanswered' : 'orphaned');
    }
  }
}

class Relay {
  private port: MessagePort | null = null;
  /**
   * Registered, the relay starts with its document (readyState "loading"), after the hook, which then sees every fetch
   * and XHR the document makes: Resource Timing is watched around the requests the hook follows. Injected into a tab
   * already open, the page may call a `fetch` it kept from before the hook: watched all along.
   */
  private readonly evidence = new ResourceEvidence(
    (request) => this.unclaimed(request),
    typeof document === 'undefined' || document.readyState !== 'loading',
  );
  private readonly queue: DeliveryQueue<Outgoing>;

  constructor(private readonly runtime: Runtime) {
    const link = new WorkerLink(runtime);
    this.queue = new DeliveryQueue<Outgoing>(
      async (item) => {
        const outcome = await link.attempt(item.message);
        if (outcome === 'answered') this.reportLost();
        return outcome;
      },
      (held) => this.handBack(held),
    );
  }

  /** Captures given up (queue full, worker never answered): the worker notes how many. */
  private reportLost(): void {
    const count = this.queue.takeLost();
    if (count > 0) this.queue.push({ from: null, message: { type: 'page-lost', count, reason: 'the extension did not answer in time' } });
  }

  /** This relay can no longer reach a worker: the hook keeps what it held, for the next relay. */
  private handBack(held: Outgoing[]): void {
    const returned = held.map((item) => item.from).filter((from) => from !== null);
    // The port stays open: the hook may have sent more before it hears this, and gets those back the same way.
    try {
      this.port?.postMessage({ tokenscope: RELAY_GONE, returned });
    } catch {
      // The page is going away.
    }
  }

  /** A Bearer token the page sent: hashed here, so only its fingerprint reaches the worker. */
  private forwardBearer(data: Record<string, unknown>): void {
    const bearer = data.bearer;
    if (typeof bearer !== 'object' || bearer === null) return;
    const { url, method, token, at, scheme } = bearer as Record<string, unknown>;
    if (typeof token !== 'string' || token === '' || token.length > MAX_BEARER_CHARS) return;
    if (roughSize({ url, method, at }) > PAGE_LIMITS.url + 256) return;
    const use = { url, method, fingerprint: fingerprint(token), at, ...(scheme === 'bearer' || scheme === 'dpop' ? { scheme } : {}) };
    this.queue.push({ from: data, message: { type: 'page-bearer', use } });
  }

  /** An exchange: its capture id (kept across resends and relays), the document's evidence, then to the worker. */
  private async forwardExchange(data: Record<string, unknown>): Promise<void> {
    const exchange = data.exchange;
    const size = roughSize(exchange);
    if (size > MAX_MESSAGE) {
      this.queue.push({ from: null, message: { type: 'page-refused', reason: 'an exchange over the size limit', size } });
      return;
    }
    const captureId = isCaptureId(data.captureId) ? data.captureId : newCaptureId();
    const { url, startedAt } = (typeof exchange === 'object' && exchange !== null ? exchange : {}) as Record<string, unknown>;
    // A Web Worker's request is not in the document's Resource Timing: a worker's capture is never vouched for.
    const fromWorker = data.context === 'worker';
    const seen =
      !fromWorker && typeof url === 'string' && typeof startedAt === 'string' && (await this.evidence.wasSent(url, Date.parse(startedAt)));
    if (!fromWorker) this.evidence.settled();
    this.queue.push({
      from: { tokenscope: PAGE_MESSAGE, exchange, captureId, ...(fromWorker ? { context: 'worker' } : {}) },
      message: { type: 'page-exchange', exchange, captureId, seen, opened: hasOpener() },
    });
  }

  /** A front-channel step: its capture id (kept across resends and relays), then to the worker, which checks it. */
  private forwardSignInStep(data: Record<string, unknown>): void {
    const step = data.step;
    if (roughSize(step) > MAX_MESSAGE) {
      this.queue.push({
        from: null,
        message: { type: 'page-refused', reason: 'a sign-in step over the size limit', size: roughSize(step) },
      });
      return;
    }
    // A pushed authorization request the hook followed (a POST) came back as a step: its capture came.
    if (typeof step === 'object' && step !== null && (step as { method?: unknown }).method === 'POST') this.evidence.settled();
    const captureId = isCaptureId(data.captureId) ? data.captureId : newCaptureId();
    this.queue.push({
      from: { tokenscope: PAGE_SIGN_IN_STEP_MESSAGE, step, captureId },
      message: { type: 'page-sign-in-step', step, captureId },
    });
  }

  /** A token call known and not read (the hook's unreachable contexts, or `unclaimed`): to the worker, which checks it. */
  private forwardUnread(data: Record<string, unknown>): void {
    const unread = data.unread;
    if (roughSize(unread) > PAGE_LIMITS.url + 256) return;
    const captureId = isCaptureId(data.captureId) ? data.captureId : newCaptureId();
    this.queue.push({
      from: { tokenscope: PAGE_UNREAD_MESSAGE, unread, captureId },
      message: { type: 'page-unread', unread, captureId, opened: hasOpener() },
    });
  }

  /** A token request in the document's Resource Timing that no capture claimed: seen, not read. */
  private unclaimed(request: UnclaimedRequest): void {
    const unread = {
      kind: 'request',
      context: 'page',
      url: request.url,
      at: new Date(request.at).toISOString(),
      beforeWatching: request.beforeWatching,
    };
    this.forwardUnread({ unread });
  }

  /** One message from the hook, over the private channel: validated roughly here, fully by the worker. */
  forward(data: unknown): void {
    if (typeof data !== 'object' || data === null) return;
    const marker = (data as { tokenscope?: unknown }).tokenscope;
    if (marker === PAGE_EXPECT_MESSAGE) this.evidence.expect();
    else if (marker === PAGE_BEARER_MESSAGE) this.forwardBearer(data as Record<string, unknown>);
    else if (marker === PAGE_MESSAGE) void this.forwardExchange(data as Record<string, unknown>);
    else if (marker === PAGE_SIGN_IN_STEP_MESSAGE) this.forwardSignInStep(data as Record<string, unknown>);
    else if (marker === PAGE_UNREAD_MESSAGE) this.forwardUnread(data as Record<string, unknown>);
  }

  /** The hook's offer of a private channel (protocol/channel.ts CHANNEL_OFFER): the first port is taken, others ignored. */
  listen(): void {
    window.addEventListener('message', (event: MessageEvent) => {
      if (event.source !== window) return;
      const marker = (event.data as { tokenscope?: unknown } | null)?.tokenscope;
      // A new relay (the extension was reloaded) announces itself: an orphaned one hands its captures back now.
      if (marker === RELAY_READY && this.port && !isAlive(this.runtime)) this.handBack([]);
      if (this.port || marker !== CHANNEL_OFFER || !isAlive(this.runtime)) return;
      const offered = event.ports[0];
      if (!offered) return;
      this.port = offered;
      offered.onmessage = (message: MessageEvent) => this.forward(message.data);
      offered.postMessage({ tokenscope: CHANNEL_ACK });
    });
    // A hook that started before this relay offered its port to nobody (or to a relay now orphaned): ask again.
    window.postMessage({ tokenscope: RELAY_READY }, '*');
  }
}

export function startRelay(): void {
  const host = globalThis as unknown as Record<symbol, Runtime | undefined>;
  const previous = host[STARTED];
  if (previous && isAlive(previous)) return; // Registered and injected on demand: relay once per extension instance.
  const runtime = extensionRuntime();
  host[STARTED] = runtime;
  const relay = new Relay(runtime);
  // The document's front channel from here, not the hook: the step reaches the runtime before the page can leave.
  watchDocument((step) => relay.forward({ tokenscope: PAGE_SIGN_IN_STEP_MESSAGE, step }));
  relay.listen();
}
