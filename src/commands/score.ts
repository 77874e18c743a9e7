// `qualify score`: flags -> one pipeline call (pipeline/score-run.ts) -> notes and summary on
// stderr. Wiring only: the exit status goes back to cli.ts, the only place that sets it.
import type { Command } from 'commander';
import { addReadingOptions, inputPath, oneOf, readingOptions, type ReadingCliOptions } from './shared.js';
import { addFilterOptions, selectionOf, type FilterCliOptions } from './lead-filter-options.js';
// The names only: the registry loads a format's code when it is used, so registering the
// command loads no parser or engine.
import { OUTPUT_FORMAT_NAMES, type OutputFormatName } from '../pipeline/formats/registry.js';

export interface ScoreOptions extends FilterCliOptions, ReadingCliOptions {
  output?: string;
  inPlace?: boolean;
  format: string;
  sanitize: boolean;
  quiet?: boolean;
  skipInvalid?: boolean;
  rejects?: string;
  allowRejects?: boolean;
  engine?: string;
}

export function register(program: Command, action: (fn: () => Promise<void | number>) => Promise<void>): void {
  const cmd = program
    .command('score')
    .summary('score and classify every lead of a CSV file')
    .description(
      'Score and classify every lead of a CSV (a file, or "-" for stdin) with a YAML rules file:\n' +
        'fit and engagement points, decay, disqualifiers and thresholds give each lead a score, tier,\n' +
        'stage, class, action and the reasons behind them. Every input column is kept, in order and\n' +
        'unchanged; the score columns are appended (or replaced in place when the file was scored before).',
    )
    .argument('[file]', 'CSV file to score, or - for stdin');
  addFilterOptions(addReadingOptions(cmd))
    .option('-o, --output <file>', 'write to this file (- for stdout, the default)')
    .option('-i, --in-place', 'update FILE itself, safely: temp file, then rename once complete')
    .option('-f, --format <format>', `output format: ${OUTPUT_FORMAT_NAMES.join(', ')}`, 'csv')
    .option('--no-sanitize', 'do not neutralise cells that a spreadsheet would run as formulas')
    .option('--skip-invalid', 'set rows that cannot be read (wrong number of fields, misplaced quote) aside and score the rest')
    .option('--rejects <file>', 'with --skip-invalid: where the rows set aside go (default: <input>.rejects.csv next to the output)')
    .option('--allow-rejects', 'with --skip-invalid: exit 0 even when rows were set aside (default: exit 1)')
    .option('-q, --quiet', 'no summary on stderr')
    .option('--engine <name>', 'scoring engine: default, or duckdb (the rules compiled to SQL, run on embedded DuckDB)', 'default')
    .addHelpText(
      'after',
      '\nExamples:\n  qualify score fixtures/purchased-list.csv --as-of 2026-11-01 > scored.csv\n  cat leads.csv | qualify score - --tier hot,warm --format ndjson | jq -r .Email\n  qualify score leads.csv --in-place --rules rules/my-team.yaml',
    )
    .action((file: string | undefined, opts: ScoreOptions) => action(() => runScore(file, opts)));
}

export async function runScore(file: string | undefined, opts: ScoreOptions): Promise<number> {
  const format = oneOf<OutputFormatName>('--format', opts.format, OUTPUT_FORMAT_NAMES);
  const input = inputPath(file);
  const reading = readingOptions(opts);
  const [{ scoreLeads }, { createProgress }, { inputNotes, summaryLine, summaryTable }] = await Promise.all([
    import('../pipeline/score-run.js'),
    import('../ui/progress.js'),
    import('../ui/summary.js'),
  ]);
  const progress = createProgress(!opts.quiet);
  const engine = oneOf('--engine', opts.engine ?? 'default', ['default', 'duckdb'] as const);
  const { stats, rules, decimalNotes, exitStatus } = await scoreLeads({
    engine,
    select: selectionOf(opts),
    input,
    rules: reading.rules,
    overrides: reading.overrides,
    csv: reading.csv,
    asOfDay: reading.asOfDay,
    format,
    output: opts.output,
    inPlace: opts.inPlace === true,
    sanitize: opts.sanitize,
    skipInvalid: opts.skipInvalid === true,
    rejects: opts.rejects,
    allowRejects: opts.allowRejects === true,
    decimalHints: !opts.quiet,
    onProgress: (p) => progress.update(p),
  });
  progress.done();
  // A diagnostic for the benchmark and for a user asking why a run took the time it did: how the
  // run chose its threads (pipeline/thread-plan.ts) and the share of rows the worker scored.
  if (process.env['QUALIFY_THREADS_TRACE'] === '1' && stats.threads) {
    const t = stats.threads;
    process.stderr.write(`qualify: threads: ${t.why || 'one thread'}; the worker scored ${t.workerRows.toLocaleString('en-US')} of ${stats.rowsRead.toLocaleString('en-US')} rows\n`);
  }
  // Said even with --quiet, since it explains the exit status.
  const rejectedLine =
    stats.rejectsFile === null
      ? ''
      : `${stats.rejected.toLocaleString('en-US')} row${stats.rejected === 1 ? '' : 's'} could not be read and ${stats.rejected === 1 ? 'was' : 'were'} set aside in ${stats.rejectsFile}`;
  if (opts.quiet) {
    if (stats.rejected > 0) process.stderr.write(`qualify: ${rejectedLine}${opts.allowRejects ? '' : ' (exit status 1; --allow-rejects accepts them)'}\n`);
    return exitStatus;
  }
  for (const note of [...stats.readerNotes, ...decimalNotes, ...inputNotes(stats)]) process.stderr.write(`note: ${note}\n`);
  if (stats.closedEarly) return exitStatus;
  const tierOrder = [...rules.thresholds].sort((a, b) => b.min - a.min).map((t) => t.tier);
  process.stderr.write((process.stderr.isTTY ? summaryTable(stats, tierOrder) : summaryLine(stats)) + '\n');
  if (rejectedLine) process.stderr.write(`qualify: ${rejectedLine}${stats.rejected > 0 && !opts.allowRejects ? ' (exit status 1; --allow-rejects accepts them)' : ''}\n`);
  return exitStatus;
}

