/**
 * Everything a test's browser context sends and receives that Tokenscope can use, heard through
 * Playwright's own network events: `context.on('request' | 'requestfinished' | 'requestfailed')`
 * cover every page, popup and frame of the context, the dedicated workers of its pages, and the
 * service workers where the browser reports them (Chromium). No extension, nothing injected in the
 * pages. Token values stay in this object's memory; reports carry fingerprints.
 */
import type { AuthorizationStep } from '../core/har-stream/entry.js';
import type { BrowserContext, Request, Response } from '@playwright/test';
import { buildReport } from '../core/analysis/index.js';
import { signInStepsFromHar } from '../core/sign-in/har.js';
import { readHar } from '../core/har.js';
import type { AnalyzeOptions, BearerUse, CapturedExchange, Report } from '../core/types.js';
import { AUTHORIZATION_URL, type Ending, type HarEntry, isCandidate, toHarEntry } from './entry.js';

export type { AuthorizationStep };

/** How long `settle` waits for token requests still in flight before reporting them as unanswered. */
export const SETTLE_TIMEOUT_MS = 10_000;

export class NetworkRecorder {
  private readonly entries: Array<{ order: number; entry: HarEntry }> = [];
  private readonly started = new WeakMap<Request, { order: number; at: number }>();
  /** Token-request candidates seen starting and not yet finished or failed. */
  private readonly inFlight = new Map<Request, () => void>();
  private readonly work = new Set<Promise<void>>();
  private readonly done = new WeakSet<Request>();
  private order = 0;
  /** Responses of the candidates in flight, for those whose body never finishes. */
  private readonly responses = new WeakMap<Request, Response>();
  private readonly listen = {
    request: (request: Request) => this.onRequest(request),
    response: (response: Response) => this.onResponse(response),
    finished: (request: Request) => this.onDone(request, { kind: 'finished' }),
    failed: (request: Request) => this.onDone(request, { kind: 'failed' }),
  };

  constructor(private readonly context: BrowserContext) {
    context.on('request', this.listen.request);
    context.on('response', this.listen.response);
    context.on('requestfinished', this.listen.finished);
    context.on('requestfailed', this.listen.failed);
  }

  /** Stop listening (the fixture's teardown). */
  stop(): void {
    this.context.off('request', this.listen.request);
    this.context.off('response', this.listen.response);
    this.context.off('requestfinished', this.listen.finished);
    this.context.off('requestfailed', this.listen.failed);
    for (const release of this.inFlight.values()) release();
  }

  private onRequest(request: Request): void {
    this.started.set(request, { order: this.order++, at: Date.now() });
    if (isCandidate(request)) {
      const done = new Promise<void>((resolve) => this.inFlight.set(request, resolve));
      this.track(done);
    }
  }

  private onResponse(response: Response): void {
    const request = response.request();
    if (this.inFlight.has(request)) this.responses.set(request, response);
    // A resource server's 401 to a call with a token (RFC 9449 s9's nonce challenge, RFC 6750 s3): its headers are all
    // the use needs, and a client that retries never reads its body, so Chromium may never finish the request.
    else if (response.status() === 401 && /^(Bearer|DPoP)\s/i.test(request.headers().authorization ?? ''))
      this.onDone(request, { kind: 'unfinished', response });
  }

  private onDone(request: Request, ending: Ending): void {
    if (this.done.has(request)) return; // a request settle() already gave up on
    this.done.add(request);
    const start = this.started.get(request) ?? { order: this.order++, at: Date.now() };
    const task = toHarEntry(request, start.at, ending)
      .then((entry) => {
        if (entry) this.entries.push({ order: start.order, entry });
      })
      .catch(() => undefined) // the context went away mid-read: nothing to keep from this request
      .finally(() => {
        this.inFlight.get(request)?.();
        this.inFlight.delete(request);
      });
    this.track(task);
  }

  private track(task: Promise<void>): void {
    this.work.add(task);
    void task.finally(() => this.work.delete(task));
  }

  /**
   * Waits until every token request seen starting has finished (or `timeoutMs` passed) and every
   * body read is done. Candidates still unanswered then count as requests without a response.
   */
  async settle(timeoutMs = SETTLE_TIMEOUT_MS): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.work.size > 0 && Date.now() < deadline) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, deadline - Date.now());
      });
      await Promise.race([Promise.all(this.work), timeout]);
      clearTimeout(timer);
    }
    if (this.inFlight.size === 0) return;
    for (const request of [...this.inFlight.keys()])
      this.onDone(request, { kind: 'unfinished', response: this.responses.get(request) ?? null });
    await Promise.all(this.work);
  }

  /** The HAR entries so far, in the order their requests started. */
  harEntries(): HarEntry[] {
    return [...this.entries].sort((a, b) => a.order - b.order).map(({ entry }) => entry);
  }

  /** The token exchanges seen so far and where captured tokens were sent as Bearer, as the core reads them. */
  captured(): { exchanges: CapturedExchange[]; bearerUses: BearerUse[] } {
    const { exchanges, bearerUses } = readHar({ log: { entries: this.harEntries() } });
    return { exchanges: exchanges.map((exchange) => ({ ...exchange, source: 'playwright' })), bearerUses };
  }

  /** Authorization requests and the redirects answering them, in order. */
  authorizations(): AuthorizationStep[] {
    return this.harEntries()
      .filter(({ request, response }) => AUTHORIZATION_URL.test(request.url) || AUTHORIZATION_URL.test(response.redirectURL))
      .map(({ request, response, startedDateTime }) => ({
        url: request.url,
        method: request.method,
        status: response.status > 0 ? response.status : null,
        location: response.redirectURL || null,
        at: startedDateTime,
      }));
  }

  /** The report (the CLI's `--format json`) on everything settled so far. */
  async report(options: Omit<AnalyzeOptions, 'bearerUses'> = {}): Promise<Report> {
    await this.settle();
    const { exchanges, bearerUses } = this.captured();
    // The sign-ins' front channel, read from the same entries exactly as from a saved HAR.
    return buildReport(exchanges, { signInSteps: signInStepsFromHar(this.harEntries()), ...options, bearerUses });
  }
}
