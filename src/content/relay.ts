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
 * The worker is reached over one `runtime.connect` port per document (worker-link.ts).
 */
import { accessTokenHash, readDpopProof } from '../core/dpop-proof.js';
import { MAX_BEARER_CHARS, PAGE_LIMITS } from '../core/limits.js';
import { fingerprint } from '../core/sha256.js';
import {
  BEARER_TAKEN,
  CHANNEL_ACK,
  captureIdOf,
  CHANNEL_OFFER,
  PAGE_BEARER_MESSAGE,
  PAGE_EXPECT_MESSAGE,
  PAGE_MESSAGE,
  PAGE_SIGN_IN_STEP_MESSAGE,
  PAGE_WINDOW_OPEN_MESSAGE,
  PAGE_UNREAD_MESSAGE,
  RELAY_GONE,
  RELAY_READY,
} from '../protocol/channel.js';
import type { BearerUse } from '../core/types.js';
import type { Message, MessageName } from '../protocol/messages.js';
import { DeliveryQueue } from './delivery.js';
import { type Evidence, EvidenceCourier } from './evidence-courier.js';
import { watchDocument } from './front-channel.js';
import { ResourceEvidence, type UnclaimedRequest } from './resource-evidence.js';
import { extensionRuntime, isAlive, type Runtime, WorkerLink } from './worker-link.js';

