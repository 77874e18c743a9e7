// `qualify log FILE --lead ID --attempt call|email --result ...`: records a follow-up attempt in
// the lead's row (attempts, last attempt, result, next due by the rules' cadence). Wiring only.
import type { Command } from 'commander';
import { QualifyError } from '../core/errors.js';
import { CHANNELS, RESULTS } from '../core/pipeline/cadence.js';
import { parseMoment } from '../core/pipeline/when.js';
import { addIdColumnOption, addReadingOptions, oneOf, readingOptions, type ReadingCliOptions } from './shared.js';

interface LogCliOptions extends ReadingCliOptions {
  lead: string;
  attempt: string;
  result: string;
  note?: string;
  at?: string;
  output?: string;
  force?: boolean;
}

export function register(program: Command, action: (fn: () => Promise<void>) => Promise<void>): void {
  const cmd = program
    .command('log')
    .summary('record a follow-up attempt (call or email) in a lead\'s row')
    .description(
      'Record one follow-up attempt with a lead: the attempt count, when, the channel, the result, and when the next ' +
        'one is due by the rules\' cadence (cadence: in the rules; default: 5 attempts, then nurture). Written into ' +
        'the lead\'s row of FILE atomically, under the file\'s lock; every other row keeps its bytes. Columns: ' +
        'fu_attempts, fu_last_at, fu_last_channel, fu_last_result, fu_next_due, fu_next_channel, fu_status, fu_notes.',
    )
    .argument('<file>', 'the leads CSV; the attempt is written into the lead\'s row')
    .requiredOption('-l, --lead <id>', 'the lead: its id column value, its email, or #N for record N')
    .requiredOption('--attempt <channel>', `how: ${CHANNELS.join(' or ')}`)
    .requiredOption('--result <result>', `how it went: ${RESULTS.join(', ')}`)
    .option('--note <text>', 'a note, appended to fu_notes with the day, channel and result')
    .option('--at <datetime>', 'when it happened: 2026-11-02, 2026-11-02T10:30 (UTC) or with an offset, 2026-11-02T10:30+01:00 (default: now)')
    .option('-o, --output <file>', 'write the updated CSV here instead of updating FILE in place')
    .option('--force', 'log it even on a disqualified or bad lead');
  addIdColumnOption(addReadingOptions(cmd))
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  $ qualify log leads.csv --lead PL-0008 --attempt call --result no-answer\n' +
        '  $ qualify log leads.csv --lead ada@acme.test --attempt email --result replied --note "wants a call Tuesday"\n' +
        '  $ qualify log leads.csv --lead PL-0069 --attempt call --result voicemail --at 2026-11-03T09:15\n',
    )
    .action((file: string, opts: LogCliOptions) => action(() => run(file, opts)));
}

async function run(file: string, opts: LogCliOptions): Promise<void> {
  if (file === '-') throw new QualifyError('ARG_INVALID', 'log writes the attempt back into FILE, so it needs a file, not stdin', { kind: 'arg', option: 'FILE' });
  const channel = oneOf('--attempt', opts.attempt, CHANNELS);
  const result = oneOf('--result', opts.result, RESULTS);
  const reading = readingOptions(opts);
  const pinned = process.env['QUALIFY_NOW'] ? new Date(process.env['QUALIFY_NOW']) : new Date();
  if (Number.isNaN(pinned.getTime())) throw new QualifyError('ARG_INVALID', `QUALIFY_NOW is not a date: ${process.env['QUALIFY_NOW']}`, { kind: 'arg', option: 'QUALIFY_NOW' });
  const at = opts.at !== undefined ? parseMoment(opts.at) : pinned;
  if (at === undefined)
    throw new QualifyError('ARG_INVALID', `--at must be a day or a date and time, e.g. 2026-11-02 or 2026-11-02T10:30; got ${JSON.stringify(opts.at)}`, { kind: 'arg', option: '--at' });
  if (opts.note !== undefined && /[\u0000-\u0008\u000b-\u001f\u007f]/.test(opts.note))
    throw new QualifyError('ARG_INVALID', '--note must not contain control characters', { kind: 'arg', option: '--note' });
  const { logAttempt } = await import('../pipeline/log-attempt.js');
  await logAttempt({
    file,
    lead: opts.lead,
    channel,
    result,
    at,
    force: opts.force === true,
    asOfDay: opts.asOf !== undefined ? reading.asOfDay : Math.floor(at.getTime() / 86_400_000),
    readingOverrides: reading.overrides,
    log: (line) => process.stderr.write(line + '\n'),
    ...(opts.note !== undefined ? { note: opts.note } : {}),
    ...(opts.output !== undefined ? { output: opts.output } : {}),
    ...(reading.rules !== undefined ? { rules: reading.rules } : {}),
    ...reading.csv,
  });
}
