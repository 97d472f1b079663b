/**
 * `tokenscope analyze FILE...`: the core's analysis on HAR files, raw token
 * responses and exported reports; exits 1 on a finding at or over --fail-on.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { buildReport, reportOf } from '../core/analysis/index.js';
import { InputError } from '../core/input.js';
import { RULES } from '../core/rules/catalogue.js';
import { firstSchemaFault } from '../core/schema-check.js';
import { findingsAtOrOver } from '../core/severity.js';
import type { SignInReport, SignInStep } from '../core/sign-in/types.js';
import type { BearerUse, CapturedExchange, ExchangeReport, Report } from '../core/types.js';
import { VERSION } from '../core/version.js';
import { ProgressLine } from './progress.js';
import { readInputs } from './read-inputs.js';
import { FORMATS, type Format, renderReport } from './render.js';
import { fileSource, type Source, stdinSource } from './sources.js';
import REPORT_SCHEMA from '../../report.schema.json' with { type: 'json' };

export const EXIT_CLEAN = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

const THRESHOLDS = ['high', 'medium', 'low', 'never'] as const;
type Threshold = (typeof THRESHOLDS)[number];

export const USAGE = `Usage: tokenscope analyze FILE... [options]

Analyze OAuth 2.0 / OpenID Connect token exchanges: which tokens each resource
server received, and every token whose audience goes beyond its server.

FILE is a HAR file (saved "with content"), a raw token response (JSON or form
data), one exchange as JSON, or a report exported by Tokenscope. "-" reads stdin.

Options:
  --format table|json|markdown|sarif   output format (default: table)
  --fail-on high|medium|low|never      exit 1 on a finding at or over this severity (default: high)
  --show-tokens                        print token values (default: SHA-256 fingerprints only)
  --at TIME                            check exp/nbf at this ISO-8601 time (default: capture time;
                                       now for a raw response)
  --output FILE, -o FILE               write the output to FILE instead of stdout
  --help, -h                           this help
  --version                            the version

Other commands:
  tokenscope rules                     list the rules, their severities and standards

Exit status: 0 no finding at or over --fail-on, 1 findings at or over it,
2 usage error or unreadable input.
`;

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Standard input as byte chunks (read only for "-"). */
  stdin: () => AsyncIterable<Uint8Array>;
  /** Whether stdout is a terminal (colour). */
  isTty: boolean;
  /** Whether stderr is a terminal (the progress line). */
  stderrIsTty?: boolean;
  env: Record<string, string | undefined>;
  cwd: string;
  now: () => Date;
  /** The script worker threads run (the CLI's own entry); without it, every file is read in this thread. */
  workerUrl?: URL;
}

class UsageError extends Error {}

function fail(io: Io, message: string): number {
  io.stderr(`tokenscope: ${message.replace(/\s+/g, ' ').trim()}\n`);
  return EXIT_USAGE;
}

function parseOptions(args: string[]) {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      format: { type: 'string', default: 'table' },
      'fail-on': { type: 'string', default: 'high' },
      'show-tokens': { type: 'boolean', default: false },
      at: { type: 'string' },
      output: { type: 'string', short: 'o' },
      help: { type: 'boolean', short: 'h', default: false },
      version: { type: 'boolean', default: false },
    },
  });
  const format = values.format as Format;
  if (!FORMATS.includes(format))
    throw new UsageError(`--format must be one of ${FORMATS.join(', ')} (got ${JSON.stringify(values.format)})`);
  const failOn = values['fail-on'] as Threshold;
  if (!THRESHOLDS.includes(failOn))
    throw new UsageError(`--fail-on must be one of ${THRESHOLDS.join(', ')} (got ${JSON.stringify(values['fail-on'])})`);
  let at: Date | undefined;
  if (values.at !== undefined) {
    at = new Date(values.at);
    if (Number.isNaN(at.getTime())) throw new UsageError(`--at must be an ISO-8601 time (got ${JSON.stringify(values.at)})`);
  }
  return { values, positionals, format, failOn, at };
}

/** Whether any finding is at or over the threshold. */
export function exceeds(report: Report, failOn: Threshold): boolean {
  return findingsAtOrOver([...report.exchanges, ...(report.signIns ?? [])], failOn).length > 0;
}

function rulesList(): string {
  return `${Object.values(RULES)
    .map((rule) => `${rule.id.padEnd(28)} ${rule.severity.padEnd(7)} ${rule.title} (${rule.standard})`)
    .join('\n')}\n`;
}

/** Every FILE read: exchanges to analyze, reports already analyzed, the file each came from, what was not read. */
interface Inputs {
  captured: CapturedExchange[];
  bearerUses: BearerUse[];
  signInSteps: SignInStep[];
  capturedFiles: string[];
  imported: ExchangeReport[];
  importedSignIns: SignInReport[];
  importedFiles: string[];
  /** Notes on what was not read, each naming its input. */
  notes: string[];
  /** HARs that broke off: read up to the fault, reported, and exit 2. */
  faults: string[];
}