/** A message from the hook, and what the relay sends the worker for it (until answered). */
interface Outgoing {
  /** What the hook sent (an exchange with its capture id): handed back if this relay is orphaned. */
  from: Record<string, unknown> | null;
  message: Message<MessageName>;
  /** Called with the worker's reply once it answered for this message. */
  answered?: (reply: unknown) => void;
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

/**
 * The address of the page that opened this one, when it is of this page's origin (a login popup of the app, at
 * `about:blank` or the app's redirect URI): read here, in the isolated world, where page scripts cannot replace
 * `window.opener`. The worker uses it only where the browser names no opener tab (Firefox gives a popup *window*
 * no `openerTabId`), to find the watched tab showing that address.
 */
function openerUrl(): string | undefined {
  try {
    if (window.top !== window || window.opener === null) return undefined;
    const href = (window.opener as Window).location.href;
    return typeof href === 'string' && /^https?:/.test(href) ? href.slice(0, 2048) : undefined;
  } catch {
    return undefined; // Another origin's page: not read.
  }
}

/**
 * A DPoP call's proof (RFC 9449 s4.2) as a use carries it, read here as a HAR's is (core/har.ts): the key's thumbprint,
 * `htm`, `htu`, whether `ath` is the hash of the token sent, whether it carried a nonce (the retry of a challenge).
 */
function proofOf(header: string, token: string): { proof: NonNullable<BearerUse['proof']> } | Record<string, never> {
  const proof = readDpopProof(header);
  if (!proof) return {};
  const athMatches = proof.ath === null ? null : proof.ath === accessTokenHash(token);
  return { proof: { jkt: proof.jkt, htm: proof.htm, htu: proof.htu, athMatches, nonce: proof.nonce } };
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
  private readonly link: WorkerLink;
  /** Messages the hook handed over from inside a page's call, for a task of their own (`handOver`). */
  private readonly deferred: unknown[] = [];
  /** The evidence for captures sent before their request's entry was delivered (evidence-courier.ts). */
  private readonly courier: EvidenceCourier = new EvidenceCourier(this.evidence, (batch) => this.sendEvidence(batch));

  constructor(private readonly runtime: Runtime) {
    const link = new WorkerLink(runtime);
    this.link = link;
    this.queue = new DeliveryQueue<Outgoing>(
      async (item) => {
        const { outcome, reply } = await link.attempt(item.message);
        if (outcome === 'answered') {
          item.answered?.(reply);
          this.reportLost();
        }
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

  /**
   * A Bearer token the page sent: hashed here, so only its fingerprint reaches the worker. The hook hears whether the
   * worker took it (BEARER_TAKEN, by the hook's `id`), and reports it again if not.
   */
  private forwardBearer(data: Record<string, unknown>): void {
    const bearer = data.bearer;
    if (typeof bearer !== 'object' || bearer === null) return;
    const { url, method, token, at, scheme, proof, challenge } = bearer as Record<string, unknown>;
    if (typeof token !== 'string' || token === '' || token.length > MAX_BEARER_CHARS) return;
    if (roughSize({ url, method, at }) > PAGE_LIMITS.url + 256) return;
    const id = Number.isSafeInteger(data.id) ? data.id : null;
    const use = {
      url,
      method,
      fingerprint: fingerprint(token),
      at,
      ...(scheme === 'bearer' || scheme === 'dpop' ? { scheme } : {}),
      ...(typeof proof === 'string' ? proofOf(proof, token) : {}),
      ...(challenge === 'use_dpop_nonce' ? { challenge } : {}),
    };
    this.queue.push({
      from: data,
      message: { type: 'page-bearer', use },
      answered: (reply) => {
        if (id === null) return;
        const { recorded, held } = (reply ?? {}) as { recorded?: unknown; held?: unknown };
        this.toHook({ tokenscope: BEARER_TAKEN, id, taken: recorded === true || held === true });
      },
    });
  }

  private toHook(message: unknown): void {
    try {
      this.port?.postMessage(message);
    } catch {
      // The page is going away.
    }
  }

  /**
   * An exchange: its capture id (kept across resends and relays), then to the worker at once, in this task: a page
   * that moves on right after reading the answer (the Globus SDK's `location.replace`) must not take it along. The
   * document's evidence that the request was sent may come a moment later (the browser delivers Resource Timing
   * entries in batches): it follows, once the worker answered for this capture, with the next capture (stored in that
   * capture's write) or on its own as `page-evidence`. This capture carries the evidence found so far for earlier ones.
   */
  private forwardExchange(data: Record<string, unknown>): void {
    const exchange = data.exchange;
    const size = roughSize(exchange);
    if (size > MAX_MESSAGE) {
      this.queue.push({ from: null, message: { type: 'page-refused', reason: 'an exchange over the size limit', size } });
      return;
    }
    const captureId = captureIdOf(data.captureId) ?? newCaptureId();
    const { url, startedAt } = (typeof exchange === 'object' && exchange !== null ? exchange : {}) as Record<string, unknown>;
    // A Web Worker's request is not in the document's Resource Timing: a worker's capture is never vouched for.
    const fromWorker = data.context === 'worker';
    const checkable = !fromWorker && typeof url === 'string' && typeof startedAt === 'string';
    // An entry already delivered vouches at once (one message); else the evidence follows.
    const seenNow = checkable && this.evidence.sentNow(url, Date.parse(startedAt));
    const opened = hasOpener();
    const opener = opened ? openerUrl() : undefined;
    const earlier = this.courier.take();
    this.queue.push({
      from: { tokenscope: PAGE_MESSAGE, exchange, captureId, ...(fromWorker ? { context: 'worker' } : {}) },
      message: {
        type: 'page-exchange',
        exchange,
        captureId,
        seen: seenNow,
        opened,
        openerUrl: opener,
        ...(earlier.length > 0 ? { evidence: earlier } : {}),
      },
      answered: () => this.courier.stored(captureId),
    });
    if (!checkable) return;
    if (seenNow) this.evidence.settled();
    else this.courier.follow({ captureId, url, startedAt });
  }

  /** Evidence no capture carried, several captures' in one message: the worker stores it in one write. */
  private sendEvidence([first, ...more]: Evidence[]): void {
    if (!first) return;
    const opened = hasOpener();
    this.queue.push({
      from: null,
      message: {
        type: 'page-evidence',
        ...first,
        opened,
        openerUrl: opened ? openerUrl() : undefined,
        ...(more.length > 0 ? { evidence: more } : {}),
      },
    });
  }

  /**
   * The page is going away (`pagehide`): the evidence still awaited is looked for one last time, in the entries the
   * browser has by now, and sent at once, behind its capture on the same port (the worker handles them in order).
   * What the hook handed over and still waits for its task goes first. The hook holds nothing once the two shook
   * hands (it hands each message over synchronously, hook-port.ts): a capture is lost at unload only if it came before
   * that handshake (the document's first tasks, or the moments after an extension reload).
   */
  private pageHidden(): void {
    this.flushDeferred();
    this.courier.pageHidden();
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
    const captureId = captureIdOf(data.captureId) ?? newCaptureId();
    const windowOpen = data.windowOpen === true;
    this.queue.push({
      from: { tokenscope: PAGE_SIGN_IN_STEP_MESSAGE, step, captureId, ...(windowOpen ? { windowOpen } : {}) },
      message: { type: 'page-sign-in-step', step, captureId, openerUrl: openerUrl(), ...(windowOpen ? { windowOpen } : {}) },
    });
  }

  /** The page called `window.open`: said to the worker once (nothing to resend: a popup it missed is not taken for one). */
  private forwardWindowOpen(data: Record<string, unknown>): void {
    const url = typeof data.url === 'string' ? data.url.slice(0, PAGE_LIMITS.url) : null;
    this.queue.push({ from: null, message: { type: 'page-window-open', url } });
  }

  /** A token call known and not read (the hook's unreachable contexts, or `unclaimed`): to the worker, which checks it. */
  private forwardUnread(data: Record<string, unknown>): void {
    const unread = data.unread;
    if (roughSize(unread) > PAGE_LIMITS.url + 256) return;
    const captureId = captureIdOf(data.captureId) ?? newCaptureId();
    this.queue.push({
      from: { tokenscope: PAGE_UNREAD_MESSAGE, unread, captureId },
      message: { type: 'page-unread', unread, captureId, opened: hasOpener(), openerUrl: openerUrl() },
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
    if (marker === PAGE_EXPECT_MESSAGE) {
      // A token request went out: its answer comes after a round trip, by when the port to the worker is open.
      this.evidence.expect();
      this.link.open();
    } else if (marker === PAGE_BEARER_MESSAGE) this.forwardBearer(data as Record<string, unknown>);
    else if (marker === PAGE_MESSAGE) this.forwardExchange(data as Record<string, unknown>);
    else if (marker === PAGE_SIGN_IN_STEP_MESSAGE) this.forwardSignInStep(data as Record<string, unknown>);
    else if (marker === PAGE_UNREAD_MESSAGE) this.forwardUnread(data as Record<string, unknown>);
    else if (marker === PAGE_WINDOW_OPEN_MESSAGE) this.forwardWindowOpen(data as Record<string, unknown>);
  }

  /**
   * A message the hook handed over synchronously. An exchange goes on at once: the hook hands it over from its own
   * promise callback, once the body is read, and the page may be leaving in this very task. Everything else comes from
   * inside a page's call (a Bearer use and the start of a token request from its `fetch`, a sign-in step from its
   * `window.open`): it waits for a task of its own, so hashing a token or opening the port never lengthens the page's
   * call; what still waits when the page hides is handled then (`pageHidden`).
   */
  private handOver(data: unknown): void {
    if ((data as { tokenscope?: unknown } | null)?.tokenscope === PAGE_MESSAGE) {
      this.flushDeferred(); // In the order the hook sent them.
      this.forward(data);
      return;
    }
    this.deferred.push(data);
    if (this.deferred.length === 1) setTimeout(() => this.flushDeferred(), 0);
  }

  private flushDeferred(): void {
    for (const data of this.deferred.splice(0)) this.forward(data);
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
      // The hook's messages come synchronously as this secret event from now on (protocol/channel.ts SYNC_EVENT_PATTERN).
      const syncEvent = `tokenscope-${newCaptureId()}${newCaptureId().slice(0, 8)}`;
      window.addEventListener(syncEvent, (sync: Event) => {
        const detail = (sync as CustomEvent).detail;
        if (typeof detail !== 'string') return;
        if (detail.length > 2 * MAX_MESSAGE) {
          this.queue.push({ from: null, message: { type: 'page-refused', reason: 'a message over the size limit', size: detail.length } });
          return;
        }
        try {
          this.handOver(JSON.parse(detail));
        } catch {
          // Not ours to fail on.
        }
      });
      offered.postMessage({ tokenscope: CHANNEL_ACK, event: syncEvent });
    });
    window.addEventListener('pagehide', () => this.pageHidden());
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
