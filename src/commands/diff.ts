// `qualify diff OLD NEW FILE`: what a rules change would do to a lead file before it goes live.
// Wiring only: the accumulation is in src/core/calibrate/diff.ts, the tables in src/ui/diff-report.ts.
import type { Command } from 'commander';
import { QualifyError } from '../core/errors.js';
import { oneOf, readingOptions } from './shared.js';

interface DiffCliOptions {
  outcome?: string;
  positive: string[];
  format: string;
  failOnMove?: string;
  asOf?: string;
  encoding?: string;
  delimiter?: string;
  dateFormat?: string;
  decimal?: string;
}

export function register(program: Command, action: (fn: () => Promise<void | number>) => Promise<void>): void {
  program
    .command('diff')
    .summary('preview what a rules change does to a lead file')
    .description(
      'Score FILE with the OLD and the NEW rules and show what changes: the transition matrix of\n' +
        'tiers and of stages, the leads that cross the sales threshold (into or out of MQL / sales\n' +
        'lead) with the rules responsible for each move, and with --outcome what the change does to\n' +
        'the converted leads. --fail-on-move STAGE exits 1 when any lead would leave or enter STAGE.',
    )
    .argument('<old>', 'the current rules file')
    .argument('<new>', 'the changed rules file')
    .argument('<file>', 'CSV file of leads (or - for stdin)')
    .option('--outcome <column>', 'a column with the known outcome: show how converted leads move')
    .option('--positive <values...>', 'outcome values that count as converted, any case', ['1', 'yes', 'true', 'won', 'converted'])
    .option('-f, --format <format>', 'table (on stderr) or json (on stdout)', 'table')
    .option('--fail-on-move <stage>', 'exit 1 when any lead would leave or enter this stage (for CI)')
    .option('--as-of <date>', 'reference date for decay and "within N days" rules, YYYY-MM-DD (default: today)')
    .option('--encoding <name>', 'input encoding when it has no byte-order mark: utf8, win1252, latin1, utf16le')
    .option('--delimiter <char>', 'field delimiter (default: detected from the header line): , ; tab |')
    .option('--date-format <order>', "how to read dates like 03/04/2026: auto, mdy, dmy, ymd (default: each rules file's settings)")
    .option('--decimal <mark>', "decimal mark of numbers in this file: . or , (default: each rules file's settings)")
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  $ qualify diff rules/default.yaml my-rules.yaml fixtures/purchased-list.csv --as-of 2026-11-01\n' +
        '  $ qualify diff old.yaml tuned.yaml leads.csv --outcome converted --format json | jq .conversionMoves\n' +
        '  $ qualify diff main.yaml branch.yaml leads.csv --fail-on-move MQL   # in CI: exit 1 if any MQL would change\n',
    )
    .action((oldRules: string, newRules: string, file: string, opts: DiffCliOptions) => action(() => runDiff(oldRules, newRules, file, opts)));
}

/** The exit status: 1 when --fail-on-move finds a lead that would move (cli.ts sets it). */
async function runDiff(oldPath: string, newPath: string, file: string, opts: DiffCliOptions): Promise<number> {
  const format = oneOf('--format', opts.format, ['table', 'json'] as const);
  const reading = readingOptions(opts);
  const [{ loadReadingRules }, { openCsv }, { createScorer }, { DiffAccumulator }, { leadKeyColumns }, { STAGES }, { renderDiffReport }] = await Promise.all([
    import('../pipeline/reading-options.js'),
    import('../io/csv-reader.js'),
    import('../core/scoring/engine.js'),
    import('../core/calibrate/diff.js'),
    import('../pipeline/find-lead.js'),
    import('../core/stage/model.js'),
    import('../ui/diff-report.js'),
  ]);
  const oldRules = loadReadingRules(oldPath, reading.overrides).rules;
  const newRules = loadReadingRules(newPath, reading.overrides).rules;
  const input = await openCsv(file, reading.csv);
  let outcomeCol = -1;
  if (opts.outcome !== undefined) {
    const want = opts.outcome.trim().toLowerCase();
    outcomeCol = input.header.findIndex((h) => h.trim().toLowerCase() === want);
    if (outcomeCol < 0) throw new QualifyError('CSV_MISSING_COLUMN', `--outcome ${JSON.stringify(opts.outcome)}: ${input.file} has no such column`, { kind: 'csv', file: input.file, column: opts.outcome });
  }
  const positive = new Set(opts.positive.map((v) => v.trim().toLowerCase()));
  const a = createScorer(oldRules, input.header, { asOfDay: reading.asOfDay, file: input.file });
  const b = createScorer(newRules, input.header, { asOfDay: reading.asOfDay, file: input.file });
  const keys = leadKeyColumns(oldRules, a.binding);
  const keyCol = keys.idCol >= 0 ? keys.idCol : keys.emailCol;
  const tierOrder = [...new Set([...[...oldRules.thresholds].sort((x, y) => y.min - x.min), ...[...newRules.thresholds].sort((x, y) => y.min - x.min)].map((t) => t.tier)), 'disqualified', 'bad'];
  const stageOrder = [...STAGES].reverse();
  const acc = new DiffAccumulator(tierOrder, stageOrder);
  const failStage = opts.failOnMove?.trim().toLowerCase();
  let failing = 0;
  let record = 0;
  for await (const batch of input.batches()) {
    for (const row of batch) {
      record++;
      const ra = a.score(row, record);
      const rb = b.scoreShared(row, record);
      const cell = outcomeCol >= 0 ? (row[outcomeCol] ?? '').trim().toLowerCase() : '';
      const converted = outcomeCol >= 0 && cell !== '' ? positive.has(cell) : undefined;
      const lead = keyCol >= 0 && (row[keyCol] ?? '').trim() !== '' ? row[keyCol]!.trim() : `#${record}`;
      acc.add(ra, rb, lead, converted);
      if (failStage !== undefined && (ra.stage.trim().toLowerCase() === failStage) !== (rb.stage.trim().toLowerCase() === failStage)) failing++;
    }
  }
  const report = acc.report();
  if (format === 'json') {
    const failOnMove = opts.failOnMove !== undefined ? { stage: opts.failOnMove, leads: failing } : null;
    process.stdout.write(JSON.stringify({ file: input.file, old: oldPath, new: newPath, ...report, failOnMove }, null, 2) + '\n');
  } else process.stderr.write(renderDiffReport(report, { file: input.file, oldPath, newPath }));
  if (opts.failOnMove !== undefined && failing > 0) {
    process.stderr.write(`qualify diff: ${failing.toLocaleString('en-US')} lead${failing === 1 ? '' : 's'} would leave or enter stage ${opts.failOnMove} (--fail-on-move)\n`);
    return 1;
  }
  return 0;
}
