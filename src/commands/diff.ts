// `qualify diff OLD NEW FILE`: what a rules change would do to a lead file before it goes live.
// Wiring only: the run is src/pipeline/rules-diff.ts (accumulating in src/core/calibrate/diff.ts),
// the tables src/ui/diff-report.ts.
import type { Command } from 'commander';
import { addReadingOptions, oneOf, readingOptions, type ReadingCliOptions } from './shared.js';

interface DiffCliOptions extends Omit<ReadingCliOptions, 'rules'> {
  outcome?: string;
  positive: string[];
  format: string;
  failOnMove?: string;
}

export function register(program: Command, action: (fn: () => Promise<void | number>) => Promise<void>): void {
  const cmd = program
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
    .option('--fail-on-move <stage>', 'exit 1 when any lead would leave or enter this stage (for CI)');
  // Both rules files are read with the same options, as `score` reads them (no --rules: they are the arguments).
  addReadingOptions(cmd, { rules: false })
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
  const [{ diffRulesOnFile }, { renderDiffReport }] = await Promise.all([import('../pipeline/rules-diff.js'), import('../ui/diff-report.js')]);
  const { file: input, report, moving: failing } = await diffRulesOnFile({
    oldPath,
    newPath,
    file,
    asOfDay: reading.asOfDay,
    overrides: reading.overrides,
    csv: reading.csv,
    outcome: opts.outcome,
    positive: opts.positive,
    failOnMove: opts.failOnMove,
  });
  if (format === 'json') {
    const failOnMove = opts.failOnMove !== undefined ? { stage: opts.failOnMove, leads: failing } : null;
    process.stdout.write(JSON.stringify({ file: input, old: oldPath, new: newPath, ...report, failOnMove }, null, 2) + '\n');
  } else process.stderr.write(renderDiffReport(report, { file: input, oldPath, newPath }));
  if (opts.failOnMove !== undefined && failing > 0) {
    process.stderr.write(`qualify diff: ${failing.toLocaleString('en-US')} lead${failing === 1 ? '' : 's'} would leave or enter stage ${opts.failOnMove} (--fail-on-move)\n`);
    return 1;
  }
  return 0;
}
