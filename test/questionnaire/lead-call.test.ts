// `assess` / `discover` end to end below the CLI: a copy of the fixture, scripted answers, and
// the file checked byte for byte afterwards.
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCsvDocument, type CsvDocument } from '../../src/io/csv-row-update.js';
import { draftPath } from '../../src/io/draft.js';
import { runLeadCall, type LeadCallOptions } from '../../src/pipeline/lead-call.js';
import { createScriptedPrompter, type Prompter } from '../../src/ui/prompter.js';

const NOW = new Date('2026-11-02T10:00:00Z');
const FIXTURE = new URL('../../fixtures/purchased-list.csv', import.meta.url);

function copy(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'qualify-call-')), 'leads.csv');
  copyFileSync(FIXTURE, file);
  return file;
}

const SAL = {
  source: 'referral',
  need: ['forecast_accuracy'],
  product_interest: 'forecasting',
  solution: 'One forecast for the board',
  crm: 'hubspot',
  timeline: 'this_quarter',
  follow_up_agreed: true,
  follow_up_date: '2026-11-10',
  follow_up_window: '09:00-11:00',
  notes: '=HYPERLINK("http://evil")',
};
const OPPORTUNITY = {
  pain: ['forecast_misses'],
  budget_set: true,
  budget: 30000,
  authority: 'decision_maker',
  timeline: 'end of quarter',
  agrees_to_explore: true,
  deal_amount: 24000,
  deal_stage: 'demo',
  next_step: 'demo',
  close_date: '2027-01-31',
};

function call(file: string, over: Partial<LeadCallOptions> & { answersMap?: Record<string, unknown> }): Promise<ReturnType<typeof runLeadCall> extends Promise<infer R> ? R : never> {
  const { answersMap, ...rest } = over;
  const logs: string[] = [];
  return runLeadCall({
    step: 'assess',
    file,
    force: false,
    prompter: createScriptedPrompter(answersMap ?? {}),
    now: NOW,
    log: (l) => logs.push(l),
    ...(answersMap ? { answers: answersMap } : {}),
    ...rest,
  });
}

/** Every record but `record` has the bytes it had, plus one empty cell per added column. */
function expectOthersUnchanged(before: CsvDocument, after: CsvDocument, record: number, added: number): void {
  const span = (d: CsvDocument, i: number) => d.body.subarray(i === 0 ? 0 : d.ends[i - 1]!, d.ends[i]!).toString('utf8');
  for (let r = 1; r < before.ends.length; r++) {
    if (r === record) continue;
    const b = span(before, r);
    const eol = /(\r\n|\n|\r)$/.exec(b)?.[0] ?? '';
    expect(span(after, r)).toBe(b.slice(0, b.length - eol.length) + ','.repeat(added) + eol);
  }
  expect(after.rows.length).toBe(before.rows.length);
}

describe('assess then discover', () => {
  it('writes the needs assessment, then the discovery call, into the lead\'s row only', async () => {
    const file = copy();
    const before = await readCsvDocument(file);
    const r1 = await call(file, { lead: 'PL-0008', answersMap: SAL });
    expect(r1).toMatchObject({ status: 'saved', record: 8, outcome: { stage: 'SAL', followUp: '2026-11-10 09:00-11:00' } });
    const mid = await readCsvDocument(file);
    expectOthersUnchanged(before, mid, 8, r1.added!.length);
    const row = Object.fromEntries(mid.header.map((h, i) => [h, mid.rows[7]![i]]));
    expect(row).toMatchObject({ 'Lead ID': 'PL-0008', na_need: 'forecast_accuracy', na_outcome: 'qualified', stage: 'SAL', class: 'lead', qualified_at: '2026-11-02T10:00:00Z' });
    // A formula typed into the notes is written as text (OWASP CSV injection).
    expect(row['na_notes']).toBe('\'=HYPERLINK("http://evil")');

    // Found by email this time; the stage SAL set by a person is what discovery needs.
    const r2 = await call(file, { step: 'discover', lead: 'SAM@blueyonder.aero', answersMap: OPPORTUNITY });
    expect(r2.outcome).toMatchObject({ stage: 'opportunity', class: 'opportunity' });
    const after = await readCsvDocument(file);
    expectOthersUnchanged(mid, after, 8, r2.added!.length);
    const row2 = Object.fromEntries(after.header.map((h, i) => [h, after.rows[7]![i]]));
    expect(row2).toMatchObject({ na_outcome: 'qualified', bant_outcome: 'qualified', opp_amount: '24000', opp_close_date: '2027-01-31', stage: 'opportunity', class: 'opportunity' });
    expect(existsSync(draftPath(file))).toBe(false);
  });

  it('writes to --output and leaves the input alone', async () => {
    const file = copy();
    const original = readFileSync(file);
    const out = file.replace(/leads\.csv$/, 'out.csv');
    await call(file, { lead: 'PL-0008', answersMap: SAL, output: out });
    expect(readFileSync(file)).toEqual(original);
    expect(readFileSync(out, 'utf8')).toContain('na_outcome');
  });
});

