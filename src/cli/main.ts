/**
 * `tokenscope analyze FILE...`: the core's analysis on HAR files, raw token
 * responses and exported reports; exits 1 on a finding at or over --fail-on.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import { buildReport, summarize } from '../core/analysis/index.js';
import { toMarkdown } from '../core/format/markdown.js';
import { toSarif } from '../core/format/sarif.js';
import { InputError, readInput } from '../core/input.js';
import { RULES } from '../core/rules/catalogue.js';
import { findingsAtOrOver } from '../core/severity.js';
import type { SignInReport, SignInStep } from '../core/sign-in/types.js';
import type { BearerUse, CapturedExchange, ExchangeReport, Report } from '../core/types.js';
import { VERSION } from '../core/version.js';
import { colour, noColour, toTable } from './table.js';

export const EXIT_CLEAN = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

const FORMATS = ['table', 'json', 'markdown', 'sarif'] as const;
const THRESHOLDS = ['high', 'medium', 'low', 'never'] as const;
type Format = (typeof FORMATS)[number];
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
  readStdin: () => string;
  isTty: boolean;
  env: Record<string, string | undefined>;
  cwd: string;
  now: () => Date;
}

class UsageError extends Error {}

function fail(io: Io, message: string): number {
  io.stderr(`tokenscope: ${message.replace(/\s+/g, ' ').trim()}\n`);
  return EXIT_USAGE;
}

function readSource(file: string, io: Io): { text: string; startedAt: string } {
  if (file === '-') return { text: io.readStdin(), startedAt: io.now().toISOString() };
  try {
    const stats = statSync(file);
    if (stats.isDirectory()) throw new InputError(`${file} is a directory`);
    return { text: readFileSync(file, 'utf8'), startedAt: stats.mtime.toISOString() };
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new InputError(`cannot read ${file}: ${reason}`);
  }
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

/** Every FILE read: exchanges to analyze, reports already analyzed, and the file each came from. */
interface Inputs {
  captured: CapturedExchange[];
  bearerUses: BearerUse[];
  signInSteps: SignInStep[];
  capturedFiles: string[];
  imported: ExchangeReport[];
  importedSignIns: SignInReport[];
  importedFiles: string[];
}

/** Read every FILE ("-" is stdin). Throws InputError for one that cannot be read. */
function readInputs(files: readonly string[], io: Io): Inputs {
  const inputs: Inputs = {
    captured: [],
    bearerUses: [],
    signInSteps: [],
    capturedFiles: [],
    imported: [],
    importedSignIns: [],
    importedFiles: [],
  };
  for (const file of files) {
    const { text, startedAt } = readSource(file, io);
    const input = readInput(text, file === '-' ? 'stdin' : file, startedAt);
    const label = file === '-' ? 'stdin' : relative(io.cwd, file) || file;
    if (input.kind === 'report') {
      inputs.imported.push(...input.report.exchanges);
      inputs.importedSignIns.push(...(input.report.signIns ?? []));
      for (const _ of input.report.exchanges) inputs.importedFiles.push(label);
    } else {
      if (input.kind === 'har') {
        inputs.bearerUses.push(...input.bearerUses);
        inputs.signInSteps.push(...input.signInSteps);
      }
      inputs.captured.push(...input.exchanges);
      for (const _ of input.exchanges) inputs.capturedFiles.push(label);
    }
  }
  return inputs;
}

/** The report in the chosen format; `files[i]` names the file exchange i came from (SARIF locations). */
function render(report: Report, format: Format, files: readonly string[], useColour: boolean): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(report, null, 2)}\n`;
    case 'markdown':
      return toMarkdown(report);
    case 'sarif':
      return `${JSON.stringify(
        toSarif(report, (index) => files[index] ?? 'unknown'),
        null,
        2,
      )}\n`;
    default:
      return toTable(report, useColour ? colour : noColour);
  }
}

/** Run the CLI with `args` (without `node` and the script). Returns the exit status. */
export function run(args: string[], io: Io): number {
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
    inputs = readInputs(options.positionals, io);
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
  const exchanges = [...analyzed.exchanges, ...inputs.imported];
  const signIns = [...analyzed.signIns, ...inputs.importedSignIns];
  const report: Report = { tool: 'tokenscope', version: VERSION, exchanges, signIns, summary: summarize(exchanges, signIns) };
  const files = [...inputs.capturedFiles, ...inputs.importedFiles];
  const output = render(report, options.format, files, io.isTty && !options.values.output && !io.env.NO_COLOR);
  if (options.values.output) {
    try {
      writeFileSync(options.values.output, output);
    } catch (error) {
      return fail(io, `cannot write ${options.values.output}: ${(error as Error).message}`);
    }
  } else {
    io.stdout(output);
  }
  return exceeds(report, options.failOn) ? EXIT_FINDINGS : EXIT_CLEAN;
}
