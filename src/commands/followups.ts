// `qualify followups FILE [--date D] [--owner NAME] [--ics FILE]`: who to chase today, best
// first; a table for people on a terminal, CSV/JSON/NDJSON for the next tool. Wiring only.
import { basename } from 'node:path';
import type { Command } from 'commander';
import { QualifyError } from '../core/errors.js';
import { dayToIso } from '../core/pipeline/cadence.js';
import { parseDay } from '../core/pipeline/when.js';
import { addIdColumnOption, addReadingOptions, oneOf, readingOptions, type ReadingCliOptions } from './shared.js';

interface FollowupsCliOptions extends ReadingCliOptions {
  date?: string;
  owner?: string;
  format?: string;
  ics?: string;
}

export function register(program: Command, action: (fn: () => Promise<void>) => Promise<void>): void {
  const cmd = program
    .command('followups')
    .summary('who to follow up today: overdue, due, first touch, out of attempts, best first')
    .description(
      'List the leads to follow up on a day: overdue and due by the cadence (qualify log), MQLs and sales leads never ' +
        'contacted (first touch), and leads out of attempts; best first (score, stage, days overdue). A table on ' +
        'a terminal (stderr); CSV, JSON or NDJSON on stdout when piped or with --format. --ics writes the due ' +
        'follow-ups and the appointments booked in needs assessments and discovery calls as an iCalendar file (stable UIDs: importing a ' +
        'new export updates the events).',
    )
    .argument('<file>', 'the leads CSV')
    .option('--date <day>', 'the day to list for, YYYY-MM-DD (default: today, or --as-of)')
    .option('--owner <name>', 'only the leads of this owner (the file\'s owner column: Owner, Lead Owner, Contact owner, ...)')
    .option('-f, --format <format>', 'table, csv, json or ndjson (default: table on a terminal, csv in a pipe)')
    .option('--ics <file>', 'also write the follow-ups and appointments as an iCalendar (.ics) file');
  addIdColumnOption(addReadingOptions(cmd))
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  $ qualify followups leads.csv\n' +
        '  $ qualify followups leads.csv --owner "Kim Lee" --format json | jq -r \'.[].lead\'\n' +
        '  $ qualify followups leads.csv --date 2026-11-09 --ics followups.ics\n',
    )
    .action((file: string, opts: FollowupsCliOptions) => action(() => run(file, opts)));
}

async function run(file: string, opts: FollowupsCliOptions): Promise<void> {
  if (file === '-') throw new QualifyError('ARG_INVALID', 'followups reads a lead file by name, not stdin', { kind: 'arg', option: 'FILE' });
  const reading = readingOptions(opts);
  const format = opts.format !== undefined ? oneOf('--format', opts.format, ['table', 'csv', 'json', 'ndjson'] as const) : process.stdout.isTTY ? 'table' : 'csv';
  let day = reading.asOfDay;
  if (opts.date !== undefined) {
    const d = parseDay(opts.date);
    if (d === undefined) throw new QualifyError('ARG_INVALID', `--date must be a day written YYYY-MM-DD, got ${JSON.stringify(opts.date)}`, { kind: 'arg', option: '--date' });
    day = d;
  }
  const [{ checkRunPaths }, { readCsvDocument }, { loadReadingRules }, { readWorkedFile }, f, { formatRecords }, { writeToFile, writeToStdout }] = await Promise.all([
    import('../io/path-identity.js'),
    import('../io/csv-row-update.js'),
    import('../pipeline/reading-options.js'),
    import('../pipeline/worked-file.js'),
    import('../pipeline/followups.js'),
    import('../report/records.js'),
    import('../io/output.js'),
  ]);
  await checkRunPaths(
    [{ path: file, what: 'the CSV file' }, ...(reading.rules !== undefined ? [{ path: reading.rules, what: 'the rules file' }] : [])],
    opts.ics !== undefined ? [{ path: opts.ics, what: '--ics', option: '--ics' }] : [],
  );
  const { rules } = loadReadingRules(reading.rules, reading.overrides);
  const doc = await readCsvDocument(file, reading.csv);
  const wf = readWorkedFile(doc, rules, reading.asOfDay);
  const rows = f.followupsOn(wf, rules, day, opts.owner);
  if (opts.ics !== undefined) {
    const now = process.env['QUALIFY_NOW'] ? new Date(process.env['QUALIFY_NOW']) : new Date();
    const text = f.followupCalendar(rows, f.appointmentsOf(wf, rules, opts.owner), { fileId: basename(file), now: Number.isNaN(now.getTime()) ? new Date() : now, day });
    await writeToFile(opts.ics, (async function* () { yield text; })(), { form: null });
  }
  if (format === 'table') {
    const { followupsTable } = await import('../report/followups-table.js');
    process.stderr.write(followupsTable(rows, dayToIso(day)) + '\n');
  } else {
    await writeToStdout((async function* () { yield formatRecords(rows, f.FOLLOWUP_FIELDS, format); })());
  }
  if (opts.ics !== undefined) process.stderr.write(`Wrote ${rows.filter((r) => r.status !== 'out-of-attempts').length} follow-ups and the appointments to ${opts.ics}.\n`);
}
