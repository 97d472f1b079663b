/**
 * Where captured tokens go afterwards: the page hook sees each token a watched
 * page sends as `Authorization: Bearer` (once per token and host) and the relay
 * reports its fingerprint. A use of a token the store holds is kept; one sent to a host
 * outside its resource server becomes a token-sent-beyond-audience finding. A use of a
 * token not stored yet is held for its tab (bearer-held.ts) and kept when the exchange
 * that issued it is stored (`release`).
 *
 * (Not webRequest.onBeforeSendHeaders: a listener there makes every fetch and
 * XHR of a watched site a round trip to the worker, about 15% on the page's
 * own request times; see docs/BENCHMARKS.md.)
 */
import { analyzeExchange, buildReport } from '../core/analysis/index.js';
import { STORE_LIMITS } from '../core/limits.js';
import type { BearerUse } from '../core/types.js';
import type { AnalysisMemo } from './analysis-memo.js';
import { TabUses } from './bearer-held.js';
import type { ExchangeStore, StorageArea, StoredExchange } from './store.js';

/** What became of a reported use: kept (its token is stored), held (not stored yet), or dropped (nowhere to hold it). */
export type BearerOutcome = 'recorded' | 'held' | 'dropped';

/** Every token fingerprint in one analyzed exchange. */
function fingerprintsOf(resourceServers: ReadonlyArray<{ tokens: ReadonlyArray<{ fingerprint: string }> }>, into: Set<string>): void {
  for (const server of resourceServers) for (const token of server.tokens) into.add(token.fingerprint);
}

export class BearerLog {
  /** The fingerprints of the stored tokens; derived from the store, rebuilt after it changes (and after a worker restart). */
  private known: Promise<Set<string>> | null = null;
  private readonly held: TabUses;
  /** The recorded uses, per tab (bearer-held.ts): another tab's uses, however many, never push these out. */
  private readonly recorded: TabUses;

  constructor(
    area: StorageArea,
    private readonly store: ExchangeStore,
    /** Each exchange's analysis, made once (shared with the badge and the views). */
    private readonly memo?: AnalysisMemo,
  ) {
    this.held = new TabUses(area);
    this.recorded = new TabUses(area, 'bearerUses', STORE_LIMITS.bearerUses);
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
        fingerprintsOf(exchange.resourceServers, fingerprints);
      }
      return fingerprints;
    });
    return this.known;
  }

  /** Append uses to their tabs' logs (each once). */
  private async keep(added: readonly { tabId: number; use: BearerUse }[]): Promise<void> {
    const byTab = new Map<number, BearerUse[]>();
    for (const { tabId, use } of added) byTab.set(tabId, [...(byTab.get(tabId) ?? []), use]);
    for (const [tabId, uses] of byTab) await this.recorded.add(tabId, uses);
  }

  /**
   * A use the page reported from `tabId`: kept if its token is stored, else held for the tab until the exchange that
   * issued it is stored (`release`). Resolves once it is in storage.session either way.
   */
  async record(use: BearerUse, tabId: number): Promise<BearerOutcome> {
    if ((await this.knownTokens()).has(use.fingerprint)) {
      await this.keep([{ tabId, use }]);
      return 'recorded';
    }
    await this.held.hold(tabId, use);
    // The exchange may have been stored (and released nothing) while this use was being held: look once more (the
    // store's change made the known set stale, so this reads it anew; unchanged, it is the same set).
    if (!(await this.knownTokens()).has(use.fingerprint)) return 'held';
    const taken = await this.held.take(new Set([use.fingerprint]));
    if (taken.length > 0) await this.keep(taken);
    return 'recorded';
  }

  /**
   * An exchange was stored: the held uses of its tokens are kept now. Only that exchange's own analysis is read (made
   * once, shared with the badge), and nothing at all while nothing is held. Resolves to how many were kept.
   */
  async release(stored: StoredExchange): Promise<number> {
    if (!(await this.held.any())) return 0;
    const fingerprints = new Set<string>();
    fingerprintsOf((this.memo ? this.memo.analyze(stored) : analyzeExchange(stored.exchange)).resourceServers, fingerprints);
    const taken = await this.held.take(fingerprints);
    if (taken.length > 0) await this.keep(taken);
    return taken.length;
  }

  /** Every tab's recorded uses (a token captured in one tab and sent from another counts there too). */
  uses(): Promise<BearerUse[]> {
    return this.recorded.all();
  }

  /** Clear every use (tabId null) and what is held; for one tab, only what is held for it (uses count for every tab). */
  async clear(tabId: number | null = null): Promise<void> {
    await this.held.clear(tabId);
    if (tabId === null) await this.recorded.clear(null);
  }
}
