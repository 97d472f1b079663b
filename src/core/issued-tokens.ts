/** One walk over every token a report's token exchanges issued, for the rules and views that look across exchanges. */
import type { ExchangeReport, ResourceServerReport, TokenReport } from './types.js';

export interface IssuedToken {
  exchange: ExchangeReport;
  server: ResourceServerReport;
  token: TokenReport;
}

/** Every token of every token exchange (introspection answers excluded), in report order. */
export function* issuedTokens(exchanges: readonly ExchangeReport[]): Generator<IssuedToken> {
  for (const exchange of exchanges) {
    if (exchange.kind !== 'token') continue;
    for (const server of exchange.resourceServers) for (const token of server.tokens) yield { exchange, server, token };
  }
}