describe('the wrong lead', () => {
  it.each<[string, Partial<LeadCallOptions>, RegExp]>([
    ['discovery before the needs assessment', { step: 'discover', lead: 'PL-0001' }, /PL-0001 has no needs assessment yet \(stage lead\)/],
    ['a bad lead', { lead: 'PL-0003' }, /PL-0003 is a bad lead; use --force to assess it anyway/],
    ['a disqualified lead', { lead: 'PL-0007' }, /PL-0007 is a disqualified; use --force/],
  ])('refuses %s, and writes nothing', async (_name, over, message) => {
    const file = copy();
    const original = readFileSync(file);
    await expect(call(file, { ...over, answersMap: over.step === 'discover' ? OPPORTUNITY : SAL })).rejects.toMatchObject({ code: 'LEAD_WRONG_STAGE', message: expect.stringMatching(message) });
    expect(readFileSync(file)).toEqual(original);
  });

  it('--force runs it anyway', async () => {
    const file = copy();
    const r = await call(file, { step: 'discover', lead: 'PL-0001', force: true, answersMap: OPPORTUNITY });
    expect(r.outcome?.stage).toBe('opportunity');
  });

  it('says which columns it looked in for an unknown lead', async () => {
    await expect(call(copy(), { lead: 'PL-9999', answersMap: SAL })).rejects.toMatchObject({
      code: 'LEAD_NOT_FOUND',
      message: expect.stringContaining('looked in the id column "Lead ID" or email column "E-mail Address"'),
    });
  });
});

describe('answers files', () => {
  it('an invalid answer stops the run before anything is written', async () => {
    const file = copy();
    const original = readFileSync(file);
    await expect(call(file, { lead: 'PL-0008', answersMap: { ...SAL, timeline: 'soon' } })).rejects.toMatchObject({
      code: 'ANSWERS_INVALID',
      message: '"soon" is not a valid answer to "Timeline"; allowed: one of: this_quarter, within_6_months, within_12_months, no_timeline',
    });
    expect(readFileSync(file)).toEqual(original);
  });

  it('an unknown question id is reported before the call', async () => {
    await expect(call(copy(), { lead: 'PL-0008', answersMap: { ...SAL, budjet: 1 } })).rejects.toMatchObject({
      name: 'QualifyErrors',
      errors: [expect.objectContaining({ code: 'ANSWERS_INVALID', message: expect.stringContaining('"budjet" is not a question of needs-assessment') })],
    });
  });
});

