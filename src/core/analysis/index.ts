/** The analysis' public functions, for the CLI, the worker and the views. */
export { type AnalyzeOne, buildReport, type FactsOne, reportOf, summarize } from './build-report.js';
export { type TokenRequestFacts, tokenRequestFacts } from '../sign-in/join.js';
export { analyzeExchange, type ExchangeAnalysisOptions, exchangeId } from './exchange.js';
