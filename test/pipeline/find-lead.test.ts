// Issue 10 item 15: a --lead value that names two rows is refused with both record numbers
// (LEAD_AMBIGUOUS), by explain (findLead) and by assess/discover (one matcher, find-lead.ts);
// an interactive call lets the salesperson choose one of them instead.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadRules } from '../../src/io/rules-file.js';
import { readCsvDocument } from '../../src/io/csv-row-update.js';
import { createLeadFinder, createLeadMatcher, findLead, indexLeads } from '../../src/pipeline/find-lead.js';
import { runLeadCall, type LeadCallOptions } from '../../src/pipeline/lead-call.js';
import { createScriptedPrompter } from '../../src/ui/prompter.js';
import { AS_OF } from '../helpers/rules.js';

const { rules } = loadRules(undefined);
// PL-0001 twice (records 1 and 3; a quoted line break in record 2 puts record 3 on line 5), and
// one email twice; record 6 has neither id nor email.
const CSV =
  'Lead ID,Email,Job Title,Notes\n' +
  'PL-0001,ana@contoso.com,VP Marketing,\n' +
  'PL-0002,bo@northwind.io,VP Sales,"two\nlines"\n' +
  'PL-0001,cy@fabrikam.com,Head of Sales,\n' +
  'PL-0004,BO@northwind.io,CFO,\n' +
  'PL-0005,di@tailspin.com,CEO,\n' +
  ',,Intern,\n';

function tmp(text = CSV): string {
  const file = join(mkdtempSync(join(tmpdir(), 'qualify-lead-')), 'leads.csv');
  writeFileSync(file, text);
  return file;
}

const SAL = {
  source: 'referral',
  need: ['forecast_accuracy'],
  product_interest: 'forecasting',
  solution: 'One forecast',
  crm: 'hubspot',
  timeline: 'this_quarter',
  follow_up_agreed: true,
  follow_up_date: '2026-11-10',
  follow_up_window: '09:00-11:00',
  notes: '',
};

function call(file: string, over: Partial<LeadCallOptions>) {
  return runLeadCall({ step: 'assess', file, force: false, prompter: createScriptedPrompter(SAL), now: new Date('2026-11-02T10:00:00Z'), log: () => {}, ...over });
}

describe('explain: findLead', () => {
  it.each([
    ['PL-0001', 'lead "PL-0001" matches 2 records (id column "Lead ID" or email column "Email"): record 1 and record 3'],
    ['bo@NORTHWIND.io', 'lead "bo@NORTHWIND.io" matches 2 records (id column "Lead ID" or email column "Email"): record 2 and record 4'],
  ])('%s is LEAD_AMBIGUOUS, naming both records', async (id, message) => {
    await expect(findLead(tmp(), id, rules, AS_OF)).rejects.toMatchObject({ code: 'LEAD_AMBIGUOUS', message, hint: expect.stringContaining("--lead '#") });
  });

  it.each([
    ['PL-0005', 5],
    ['#3', 3],
    [' di@tailspin.com ', 5],
  ])('%s names one record (%i), scored as score would', async (id, record) => {
    const found = await findLead(tmp(), id, rules, AS_OF);
    expect(found.record).toBe(record);
    expect(found.result.record).toBe(record);
  });

  it('a blank value names no lead (it named the first row with a blank id or email)', async () => {
    await expect(findLead(tmp(), '  ', rules, AS_OF)).rejects.toMatchObject({ code: 'LEAD_NOT_FOUND' });
  });
});

