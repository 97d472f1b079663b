/**
 * The Resource Timing evidence for captures already sent, on its way to the worker (resource-evidence.ts finds it).
 * A capture leaves at once, usually before the browser has delivered its request's entry; the evidence follows once
 * the worker answered for the capture (so it finds it stored), in one of two ways:
 * - carried by the next capture of the document (`take`), and stored in that capture's own write: a page making token
 *   requests one after another pays one message and one storage write a capture, not two;
 * - on its own after `WAIT_MS` when no capture came to carry it, several captures' in one `page-evidence` message,
 *   which the worker stores in one write.
 * A leaf of the page part: timers, the evidence source and a `send` function are all it uses.
 */
import { MAX_EVIDENCE } from '../core/limits.js';

/** What the worker needs to upgrade a capture it stored: the capture's id, and its request's URL and start as it said them. */
export interface Evidence {
  captureId: string;
  url: string;
  startedAt: string;
}

/** Where the evidence comes from (resource-evidence.ts `ResourceEvidence`). */
export interface EvidenceSource {
  /** Whether an entry the browser delivered by now vouches for the request (each entry vouches once). */
  sentNow(url: string, startedAt: number): boolean;
  /** The same, waiting briefly for the browser's next batch of entries. */
  wasSent(url: string, startedAt: number): Promise<boolean>;
  /** A followed request's capture came (vouched for or not). */
  settled(): void;
}

/**
 * How long found evidence waits for a capture to carry it before it goes on its own. A page making token requests one
 * after another sends its next capture well within this.
 */
export const WAIT_MS = 100;

interface Awaited {
  evidence: Evidence;
  /** The worker answered for the capture. */
  stored: boolean;
  /** Its entry was found. */
  found: boolean;
}

export class EvidenceCourier {
  /** Captures sent whose evidence is still looked for or whose capture is not answered yet, by capture id. */
  private readonly awaiting = new Map<string, Awaited>();
  /** Evidence found for captures the worker stored, waiting for a capture to carry it. */
  private ready: Evidence[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;

  /** @param send hands a batch (at most MAX_EVIDENCE, never empty) to the worker on its own. */
  constructor(
    private readonly source: EvidenceSource,
    private readonly send: (batch: Evidence[]) => void,
  ) {}

  /** A capture left without evidence: look for its entry (up to resource-evidence.ts WAIT_MS). */
  follow(evidence: Evidence): void {
    const awaited: Awaited = { evidence, stored: false, found: false };
    this.awaiting.set(evidence.captureId, awaited);
    void this.source.wasSent(evidence.url, Date.parse(evidence.startedAt)).then((seen) => {
      this.source.settled();
      // Gone with the page (`pageHidden`), taken by a capture meanwhile (`take`), or not seen.
      if (this.awaiting.get(evidence.captureId) !== awaited) return;
      if (!seen) this.awaiting.delete(evidence.captureId);
      else if (awaited.stored) this.toReady(awaited);
      else awaited.found = true;
    });
  }

  /** The worker answered for a capture: its evidence, if found already, is ready to go. */
  stored(captureId: string): void {
    const awaited = this.awaiting.get(captureId);
    if (!awaited) return;
    awaited.stored = true;
    if (awaited.found) this.toReady(awaited);
  }

  private toReady(awaited: Awaited): void {
    this.awaiting.delete(awaited.evidence.captureId);
    this.ready.push(awaited.evidence);
    this.timer ??= setTimeout(() => this.flush(), WAIT_MS);
  }

  /**
   * The evidence for a capture about to leave to carry: what was found for stored captures, and what the browser has
   * delivered by now for them (the next capture often comes before the observer's batch).
   */
  take(): Evidence[] {
    for (const awaited of [...this.awaiting.values()]) {
      const { url, startedAt } = awaited.evidence;
      if (awaited.stored && (awaited.found || this.source.sentNow(url, Date.parse(startedAt)))) this.toReady(awaited);
    }
    const taken = this.ready.splice(0, MAX_EVIDENCE);
    if (this.ready.length === 0 && this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    return taken;
  }

  /** What no capture took: to the worker on its own, several captures' in one message. */
  private flush(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    while (this.ready.length > 0) this.send(this.ready.splice(0, MAX_EVIDENCE));
  }

  /**
   * The page is going away: the evidence still awaited is looked for one last time, in the entries the browser has by
   * now, and sent at once with what was ready, behind its capture on the same port (the worker handles them in order).
   */
  pageHidden(): void {
    for (const awaited of [...this.awaiting.values()]) {
      const { url, startedAt } = awaited.evidence;
      if (awaited.found || this.source.sentNow(url, Date.parse(startedAt))) this.toReady(awaited);
    }
    this.flush();
  }
}