describe('interruption and resume', () => {
  /** Answers like the scripted prompter, then "presses Ctrl-C" at question `stopAt`. */
  function interrupted(answers: Record<string, unknown>, stopAt: string): Prompter {
    const inner = createScriptedPrompter(answers);
    const guard =
      <P extends { id: string }, R>(fn: (p: P) => Promise<R>) =>
      async (p: P): Promise<R> => {
        if (p.id === stopAt) throw Object.assign(new Error('User force closed the prompt with SIGINT'), { name: 'ExitPromptError' });
        return fn(p);
      };
    return { ...inner, select: guard(inner.select), checkbox: guard(inner.checkbox), input: guard(inner.input), number: guard(inner.number), confirm: guard(inner.confirm), date: guard(inner.date) };
  }

  it('leaves the CSV untouched, keeps the answers in a draft, and resumes from them', async () => {
    const file = copy();
    const original = readFileSync(file);
    await expect(call(file, { lead: 'PL-0008', prompter: interrupted(SAL, 'crm') })).rejects.toMatchObject({ name: 'ExitPromptError' });
    expect(readFileSync(file)).toEqual(original);
    const draft = JSON.parse(readFileSync(draftPath(file), 'utf8'));
    expect(draft.drafts['needs-assessment PL-0008'].answers).toEqual({
      source: 'referral',
      need: ['forecast_accuracy'],
      need_detail: null,
      product_interest: 'forecasting',
      solution: 'One forecast for the board',
    });

    // Next run: offered to resume (yes), then only the remaining questions are asked.
    const p = createScriptedPrompter({ ...SAL, $resume: true, source: 'webinar' });
    const r = await call(file, { lead: 'PL-0008', prompter: p });
    expect(p.asked).toEqual(['$resume', 'crm', 'timeline', 'follow_up_agreed', 'follow_up_date', 'follow_up_window', 'notes', '$review']);
    expect(r.outcome?.answers['source']).toBe('referral');
    expect(existsSync(draftPath(file))).toBe(false);
  });

  it('starts afresh when the salesperson declines to resume', async () => {
    const file = copy();
    await expect(call(file, { lead: 'PL-0008', prompter: interrupted(SAL, 'crm') })).rejects.toBeDefined();
    const p = createScriptedPrompter({ ...SAL, $resume: false });
    await call(file, { lead: 'PL-0008', prompter: p });
    expect(p.asked[1]).toBe('source');
  });
});

describe('picking a lead', () => {
  it('offers the best next leads at the right stage, highest score first', async () => {
    const file = copy();
    const inner = createScriptedPrompter({ ...SAL, $lead: '8' });
    let offered: string[] = [];
    const p: Prompter = {
      ...inner,
      select: (spec) => {
        if (spec.id === '$lead') offered = spec.choices.map((c) => c.label);
        return inner.select(spec);
      },
    };
    const r = await call(file, { prompter: p });
    expect(r.record).toBe(8);
    const scores = offered.map((l) => Number(/score (-?\d+)\)( · \S+)?$/.exec(l)![1]));
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(offered[0]).toMatch(/^Sam Costa, Blue Yonder Airlines \(lead, score 79\) · PL-0008$/);
    expect(offered.some((l) => /bad lead|disqualified/.test(l))).toBe(false);
    // Sales-sourced leads are in the list too.
    expect(offered.some((l) => /sales lead/.test(l))).toBe(true);
  });
});

describe('locking', () => {
  it('waits for another process holding the file, then fails clearly and writes nothing', async () => {
    const file = copy();
    const original = readFileSync(file);
    const lockfile = new URL('../../node_modules/proper-lockfile/index.js', import.meta.url).href;
    const child = spawn(process.execPath, [
      '--input-type=module',
      '-e',
      `import l from ${JSON.stringify(lockfile)}; await l.lock(${JSON.stringify(file)}, { realpath: false, stale: 10000 }); console.log('locked'); setTimeout(() => {}, 20000);`,
    ]);
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => d.toString().includes('locked') && resolve());
        child.on('exit', (code) => reject(new Error(`lock holder exited ${code}`)));
      });
      await expect(call(file, { lead: 'PL-0008', answersMap: SAL, lockWaitMs: 500 })).rejects.toMatchObject({
        code: 'FILE_LOCKED',
        message: expect.stringContaining('is being written by another qualify process'),
      });
      expect(readFileSync(file)).toEqual(original);
    } finally {
      child.kill();
    }
  });
});
