/**
 * What an imported file becomes: the report (with token values, for reveal and export) and the
 * notes on what was not read. Runs in the import worker, off the view's main thread.
 */
import { buildReport } from '../../core/analysis/index.js';
import { matchBearerUses } from '../../core/har-stream/index.js';
import { InputError } from '../../core/input.js';
import type { StreamedInput } from '../../core/input-stream.js';
import { firstSchemaFault } from '../../core/schema-check.js';
import type { Report } from '../../core/types.js';
import REPORT_SCHEMA from '../../../report.schema.json' with { type: 'json' };

/** What the import worker answers when a file is read. */
export interface ImportedReport {
  /** The report with token values. */
  report: Report;
  /** What was not read, or only in part (a HAR cut short, more exchanges than a view holds). */
  notes: string[];
}

export function analyzeImport(input: StreamedInput): ImportedReport {
  if (input.kind === 'report') {
    // A report read back is untrusted: checked against the published schema before any view renders it.
    const fault = firstSchemaFault(input.report, REPORT_SCHEMA);
    if (fault) throw new InputError(`This is not a Tokenscope report: ${fault.path || 'the top'} ${fault.message}.`);
    return { report: input.report, notes: [] };
  }
  if (input.kind !== 'har') return { report: buildReport(input.exchanges, { showTokens: true }), notes: [] };
  const { result } = input;
  return {
    report: buildReport(result.exchanges, { showTokens: true, bearerUses: matchBearerUses(result), signInSteps: result.signInSteps }),
    notes: result.notes,
  };
}
