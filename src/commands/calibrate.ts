// `qualify calibrate FILE --outcome COLUMN`: how good the rules are against known outcomes, each
// rule judged, and suggested points (optionally written as a new rules file). Wiring only: the
// statistics are in src/core/calibrate, the tables in src/ui/calibrate-report.ts.
import type { Command } from 'commander';
import { QualifyError } from '../core/errors.js';
import { addReadingOptions, oneOf, readingOptions, type ReadingCliOptions } from './shared.js';

interface CalibrateCliOptions extends ReadingCliOptions {
  outcome: string;
  positive: string[];
  holdout: string;
  seed: string;
  explore?: boolean;
  maxRules: string;
  capacity: string;
  exclude?: string[];
  pdo: string;
  write?: string;
  compare?: string;
  format: string;
}

export function register(program: Command, action: (fn: () => Promise<void>) => Promise<void>): void {
  const cmd = program
    .command('calibrate')
    .summary('measure the rules against known outcomes and suggest points')
    .description(
      'Measure the rules against leads whose outcome is known (converted or not): ROC AUC with a\n' +
        'bootstrap interval, Gini, KS, conversion per tier and per score band, reliability, capacity;\n' +
        'judge every rule by its lift; and suggest points from a regularised logistic regression over\n' +
        "the rules' firings (and, with --explore, the file's other columns), scaled to whole points\n" +
        '(--pdo points per doubling of the odds) that start at 0 (an offset rule on every lead when the\n' +
        'points alone go below 0). Every figure is measured on a held-out part of the\n' +
        'file, split by outcome and reproducible from --seed.',
    )
    .argument('<file>', 'CSV file of leads with a known outcome (read twice, three times with --explore, so not stdin)')
    .requiredOption('--outcome <column>', 'the column that holds the outcome');
  addReadingOptions(cmd)
    .option('--positive <values...>', 'outcome values that count as converted, any case', ['1', 'yes', 'true', 'won', 'converted'])
    .option('--holdout <share>', 'share of the leads held out to measure on, between 0 and 1', '0.3')
    .option('--seed <n>', 'seed of the holdout split and the bootstrap', '1')
    .option('--explore', "also learn from the file's other columns (numbers in bins, values with enough support)")
    .option('--exclude <columns...>', 'columns never to learn from (an outcome in disguise, such as a call duration)')
    .option('--max-rules <n>', 'scoring rules at most in the suggestion', '30')
    .option('--capacity <share>', 'leads the sales team can work: a share (20%) or a number of leads; sets the top tier', '20%')
    .option('--pdo <points>', 'points per doubling of the odds of converting', '10')
    .option('--write <file>', 'write the suggested rules as a new rules file (comments and layout of the original kept)')
    .option('--compare <newfile>', 'drift: the population stability index of the score and of each input the rules read, FILE against this new list')
    .option('-f, --format <format>', 'table (on stderr) or json (on stdout)', 'table')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  $ qualify calibrate fixtures/calibrate/leads.csv --outcome converted --rules fixtures/calibrate/rules.yaml\n' +
        '  $ qualify calibrate leads.csv --outcome y --explore --exclude duration --max-rules 30 --write rules/tuned.yaml\n' +
        '  $ qualify calibrate won-lost-2025.csv --outcome Won --compare new-list.csv   # drift of the score and inputs\n',
    )
    .action((file: string, opts: CalibrateCliOptions) => action(() => runCalibrate(file, opts)));
}

function numberOption(option: string, value: string, ok: (n: number) => boolean, what: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || !ok(n)) throw new QualifyError('ARG_INVALID', `${option} must be ${what}; got ${JSON.stringify(value)}`, { kind: 'arg', option });
  return n;
}

function capacityOption(value: string): { fraction: number } | { leads: number } {
  const m = /^(\d+(?:\.\d+)?)%$/.exec(value.trim());
  if (m) {
    const f = Number(m[1]) / 100;
    if (f > 0 && f <= 1) return { fraction: f };
  } else if (/^\d+$/.test(value.trim()) && Number(value) > 0) return { leads: Number(value) };
  throw new QualifyError('ARG_INVALID', `--capacity must be a share such as 20% or a number of leads such as 500; got ${JSON.stringify(value)}`, { kind: 'arg', option: '--capacity' });
}

