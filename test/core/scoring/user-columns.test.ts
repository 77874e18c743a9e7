// Issue 10 item 4: a user's own column whose header spells a score column name (`score`,
// `Stage`, ` stage `) is never overwritten, by `score --in-place`, a new file, JSON, or the
// assess write-back; the score columns go under a prefix, and re-scoring stays idempotent.
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRules } from '../../../src/io/rules-file.js';
import { readCsvDocument } from '../../../src/io/csv-row-update.js';
import { scoreFile } from '../../../src/pipeline/score-file.js';
import { runLeadCall } from '../../../src/pipeline/lead-call.js';
import { createScriptedPrompter } from '../../../src/ui/prompter.js';
import { AS_OF } from '../../helpers/rules.js';

const { rules: DEFAULT } = loadRules(undefined);
const INPUT = 'Email,Job Title,Employees,score,notes, stage ,SCORE\r\nana@contoso.com,VP Marketing,250,A+ (manual rating),x,Closed Won,7\r\nbo@northwind.io,VP Sales,300,"B, maybe",,cold lead,\r\n';

function tmp(name: string, text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'qualify-cols-')), name);
  writeFileSync(file, text);
  return file;
}

const rowsOf = (text: string) => text.trimEnd().split('\r\n').map((l) => l.split(','));

describe('user columns named like score columns', () => {
  it('--in-place keeps every user cell, appends qualify_* columns, and a second run is byte-identical', async () => {
    const file = tmp('leads.csv', INPUT);
    const stats = await scoreFile({ input: file, rules: DEFAULT, asOfDay: AS_OF, format: 'csv', output: null, inPlace: true, sanitize: true });
    expect(stats.clashes).toEqual(['score', ' stage ', 'SCORE']);
    const once = readFileSync(file, 'utf8');
    // Every input line is still there, as it was, with the new cells after it.
    const inLines = INPUT.trimEnd().split('\r\n');
    once.trimEnd().split('\r\n').forEach((line, i) => expect(line.startsWith(inLines[i]! + ',')).toBe(true));
    const header = rowsOf(once)[0]!;
    expect(header.slice(7)).toEqual(stats.scoreNames);
    expect(stats.scoreNames.every((n) => n.startsWith('qualify_'))).toBe(true);
    const again = await scoreFile({ input: file, rules: DEFAULT, asOfDay: AS_OF, format: 'csv', output: null, inPlace: true, sanitize: true });
    expect(readFileSync(file, 'utf8')).toBe(once);
    expect(again.scoreNames).toEqual(stats.scoreNames);
  });

  it('JSON: the user\'s "score" stays a text field beside a typed "qualify_score"', async () => {
    const file = tmp('leads.csv', INPUT);
    const out = join(file, '..', 'out.json');
    await scoreFile({ input: file, rules: DEFAULT, asOfDay: AS_OF, format: 'json', output: out, inPlace: false, sanitize: true });
    const [first] = JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>[];
    expect(first).toMatchObject({ score: 'A+ (manual rating)', ' stage ': 'Closed Won', SCORE: '7', qualify_score: expect.any(Number), qualify_stage: expect.any(String) });
  });

  it('assess writes its stage, class and action under the same prefix, never into the user\'s stage column', async () => {
    const file = tmp('leads.csv', 'Lead ID,Email,Job Title,stage,notes\nPL-1,ana@contoso.com,VP Marketing,Closed Won,x\nPL-2,bo@northwind.io,VP Sales,,\n');
    const answers = {
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
    await runLeadCall({ step: 'assess', file, lead: 'PL-2', force: false, prompter: createScriptedPrompter(answers), answers, now: new Date('2026-11-02T10:00:00Z'), clock: () => new Date('2026-11-02T10:00:00Z'), log: () => {} });
    const doc = await readCsvDocument(file);
    const row = (r: number) => Object.fromEntries(doc.header.map((h, i) => [h, doc.rows[r]![i]]));
    expect(doc.header.filter((h) => h === 'stage')).toEqual(['stage']);
    expect(row(0)).toMatchObject({ stage: 'Closed Won', qualify_stage: '' });
    expect(row(1)).toMatchObject({ stage: '', qualify_stage: 'SAL', qualify_class: 'lead', qualified_at: '2026-11-02T10:00:00Z' });
    expect(doc.header).toContain('qualify_action');
    expect(doc.header).not.toContain('action');
    // Scoring it afterwards keeps the person's SAL (found through qualified_at) and the user's column.
    const copy = tmp('again.csv', '');
    copyFileSync(file, copy);
    const stats = await scoreFile({ input: copy, rules: DEFAULT, asOfDay: AS_OF, format: 'csv', output: null, inPlace: true, sanitize: true });
    expect(stats.scoreNames[0]).toBe('qualify_fit');
    const after = await readCsvDocument(copy);
    const r2 = Object.fromEntries(after.header.map((h, i) => [h, after.rows[1]![i]]));
    expect(r2).toMatchObject({ stage: '', qualify_stage: 'SAL' });
    expect(Object.fromEntries(after.header.map((h, i) => [h, after.rows[0]![i]]))).toMatchObject({ stage: 'Closed Won' });
  });
});