/** Read every FILE ("-" is stdin), in parallel when there are several. Throws InputError for one that cannot be read. */
async function readAll(files: readonly string[], io: Io): Promise<Inputs> {
  const sources = files.map((file) => (file === '-' ? stdinSource(io.stdin, io.now().toISOString()) : fileSource(file, io.cwd)));
  const sizes = sources.map((source) => source.size);
  const total = sizes.includes(null) ? null : (sizes as number[]).reduce((sum, size) => sum + size, 0);
  const progress = new ProgressLine(io.stderr, sources.length, total, io.stderrIsTty === true);
  let read: Awaited<ReturnType<typeof readInputs>>;
  try {
    read = await readInputs({
      sources,
      files: files.map((file) => (file === '-' ? null : file)),
      cwd: io.cwd,
      workerUrl: io.workerUrl ?? null,
      onProgress: (index, done) => progress.update(index, done),
    });
  } finally {
    progress.done();
  }
  const inputs: Inputs = {
    captured: [],
    bearerUses: read.bearerUses,
    signInSteps: [],
    capturedFiles: [],
    imported: [],
    importedSignIns: [],
    importedFiles: [],
    notes: [],
    faults: [],
  };
  read.inputs.forEach((input, index) => {
    const { label, name } = sources[index] as Source;
    if (input.kind === 'report') {
      // A report read back is untrusted: checked against the published schema before anything reads it.
      const fault = firstSchemaFault(input.report, REPORT_SCHEMA);
      if (fault) throw new InputError(`${name} is not a Tokenscope report: ${fault.path || 'the top'} ${fault.message}`);
      for (const exchange of input.report.exchanges) inputs.imported.push(exchange);
      for (const signIn of input.report.signIns ?? []) inputs.importedSignIns.push(signIn);
      for (const _ of input.report.exchanges) inputs.importedFiles.push(label);
      return;
    }
    for (const exchange of input.exchanges) inputs.captured.push(exchange);
    for (const _ of input.exchanges) inputs.capturedFiles.push(label);
    if (input.kind !== 'har') return;
    for (const step of input.signInSteps) inputs.signInSteps.push(step);
    for (const note of input.notes) inputs.notes.push(`${label}: ${note}`);
    if (input.error)
      inputs.faults.push(
        `${name}: reading stopped at byte ${input.error.offset}: ${input.error.message}; the report holds the ${input.exchanges.length} exchange(s) read before it`,
      );
  });
  return inputs;
}

/** Writes the pieces to FILE, or to stdout. Throws with the system's reason when FILE cannot be written. */
function writeOutput(pieces: Iterable<string>, file: string | undefined, io: Io): void {
  if (!file) {
    for (const piece of pieces) io.stdout(piece);
    return;
  }
  const fd = openSync(file, 'w');
  try {
    for (const piece of pieces) writeSync(fd, piece);
  } finally {
    closeSync(fd);
  }
}

/** Run the CLI with `args` (without `node` and the script). Returns the exit status. */
export async function run(args: string[], io: Io): Promise<number> {
  const [command, ...rest] = args;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    io.stdout(USAGE);
    return command === undefined ? EXIT_USAGE : EXIT_CLEAN;
  }
  if (command === '--version') {
    io.stdout(`${VERSION}\n`);
    return EXIT_CLEAN;
  }
  if (command === 'rules') {
    io.stdout(rulesList());
    return EXIT_CLEAN;
  }
  if (command !== 'analyze') return fail(io, `unknown command ${JSON.stringify(command)}; try "tokenscope analyze FILE" or --help`);

  let options: ReturnType<typeof parseOptions>;
  try {
    options = parseOptions(rest);
  } catch (error) {
    return fail(io, `${(error as Error).message}; see tokenscope --help`);
  }
  if (options.values.help) {
    io.stdout(USAGE);
    return EXIT_CLEAN;
  }
  if (options.values.version) {
    io.stdout(`${VERSION}\n`);
    return EXIT_CLEAN;
  }
  if (options.positionals.length === 0) return fail(io, 'no FILE given; usage: tokenscope analyze FILE... (see --help)');

  let inputs: Inputs;
  try {
    inputs = await readAll(options.positionals, io);
  } catch (error) {
    if (error instanceof InputError) return fail(io, error.message);
    throw error;
  }

  const analyzed = buildReport(inputs.captured, {
    showTokens: options.values['show-tokens'],
    at: options.at,
    bearerUses: inputs.bearerUses,
    signInSteps: inputs.signInSteps,
  });
  // What was read is analyzed: let it go before the output is written (a large HAR's exchanges are many).
  inputs.captured = [];
  inputs.bearerUses = [];
  inputs.signInSteps = [];
  const exchanges = analyzed.exchanges.concat(inputs.imported);
  const signIns = [...analyzed.signIns, ...inputs.importedSignIns];
  const report: Report = reportOf(exchanges, signIns, inputs.notes);
  const files = [...inputs.capturedFiles, ...inputs.importedFiles];
  const pieces = renderReport(report, options.format, files, io.isTty && !options.values.output && !io.env.NO_COLOR);
  try {
    writeOutput(pieces, options.values.output, io);
  } catch (error) {
    return fail(io, `cannot write ${options.values.output}: ${(error as Error).message}`);
  }
  // A HAR that broke off is unreadable input (exit 2), though what was read before the fault is reported.
  for (const fault of inputs.faults) fail(io, fault);
  if (inputs.faults.length) return EXIT_USAGE;
  return exceeds(report, options.failOn) ? EXIT_FINDINGS : EXIT_CLEAN;
}
