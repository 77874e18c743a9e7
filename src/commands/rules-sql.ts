// `qualify rules sql [FILE] --dialect D --table T (--header-from CSV | --columns "A,B")`: the
// rules compiled to one SELECT for a warehouse. Wiring only: the compiler is src/sql.
import type { Command } from 'commander';
import { QualifyError } from '../core/errors.js';
import { DIALECTS } from '../sql/dialect.js';
import { addReadingOptions, oneOf, readingOptions, type ReadingCliOptions } from './shared.js';

interface SqlCliOptions extends ReadingCliOptions {
  dialect: string;
  table: string;
  headerFrom?: string;
  columns?: string;
  orderBy?: string;
}

export function registerRulesSql(rules: Command, action: (fn: () => Promise<void>) => Promise<void>): void {
  const cmd = rules
    .command('sql')
    .summary('print the rules as one SQL SELECT for a warehouse')
    .description(
      'Print the rules compiled to one SQL SELECT over TABLE (every column text, as a CSV loaded\n' +
        'without type inference gives them). It returns every column of the table plus fit, engagement,\n' +
        'score, tier, grade, stage, class, action and reasons, computed as `qualify score` computes them.\n' +
        'A construct the dialect cannot express (such as a regular expression feature) is an error\n' +
        'naming the rule, never a silent difference. The columns come from --header-from or --columns.',
    )
    .argument('[file]', 'rules file (default: the shipped rules/default.yaml)')
    .requiredOption('--dialect <name>', `SQL dialect: ${DIALECTS.join(', ')}`)
    .requiredOption('--table <name>', 'table (or view) to score; written into the SQL as given')
    .option('--header-from <csv>', "take the table's columns from this CSV file's header line")
    .option('--columns <list>', 'the table\'s columns, comma-separated ("Lead ID,Email,Title")')
    .option('--order-by <column>', 'column giving the row order (the first of duplicates wins; default: the table\'s own order in duckdb and postgres)');
  // The reading options, but --rules is the FILE argument here and the CSV form is --header-from's.
  addReadingOptions(cmd)
    .addHelpText(
      'after',
      '\nExamples:\n  $ qualify rules sql --dialect duckdb --table leads --header-from fixtures/purchased-list.csv --as-of 2026-11-01\n  $ qualify rules sql rules/default.yaml --dialect postgres --table crm.leads --columns "Lead ID,Email,Title,Company"\n  $ qualify rules sql --dialect spark --table leads --header-from leads.csv --order-by loaded_at > score_leads.sql\n',
    )
    .action((file: string | undefined, opts: SqlCliOptions) => action(() => runRulesSql(file, opts)));
}

async function runRulesSql(file: string | undefined, opts: SqlCliOptions): Promise<void> {
  const dialectName = oneOf('--dialect', opts.dialect, DIALECTS);
  if ((opts.headerFrom === undefined) === (opts.columns === undefined)) {
    throw new QualifyError('ARG_INVALID', 'give the table\'s columns with either --header-from FILE.csv or --columns "A,B,..."', { kind: 'arg', option: '--columns' });
  }
  const reading = readingOptions(opts);
  const [{ loadReadingRules }, { compileSql }, { DIALECT_OF }, { openCsv }] = await Promise.all([
    import('../pipeline/reading-options.js'),
    import('../sql/compile.js'),
    import('../sql/dialects/index.js'),
    import('../io/csv-reader.js'),
  ]);
  const { rules } = loadReadingRules(file ?? opts.rules, reading.overrides);
  let header: string[];
  if (opts.headerFrom !== undefined) {
    const input = await openCsv(opts.headerFrom, reading.csv);
    header = input.header;
    // Only the header is needed: stop reading.
    await input.batches().return(undefined);
  } else {
    header = opts.columns!.split(',').map((c) => c.trim());
    if (header.some((c) => c === '')) throw new QualifyError('ARG_INVALID', `--columns has a blank name: ${JSON.stringify(opts.columns)}`, { kind: 'arg', option: '--columns' });
  }
  const { sql } = compileSql(rules, header, DIALECT_OF[dialectName], { table: opts.table, asOfDay: reading.asOfDay, orderBy: opts.orderBy });
  process.stdout.write(sql.trimEnd() + ';\n');
}
