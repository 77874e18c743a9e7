// `qualify split FILE --out-dir DIR`: leads, prospects, opportunities, bad leads and disqualified
// to separate files in the input's own form, optionally filtered. Wiring only.
import type { Command } from 'commander';
import { QualifyError } from '../core/errors.js';
import { addFilterOptions, filterOf, type FilterCliOptions } from './lead-filter-options.js';
import { addReadingOptions, readingOptions, type ReadingCliOptions } from './shared.js';

interface SplitCliOptions extends ReadingCliOptions, FilterCliOptions {
  outDir: string;
}

export function register(program: Command, action: (fn: () => Promise<void>) => Promise<void>): void {
  const cmd = program
    .command('split')
    .summary('write leads, prospects, opportunities, bad leads and disqualified to separate files')
    .description(
      'Split a worked lead file into five files in DIR, named after it: <name>.leads.csv, .prospects.csv, ' +
        '.opportunities.csv, .bad-leads.csv, .disqualified.csv. Each keeps the input\'s form (encoding, BOM, ' +
        'delimiter, line endings, sep= line) and every record byte for byte; every file is written, even when ' +
        'empty (a header only). The filters keep only some leads.',
    )
    .argument('<file>', 'the leads CSV')
    .requiredOption('--out-dir <dir>', 'the directory to write the five files into (it must exist)');
  addFilterOptions(cmd);
  addReadingOptions(cmd)
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  $ qualify split leads.csv --out-dir out/\n' +
        '  $ qualify split leads.csv --out-dir out/ --min-score 60\n' +
        '  $ qualify split leads.csv --out-dir hot/ --tier hot,warm\n',
    )
    .action((file: string, opts: SplitCliOptions) => action(() => run(file, opts)));
}

async function run(file: string, opts: SplitCliOptions): Promise<void> {
  if (file === '-') throw new QualifyError('ARG_INVALID', 'split reads a lead file by name, not stdin', { kind: 'arg', option: 'FILE' });
  const reading = readingOptions(opts);
  const filter = filterOf(opts);
  const [{ checkRunPaths }, { readCsvDocument }, { loadReadingRules }, { readWorkedFile }, s] = await Promise.all([
    import('../io/path-identity.js'),
    import('../io/csv-row-update.js'),
    import('../pipeline/reading-options.js'),
    import('../pipeline/worked-file.js'),
    import('../pipeline/export-split.js'),
  ]);
  if (!s.isDirectory(opts.outDir)) throw new QualifyError('ARG_INVALID', `--out-dir ${opts.outDir} is not a directory (create it first)`, { kind: 'arg', option: '--out-dir' });
  const targets = s.splitTargets(file, opts.outDir);
  await checkRunPaths(
    [{ path: file, what: 'the CSV file' }, ...(reading.rules !== undefined ? [{ path: reading.rules, what: 'the rules file' }] : [])],
    Object.values(targets).map((path) => ({ path, what: 'a split file', option: '--out-dir' })),
  );
  const { rules } = loadReadingRules(reading.rules, reading.overrides);
  const doc = await readCsvDocument(file, reading.csv);
  const files = s.splitFiles(readWorkedFile(doc, rules, reading.asOfDay), rules, filter);
  await s.writeSplit(targets, files);
  const summary = Object.entries(targets).map(([g, p]) => `${files[g as keyof typeof files].rows} ${g.replace('-', ' ')} → ${p}`);
  process.stderr.write(`Split ${file}:\n  ${summary.join('\n  ')}\n`);
}
