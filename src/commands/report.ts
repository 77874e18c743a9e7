// `qualify report FILE`: the pipeline report (funnel and conversions, score histogram, sources,
// tiers, disqualification reasons, open opportunities, weighted pipeline, win rate, days between
// steps): tables and bars on stderr, JSON on stdout with --format json, a self-contained HTML
// page with charts with --html. Wiring only.
import type { Command } from 'commander';
import { QualifyError } from '../core/errors.js';
import { addReadingOptions, displayPath, oneOf, readingOptions, type ReadingCliOptions } from './shared.js';

interface ReportCliOptions extends ReadingCliOptions {
  format?: string;
  html?: string;
}

export function register(program: Command, action: (fn: () => Promise<void>) => Promise<void>): void {
  const cmd = program
    .command('report')
    .summary('the pipeline report: funnel, conversions, scores, sources, tiers, opportunities, win rate')
    .description(
      'Report on a worked lead file: the funnel (leads per stage, conversion from each step to the next; sales-sourced ' +
        'leads enter at SAL), the score histogram, breakdowns by lead source and tier, the most common ' +
        'disqualification reasons, open opportunities with amount, stage and expected close, the weighted pipeline ' +
        '(amount x stage probability, from the rules\' pipeline: probabilities and from the file\'s own closed deals), ' +
        'win rate and average days between steps (sal_at, sql_at, opportunity_at, disqualified_at). Tables and bars ' +
        'on stderr; --format json prints the same on stdout; --html writes one self-contained page with charts.',
    )
    .argument('<file>', 'the leads CSV (scored, worked with assess, discover and log)')
    .option('-f, --format <format>', 'table (on stderr, the default) or json (on stdout)')
    .option('--html <file>', 'also write the report as one self-contained HTML page with charts (no network needed to open it)');
  addReadingOptions(cmd)
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  $ qualify report leads.csv\n' +
        '  $ qualify report leads.csv --format json | jq \'.funnel\'\n' +
        '  $ qualify report leads.csv --html pipeline.html\n',
    )
    .action((file: string, opts: ReportCliOptions) => action(() => run(file, opts)));
}

async function run(file: string, opts: ReportCliOptions): Promise<void> {
  if (file === '-') throw new QualifyError('ARG_INVALID', 'report reads a lead file by name, not stdin', { kind: 'arg', option: 'FILE' });
  const reading = readingOptions(opts);
  const format = oneOf('--format', opts.format ?? 'table', ['table', 'json'] as const);
  const [{ checkRunPaths }, { readCsvDocument }, { loadReadingRules }, { readWorkedFile }, { pipelineReport }, { writeToFile, writeToStdout }] = await Promise.all([
    import('../io/path-identity.js'),
    import('../io/csv-row-update.js'),
    import('../pipeline/reading-options.js'),
    import('../pipeline/worked-file.js'),
    import('../pipeline/report-data.js'),
    import('../io/output.js'),
  ]);
  await checkRunPaths(
    [{ path: file, what: 'the CSV file' }, ...(reading.rules !== undefined ? [{ path: reading.rules, what: 'the rules file' }] : [])],
    opts.html !== undefined ? [{ path: opts.html, what: '--html', option: '--html' }] : [],
  );
  const { rules } = loadReadingRules(reading.rules, reading.overrides);
  const doc = await readCsvDocument(file, reading.csv);
  const report = pipelineReport(readWorkedFile(doc, rules, reading.asOfDay), rules);
  const asOf = new Date(reading.asOfDay * 86_400_000).toISOString().slice(0, 10);
  const title = `Pipeline report: ${displayPath(file)} (${report.leads.toLocaleString('en-US')} leads, as of ${asOf})`;
  if (opts.html !== undefined) {
    const { reportHtml } = await import('../report/html.js');
    const html = reportHtml(report, { title, file: displayPath(file), asOf });
    await writeToFile(opts.html, (async function* () { yield html; })(), { form: null });
  }
  if (format === 'json') {
    const json = JSON.stringify({ file: displayPath(file), as_of: asOf, rules: rules.name, ...report }, null, 2) + '\n';
    await writeToStdout((async function* () { yield json; })());
  } else {
    const { reportText } = await import('../report/terminal.js');
    process.stderr.write(reportText(report, title) + '\n');
  }
  if (opts.html !== undefined) process.stderr.write(`Wrote the report to ${opts.html}.\n`);
}
