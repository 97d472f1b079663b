/**
 * Where captured tokens go afterwards: the page hook sees each token a watched
 * page sends as `Authorization: Bearer` (once per token and host) and the relay
 * reports its fingerprint. A use of a token the store holds is kept; one sent to a host
 * outside its resource server becomes a token-sent-beyond-audience finding.
 *
 * (Not webRequest.onBeforeSendHeaders: a listener there makes every fetch and
 * XHR of a watched site a round trip to the worker, about 15% on the page's
 * own request times; see docs/BENCHMARKS.md.)
 */
import { buildReport } from '../core/analysis/index.js';
import { STORE_LIMITS } from '../core/limits.js';
import { SerialQueue } from '../core/serial-queue.js';
import type { BearerUse } from '../core/types.js';
import type { AnalysisMemo } from './analysis-memo.js';
import type { ExchangeStore, StorageArea } from './store.js';

const KEY = 'bearerUses';

export class BearerLog {
  /** One write at a time; a failed write fails that call only, never the ones after it. */
  private readonly queue = new SerialQueue();
  /** The fingerprints of the stored tokens; derived from the store, rebuilt after it changes (and after a worker restart). */
  private known: Promise<Set<string>> | null = null;

  constructor(
    private readonly area: StorageArea,
    private readonly store: ExchangeStore,
    /** Each exchange's analysis, made once (shared with the badge and the views). */
    private readonly memo?: AnalysisMemo,
  ) {
    // Whatever source stored a token, the known set is rebuilt on the next request that carries one.
    store.onChange(() => this.invalidate());
  }

  invalidate(): void {
    this.known = null;
  }

  /** Every token fingerprint in the stored exchanges' report, introspected tokens included (not only `issuedTokens`). */
  private knownTokens(): Promise<Set<string>> {
    this.known ??= this.store.read().then(({ exchanges }) => {
      const fingerprints = new Set<string>();
      const analyze = this.memo?.analyzerFor(exchanges);
      for (const exchange of buildReport(
        exchanges.map((e) => e.exchange),
        {},
        analyze,
      ).exchanges) {
        for (const server of exchange.resourceServers) for (const token of server.tokens) fingerprints.add(token.fingerprint);
      }
      return fingerprints;
    });
    return this.known;
  }

  /** Keep a use of a stored token (anything else is dropped). Resolves to whether it was kept. */
  record(use: BearerUse): Promise<boolean> {
    return this.knownTokens().then((known) => {
      if (!known.has(use.fingerprint)) return false;
      return this.queue.run(async () => {
        const items = await this.area.get([KEY]);
        const uses = Array.isArray(items[KEY]) ? (items[KEY] as BearerUse[]) : [];
        if (uses.some((u) => u.fingerprint === use.fingerprint && u.url === use.url && u.method === use.method)) return true;
        uses.push(use);
        await this.area.set({ [KEY]: uses.slice(-STORE_LIMITS.bearerUses) });
        return true;
      });
    });
  }

  async uses(): Promise<BearerUse[]> {
    const items = await this.area.get([KEY]);
    return Array.isArray(items[KEY]) ? (items[KEY] as BearerUse[]) : [];
  }

  clear(): Promise<void> {
    return this.queue.run(() => this.area.set({ [KEY]: [] }));
  }
}
