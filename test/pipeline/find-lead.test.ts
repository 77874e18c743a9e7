// Issue 10 item 15: a --lead value that names two rows is refused with both record numbers
// (LEAD_AMBIGUOUS), by explain (findLead) and by assess/discover (one matcher, find-lead.ts);
// an interactive call lets the salesperson choose one of them instead.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRules } from '../../src/io/rules-file.js';
import { readCsvDocument } from '../../src/io/csv-row-update.js';
import { findLead } from '../../src/pipeline/find-lead.js';
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

function tmp(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'qualify-lead-')), 'leads.csv');
  writeFileSync(file, CSV);
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
