/**
 * Each stored exchange's own analysis, made once: a capture analyzes one exchange, not its whole tab, and the
 * badge, the views and the Bearer log read the rest from here. Derived state only (a restarted worker starts
 * empty and analyzes on demand); bounded to four times the store's per-tab capacity (a few busy tabs). Reports with
 * token values are never kept.
 */
import { type AnalyzeOne, analyzeExchange, type FactsOne, type TokenRequestFacts, tokenRequestFacts } from '../core/analysis/index.js';
import { BoundedMap } from '../core/bounded-map.js';
import type { ExchangeReport } from '../core/types.js';
import type { StoredExchange } from './store.js';

export class AnalysisMemo {
  private readonly reports: BoundedMap<string, ExchangeReport>;
  /** Each exchange's token-request facts, for the sign-in joins every report makes again (parsing and hashing each body). */
  private readonly facts: BoundedMap<string, TokenRequestFacts>;

  constructor(capacity: number) {
    this.reports = new BoundedMap(capacity);
    this.facts = new BoundedMap(capacity);
  }

  /** What the analysis of a stored exchange depends on: its content (the dedupe key), time and source. */
  private static keyOf(stored: StoredExchange): string {
    return `${stored.key} ${stored.exchange.startedAt} ${stored.exchange.source}`;
  }

  /** The exchange's own analysis, with a fresh findings array (the rules across exchanges add to it). */
  analyze(stored: StoredExchange): ExchangeReport {
    const report = this.reports.getOrMake(AnalysisMemo.keyOf(stored), () => analyzeExchange(stored.exchange));
    return { ...report, findings: [...report.findings] };
  }

  /** The exchange's token-request facts, read once. */
  factsOf(stored: StoredExchange): TokenRequestFacts {
    return this.facts.getOrMake(AnalysisMemo.keyOf(stored), () => tokenRequestFacts(stored.exchange));
  }

  /** For `buildReport`: the facts of `list[index]`. */
  factsFor(list: readonly StoredExchange[]): FactsOne {
    return (_exchange, index) => this.factsOf(list[index] as StoredExchange);
  }

  /** For `buildReport`: the analysis of `list[index]`. */
  analyzerFor(list: readonly StoredExchange[]): AnalyzeOne {
    return (_exchange, index) => this.analyze(list[index] as StoredExchange);
  }
}
