/**
 * The report in the chosen format, in pieces: the JSON report is written one exchange at a time
 * (the same text as `JSON.stringify(report, null, 2)`), so a report of thousands of exchanges is
 * never one string as large as all of them.
 */
import { toMarkdown } from '../core/format/markdown.js';
import { toSarif } from '../core/format/sarif.js';
import type { Report } from '../core/types.js';
import { colour, noColour, toTable } from './table.js';

export const FORMATS = ['table', 'json', 'markdown', 'sarif'] as const;
export type Format = (typeof FORMATS)[number];

/** Pieces are joined up to about this many characters before they are written. */
const PIECE_CHARS = 64 * 1024;

/** `JSON.stringify(report, null, 2)` and a newline, one exchange at a time. */
function* jsonPieces(report: Report): Generator<string> {
  const skeleton = JSON.stringify({ ...report, exchanges: [] }, null, 2);
  // The top-level member is the only one indented by two spaces: no string can hold an unescaped quote.
  const marker = '\n  "exchanges": []';
  const at = skeleton.indexOf(marker);
  if (report.exchanges.length === 0 || at === -1) {
    yield `${JSON.stringify(report, null, 2)}\n`;
    return;
  }
  yield `${skeleton.slice(0, at)}\n  "exchanges": [\n`;
  const last = report.exchanges.length - 1;
  let batch = '';
  for (let index = 0; index <= last; index++) {
    batch += `    ${JSON.stringify(report.exchanges[index], null, 2).replace(/\n/g, '\n    ')}${index < last ? ',' : ''}\n`;
    if (batch.length >= PIECE_CHARS) {
      yield batch;
      batch = '';
    }
  }
  yield `${batch}  ]${skeleton.slice(at + marker.length)}\n`;
}

/** The report in `format`; `files[i]` names the file exchange i came from (SARIF locations). */
export function* renderReport(report: Report, format: Format, files: readonly string[], useColour: boolean): Generator<string> {
  switch (format) {
    case 'json':
      yield* jsonPieces(report);
      return;
    case 'markdown':
      yield toMarkdown(report);
      return;
    case 'sarif':
      yield `${JSON.stringify(
        toSarif(report, (index) => files[index] ?? 'unknown'),
        null,
        2,
      )}\n`;
      return;
    default:
      yield toTable(report, useColour ? colour : noColour);
  }
}