async function runCalibrate(file: string, opts: CalibrateCliOptions): Promise<void> {
  const format = oneOf('--format', opts.format, ['table', 'json'] as const);
  if (file === '-') throw new QualifyError('ARG_INVALID', 'calibrate reads the file more than once: give a file, not stdin', { kind: 'arg', option: 'FILE' });
  const holdout = numberOption('--holdout', opts.holdout, (n) => n > 0 && n < 1, 'a share between 0 and 1 (0.3 holds out 30%)');
  const seed = numberOption('--seed', opts.seed, (n) => Number.isInteger(n) && n >= 0, 'a whole number');
  const maxRules = numberOption('--max-rules', opts.maxRules, (n) => Number.isInteger(n) && n >= 1, 'a whole number of 1 or more');
  const pdo = numberOption('--pdo', opts.pdo, (n) => n > 0 && n <= 1000, 'a number of points above 0');
  const capacity = capacityOption(opts.capacity);
  const reading = readingOptions(opts);
  const [{ loadReadingRules, withReadingOverrides }, { openCsv }, { calibrate }, { compileRules }, { parseYamlSource }, { readTextFile, DEFAULT_RULES }, { QualifyErrors }, { checkRunPaths }, { writeFileAtomic }, { renderCalibrateReport }, { createHeapHygiene, GC_EVERY_BATCHES }] = await Promise.all([
    import('../pipeline/reading-options.js'),
    import('../io/csv-reader.js'),
    import('../core/calibrate/calibrate.js'),
    import('../core/rules/compile.js'),
    import('../core/yaml-source.js'),
    import('../io/rules-file.js'),
    import('../core/errors.js'),
    import('../io/path-identity.js'),
    import('../io/atomic-write.js'),
    import('../ui/calibrate-report.js'),
    import('../pipeline/heap-hygiene.js'),
  ]);
  // A full collection now and then, as score does: the passes are never idle, and the dead row
  // arrays of a million-row file would otherwise grow the process with the file.
  const hygiene = createHeapHygiene(GC_EVERY_BATCHES);
  async function* collected<T>(batches: AsyncIterable<T>): AsyncIterable<T> {
    for await (const b of batches) {
      yield b;
      hygiene.batchDone();
    }
  }
  const rulesPath = reading.rules ?? DEFAULT_RULES;
  if (opts.write !== undefined) {
    await checkRunPaths(
      [{ path: file, what: 'the input' }, { path: rulesPath, what: 'the rules file' }],
      [{ path: opts.write, what: '--write', option: '--write', hintIfInput: 'write the suggested rules to a new file and compare them with `qualify diff`' }],
    );
  }
  const { rules } = loadReadingRules(reading.rules, reading.overrides);
  const rulesText = readTextFile(rulesPath, 'rules file');
  const compileText = (text: string) => {
    const parsed = parseYamlSource(opts.write ?? 'suggested rules', text);
    if (!parsed.source) throw new QualifyErrors(parsed.errors);
    const r = compileRules(parsed.source);
    if (!r.ok) throw new QualifyErrors(r.errors);
    return withReadingOverrides(r.rules, reading.overrides);
  };
  const first = await openCsv(file, reading.csv);
  const columnIndex = (name: string, option: string): number => {
    const i = first.header.indexOf(name);
    const j = i >= 0 ? i : first.header.findIndex((h) => h.trim().toLowerCase() === name.trim().toLowerCase());
    if (j < 0) throw new QualifyError('CSV_MISSING_COLUMN', `${option} ${JSON.stringify(name)}: ${first.file} has no such column (it has ${first.header.map((h) => JSON.stringify(h)).join(', ')})`, { kind: 'csv', file: first.file, column: name });
    return j;
  };
  const outcomeColumn = columnIndex(opts.outcome, '--outcome');
  const exclude = new Set((opts.exclude ?? []).map((c) => columnIndex(c, '--exclude')));
  let opened: typeof first | null = first;
  const report = await calibrate(
    async () => {
      const input = opened ?? (await openCsv(file, reading.csv));
      opened = null;
      return { file: input.file, header: input.header, batches: () => collected(input.batches()), estimatedRecords: () => input.estimatedRecords() };
    },
    rules,
    rulesText,
    compileText,
    { outcomeColumn, positive: new Set(opts.positive.map((v) => v.trim().toLowerCase())), holdout, seed, explore: opts.explore === true, maxRules, capacity, asOfDay: reading.asOfDay, exclude, pdo, alpha: 1 },
  );
  let driftRows: import('../core/calibrate/drift.js').DriftRow[] | null = null;
  if (opts.compare !== undefined) {
    const { drift } = await import('../core/calibrate/drift.js');
    const source = (path: string) => async () => {
      const input = await openCsv(path, reading.csv);
      return { file: input.file, header: input.header, batches: () => input.batches() };
    };
    driftRows = await drift(source(file), source(opts.compare), rules, reading.asOfDay);
  }
  if (opts.write !== undefined) await writeFileAtomic(opts.write, report.text);
  const { text, ...data } = report;
  // Six decimals: the figures stay exact enough and read the same on every Node version.
  const round = (_: string, v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toFixed(6)) : v);
  if (format === 'json') process.stdout.write(JSON.stringify({ ...data, drift: driftRows, written: opts.write ?? null }, round, 2) + '\n');
  else process.stderr.write(renderCalibrateReport(report, { written: opts.write ?? null, bars: process.stderr.isTTY === true, drift: driftRows, compare: opts.compare ?? null }));
  void text;
}