describe('assess/discover: the same matcher', () => {
  it('with --answers (not interactive): LEAD_AMBIGUOUS with records and lines, nothing written', async () => {
    const file = tmp();
    await expect(call(file, { lead: 'PL-0001', answers: SAL })).rejects.toMatchObject({
      code: 'LEAD_AMBIGUOUS',
      message: 'lead "PL-0001" matches 2 records (id column "Lead ID" or email column "Email"): record 1 (line 2) and record 3 (line 5)',
      at: { kind: 'csv', record: 1, line: 2 },
    });
    expect(readFileSync(file, 'utf8')).toBe(CSV);
  });

  it('interactive: the salesperson chooses one of the matches, and only that row is written', async () => {
    const file = tmp();
    const prompter = createScriptedPrompter({ ...SAL, $lead: '3' });
    const r = await call(file, { lead: 'PL-0001', prompter });
    expect(prompter.asked[0]).toBe('$lead');
    expect(r).toMatchObject({ status: 'saved', record: 3, lead: '#3' });
    const doc = await readCsvDocument(file);
    const stage = doc.header.indexOf('stage');
    expect(doc.rows.map((row) => row[stage])).toEqual(['', '', 'SAL', '', '', '']);
  });

  it('interactive: a choice outside the matches is refused', async () => {
    await expect(call(tmp(), { lead: 'PL-0001', prompter: createScriptedPrompter({ ...SAL, $lead: '5' }) })).rejects.toMatchObject({ code: 'ANSWERS_INVALID' });
  });
});

describe('one finder: streams, and stops where it can', () => {
  // Record 7 cannot be read (an unclosed quote runs to the end of the file): a reader that gets
  // there fails with CSV_BAD_RECORD, so these cases show how far each search reads.
  const BROKEN = CSV + 'PL-0007,"ed@contoso.com,CTO,\n' + 'PL-0008,fi@contoso.com,CTO,\n';

  it('#N stops at record N: the unreadable rows after it are never read', async () => {
    const found = await findLead(tmp(BROKEN), '#2', rules, AS_OF);
    expect(found).toMatchObject({ record: 2, row: ['PL-0002', 'bo@northwind.io', 'VP Sales', 'two\nlines'] });
  });

  it('an id or email reads on to the end (a later match would make it ambiguous), so the bad row is reported', async () => {
    await expect(findLead(tmp(BROKEN), 'PL-0005', rules, AS_OF)).rejects.toMatchObject({ code: 'CSV_BAD_RECORD', at: { record: 7, line: 9 } });
  });

  it('#N past the last record is LEAD_NOT_FOUND with the number of records read', async () => {
    await expect(findLead(tmp(), '#7', rules, AS_OF)).rejects.toMatchObject({ code: 'LEAD_NOT_FOUND', message: expect.stringContaining('6 records') });
  });

  it('createLeadFinder is settled once record N was seen for #N, never for an id', () => {
    const cols = { idCol: 0, emailCol: 1 };
    const byNumber = createLeadFinder('#2', cols);
    expect(byNumber.see(['a', 'a@x.io'], 1)).toBe(false);
    expect(byNumber.settled()).toBe(false);
    expect(byNumber.see(['b', 'b@x.io'], 2)).toBe(true);
    expect(byNumber.settled()).toBe(true);
    const byId = createLeadFinder('a', cols);
    for (let r = 1; r <= 3; r++) byId.see(['a', ''], r);
    expect(byId.settled()).toBe(false);
    expect(byId.matches()).toEqual([1, 2, 3]);
  });

  it('indexLeads (rows in memory) gives exactly the records the matcher gives, for any rows and value (property)', () => {
    // Few distinct values, with case and space variants, so that values repeat across rows and
    // columns (an id that is also another row's email) and #N lands in and out of range.
    const piece = fc.constantFrom('a', 'A', ' a ', 'b@x.io', 'B@X.IO ', ' b@x.io', '', ' ', '#1', '#3', 'c');
    const row = fc.tuple(piece, piece, piece);
    fc.assert(
      fc.property(fc.array(row, { maxLength: 12 }), fc.constantFrom(-1, 0, 1), fc.constantFrom(-1, 1, 2), piece, (rows, idCol, emailCol, id) => {
        const cols = { idCol, emailCol };
        const match = createLeadMatcher(id, cols);
        const scanned = rows.flatMap((r, i) => (match(r, i + 1) ? [i + 1] : []));
        expect(indexLeads(rows, cols).matches(id)).toEqual(scanned);
        const finder = createLeadFinder(id, cols);
        rows.forEach((r, i) => finder.see(r, i + 1));
        expect(finder.matches()).toEqual(scanned);
      }),
      { numRuns: 500 },
    );
  });
});
