// `qualify score`: options -> rules -> scoreFile -> summary. Wiring only.
import type { Command } from 'commander';
import { QualifyError } from '../core/errors.js';
import { addReadingOptions, inputPath, oneOf, readingOptions, type ReadingCliOptions } from './shared.js';

// Declared here (not imported) so that registering the command loads no parser or engine.
type OutputFormat = 'csv' | 'json' | 'ndjson';
const OUTPUT_FORMATS: readonly OutputFormat[] = ['csv', 'json', 'ndjson'];

export interface ScoreOptions extends ReadingCliOptions {
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

export function register(program: Command, action: (fn: () => Promise<void>) => Promise<void>): void {
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
  addReadingOptions(cmd)
    .option('-o, --output <file>', 'write to this file (- for stdout, the default)')
    .option('-i, --in-place', 'update FILE itself, safely: temp file, then rename once complete')
    .option('-f, --format <format>', `output format: ${OUTPUT_FORMATS.join(', ')}`, 'csv')
    .option('--no-sanitize', 'do not neutralise cells that a spreadsheet would run as formulas')
    .option('--skip-invalid', 'set rows that cannot be read (wrong number of fields, misplaced quote) aside and score the rest')
    .option('--rejects <file>', 'with --skip-invalid: where the rows set aside go (default: <input>.rejects.csv next to the output)')
    .option('--allow-rejects', 'with --skip-invalid: exit 0 even when rows were set aside (default: exit 1)')
    .option('-q, --quiet', 'no summary on stderr')
    .option('--engine <name>', 'scoring engine: default, or duckdb (the rules compiled to SQL, run on embedded DuckDB)', 'default')
    .addHelpText(
      'after',
      '\nExamples:\n  qualify score fixtures/purchased-list.csv --as-of 2026-11-01 > scored.csv\n  cat leads.csv | qualify score - --format ndjson | jq \'select(.tier == "hot")\'\n  qualify score leads.csv --in-place --rules rules/my-team.yaml',
    )
    .action((file: string | undefined, opts: ScoreOptions) => action(() => runScore(file, opts)));
}

export async function runScore(file: string | undefined, opts: ScoreOptions): Promise<void> {
  const format = oneOf<OutputFormat>('--format', opts.format, OUTPUT_FORMATS);
  const input = inputPath(file);
  if (opts.inPlace) {
    if (input === '-') throw new QualifyError('ARG_INVALID', '--in-place needs a FILE, not stdin', { kind: 'arg', option: '--in-place' });
    if (opts.output !== undefined) throw new QualifyError('ARG_INVALID', 'use either --in-place or --output, not both', { kind: 'arg', option: '--in-place' });
    if (format !== 'csv') throw new QualifyError('ARG_INVALID', '--in-place writes CSV; use --output for json or ndjson', { kind: 'arg', option: '--format' });
  }
  if (!opts.skipInvalid && (opts.rejects !== undefined || opts.allowRejects)) {
    const option = opts.rejects !== undefined ? '--rejects' : '--allow-rejects';
    throw new QualifyError('ARG_INVALID', `${option} goes with --skip-invalid`, { kind: 'arg', option });
  }
  const reading = readingOptions(opts);
  const [{ loadReadingRules, decimalNotes }, { scoreFile }, { createProgress }, { inputNotes, summaryLine, summaryTable }, { formatWarning }, { defaultRejectsPath }, { checkRunPaths }] = await Promise.all([
    import('../pipeline/reading-options.js'),
    import('../pipeline/score-file.js'),
    import('../ui/progress.js'),
    import('../ui/summary.js'),
    import('../ui/diagnostics.js'),
    import('../io/rejects.js'),
    import('../io/path-identity.js'),
  ]);
  const output = opts.inPlace ? null : (opts.output ?? '-');
  const rejects = opts.skipInvalid ? (opts.rejects ?? defaultRejectsPath(input, output)) : undefined;
  // Every file written is compared with every file read, by identity (links, `..`), before
  // anything is read or written.
  const inputRead = { path: input, what: 'the input' };
  await checkRunPaths(
    [inputRead, ...(opts.rules !== undefined ? [{ path: opts.rules, what: 'the rules file' }] : [])],
    [
      output === null
        ? { path: input, what: '--in-place', option: '--in-place', replaces: inputRead }
        : { path: output, what: '--output', option: '--output', hintIfInput: 'to update the input file itself, use --in-place (it locks the file and refuses one changed on disk)' },
      ...(rejects !== undefined ? [{ path: rejects, what: opts.rejects !== undefined ? '--rejects' : 'the rejects file', option: '--rejects' }] : []),
    ],
  );
  // The rules compile completely before the first row is read: a bad rules file writes nothing.
  const { rules, warnings } = loadReadingRules(reading.rules, reading.overrides);
  for (const w of warnings) process.stderr.write(formatWarning(w) + '\n');
  // Numbers that look written with the other decimal mark, from the first rows (not with --decimal).
  const decimalHints = opts.quiet || reading.overrides.decimal !== undefined ? [] : await decimalNotes(input, rules, reading.csv);
  const progress = createProgress(!opts.quiet);
  const engine = oneOf('--engine', opts.engine ?? 'default', ['default', 'duckdb'] as const);
  const stats = await (engine === 'duckdb' ? (await import('../pipeline/duckdb-engine.js')).scoreFileWithDuckDb : scoreFile)({
    input,
    rules,
    asOfDay: reading.asOfDay,
    format,
    output,
    inPlace: opts.inPlace === true,
    encoding: reading.csv.encoding,
    delimiter: reading.csv.delimiter,
    sanitize: opts.sanitize,
    rejects,
    onProgress: (p) => progress.update(p),
  });
  progress.done();
  // Rows set aside make the run a partial success: exit 1 unless the user accepts that. Said
  // even with --quiet, since it explains the exit status.
  const rejectedLine =
    stats.rejectsFile === null
      ? ''
      : `${stats.rejected.toLocaleString('en-US')} row${stats.rejected === 1 ? '' : 's'} could not be read and ${stats.rejected === 1 ? 'was' : 'were'} set aside in ${stats.rejectsFile}`;
  if (stats.rejected > 0 && !opts.allowRejects) process.exitCode = 1;
  if (opts.quiet) {
    if (stats.rejected > 0) process.stderr.write(`qualify: ${rejectedLine}${opts.allowRejects ? '' : ' (exit status 1; --allow-rejects accepts them)'}\n`);
    return;
  }
  for (const note of [...stats.readerNotes, ...decimalHints, ...inputNotes(stats)]) process.stderr.write(`note: ${note}\n`);
  if (stats.closedEarly) return;
  const tierOrder = [...rules.thresholds].sort((a, b) => b.min - a.min).map((t) => t.tier);
  process.stderr.write((process.stderr.isTTY ? summaryTable(stats, tierOrder) : summaryLine(stats)) + '\n');
  if (rejectedLine) process.stderr.write(`qualify: ${rejectedLine}${stats.rejected > 0 && !opts.allowRejects ? ' (exit status 1; --allow-rejects accepts them)' : ''}\n`);
}
