// `qualify log`: records one follow-up attempt in a lead's row, the way assess/discover save a
// call: the paths checked by identity first, then read, change ONE record and write atomically
// under the file's lock (every other row byte for byte), re-reading under the lock so that an
// attempt logged meanwhile by someone else is counted.
import { QualifyError } from '../core/errors.js';
import { DEFAULT_CADENCE, FOLLOWUP_COLUMNS, recordAttempt, type Attempt, type AttemptOutcome, type AttemptResult, type Channel } from '../core/pipeline/cadence.js';
import { dayOfDate, stamp } from '../core/pipeline/when.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import { readCsvDocument, updateRecord, type CsvDocument } from '../io/csv-row-update.js';
import { QUALIFIED_AT_COLUMN } from '../core/stage/model.js';
import { STEP_COLUMNS } from '../core/stage/transitions.js';
import { withFileLock } from '../io/lock.js';
import { checkRunPaths } from '../io/path-identity.js';
import { neutralizeFormula } from '../io/sanitize.js';
import { loadReadingRules, type ReadingOverrides } from './reading-options.js';
import { readWorkedFile, type WorkedLead } from './worked-file.js';


export interface LogOptions {
  file: string;
  lead: string;
  channel: Channel;
  result: AttemptResult;
  at: Date;
  note?: string;
  output?: string;
  rules?: string;
  readingOverrides?: ReadingOverrides;
  encoding?: string;
  delimiter?: string;
  asOfDay: number;
  force: boolean;
  lockWaitMs?: number;
  log: (line: string) => void;
}

export interface LogResult {
  lead: string;
  record: number;
  outcome: AttemptOutcome;
  target: string;
  added: string[];
}

export async function logAttempt(opts: LogOptions): Promise<LogResult> {
  await checkRunPaths(
    [{ path: opts.file, what: 'the CSV file' }, ...(opts.rules !== undefined ? [{ path: opts.rules, what: 'the rules file' }] : [])],
    opts.output !== undefined ? [{ path: opts.output, what: '--output', option: '--output', hintIfInput: 'leave out --output to log the attempt into the CSV file itself' }] : [],
  );
  const { rules } = loadReadingRules(opts.rules, opts.readingOverrides ?? {});
  const cadence = rules.cadence ?? DEFAULT_CADENCE;
  const csvOpts = { ...(opts.encoding ? { encoding: opts.encoding } : {}), ...(opts.delimiter ? { delimiter: opts.delimiter } : {}) };
  const doc = await readCsvDocument(opts.file, csvOpts);
  // Check everything before taking the lock: an unknown lead or a refused attempt writes nothing.
  const worked = readWorkedFile(doc, rules, opts.asOfDay);
  const first = worked.find(opts.lead);
  check(first, opts, doc);
  const key = first.key;
  const at = stamp(opts.at);
  const attempt: Attempt = { channel: opts.channel, result: opts.result, at, day: dayOfDate(opts.at), ...(opts.note !== undefined ? { note: opts.note } : {}) };

  const target = opts.output ?? opts.file;
  const { outcome, added, record } = await withFileLock(
    target,
    async (signal) => {
      const fresh = target === opts.file ? await readCsvDocument(opts.file, csvOpts) : doc;
      const wf = target === opts.file ? readWorkedFile(fresh, rules, opts.asOfDay) : null;
      const lead = wf ? wf.find(key) : first;
      if (wf) check(lead, opts, fresh);
      const outcome = recordAttempt(cadence, { attempts: attemptsOf(lead), notes: lead.cell('fu_notes') }, attempt);
      const values = columnsFor(outcome, fresh, lead, (wf ?? worked).prefix, at);
      const update = updateRecord(fresh, lead.record, values);
      await writeFileAtomic(target, update.bytes, { signal, ...(target === opts.file ? { expect: fresh.identity } : {}) });
      return { outcome, added: update.added, record: lead.record };
    },
    opts.lockWaitMs !== undefined ? { waitMs: opts.lockWaitMs } : {},
  );
  opts.log(
    `${key}: attempt ${outcome.columns.fu_attempts} (${opts.channel}, ${opts.result}) logged. ${outcome.next}. ` +
      `Wrote ${FOLLOWUP_COLUMNS.length} columns${added.length ? ` (${added.length} new)` : ''} to ${target}.`,
  );
  return { lead: key, record, outcome, target, added };
}

function attemptsOf(lead: WorkedLead): number {
  const n = Number(lead.cell('fu_attempts'));
  return Number.isInteger(n) && n > 0 ? n : 0;
}

function check(lead: WorkedLead, opts: LogOptions, doc: CsvDocument): void {
  const file = doc.file;
  if (!opts.force && (lead.stage === 'disqualified' || lead.stage === 'bad lead')) {
    throw new QualifyError('LEAD_WRONG_STAGE', `${lead.key} is ${lead.stage === 'bad lead' ? 'a bad lead' : 'disqualified'}${lead.disqualifiedWhy ? ` (${lead.disqualifiedWhy})` : ''}: there is nobody to follow up; use --force to log it anyway`, { kind: 'csv', file, record: lead.record });
  }
  const last = lead.cell('fu_last_at');
  if (last !== '' && !Number.isNaN(Date.parse(last)) && opts.at.getTime() < Date.parse(last)) {
    throw new QualifyError('ARG_INVALID', `--at ${stamp(opts.at)} is before the last attempt logged for ${lead.key} (${last}); attempts are logged in the order they happened`, { kind: 'arg', option: '--at' });
  }
}

/** The cells to write: the follow-up columns, and when the cadence ran out and disqualifies, the
 * stage (kept from re-scoring by qualified_at, as a person's outcome) and the step times. */
function columnsFor(outcome: AttemptOutcome, doc: CsvDocument, lead: WorkedLead, prefix: string, at: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const c of FOLLOWUP_COLUMNS) values[c] = neutralizeFormula(outcome.columns[c]);
  // The recommended next step follows the cadence, where the file has the score's action column.
  if (doc.header.includes(prefix + 'action')) values[prefix + 'action'] = neutralizeFormula(outcome.next);
  if (outcome.disqualified !== null) {
    values[prefix + 'stage'] = 'disqualified';
    values[prefix + 'class'] = 'lead';
    values[prefix + 'action'] = neutralizeFormula(outcome.next);
    values[QUALIFIED_AT_COLUMN] = at;
    // The funnel's step columns, as assess and discover write them: a disqualifying cadence
    // stamps disqualified_at and keeps the others (they are added together, as the calls add them).
    for (const c of STEP_COLUMNS) values[c] = c === 'disqualified_at' ? at : lead.cell(c);
  }
  return values;
}
