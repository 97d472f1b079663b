/** The analysis' public functions, for the CLI, the worker and the views. */
export { type AnalyzeOne, buildReport, summarize } from './build-report.js';
export { analyzeExchange, exchangeId } from './exchange.js';
