// `assess` / `discover` end to end below the CLI: a copy of the fixture, scripted answers, and
// the file checked byte for byte afterwards.
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCsvDocument, type CsvDocument } from '../../src/io/csv-row-update.js';
import { draftPath } from '../../src/io/draft.js';
import { ago, runLeadCall, type LeadCallOptions } from '../../src/pipeline/lead-call.js';
import { createScriptedPrompter, type Prompter } from '../../src/ui/prompter.js';
import { scoredLeads } from '../interactive/setup.js';

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
    clock: () => NOW,
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
  it('an invalid answer stops the run before anything is written, and leaves no draft', async () => {
    const file = copy();
    const original = readFileSync(file);
    const logs: string[] = [];
    await expect(call(file, { lead: 'PL-0008', answersMap: { ...SAL, timeline: 'soon' }, log: (l) => logs.push(l) })).rejects.toMatchObject({
      name: 'QualifyErrors',
      errors: [
        expect.objectContaining({
          code: 'ANSWERS_INVALID',
          message:
            'answer to "timeline" (Timeline: When would you want a solution in place?): "soon" is not a valid answer to "Timeline"; allowed: one of: this_quarter, within_6_months, within_12_months, no_timeline',
        }),
      ],
    });
    expect(readFileSync(file)).toEqual(original);
    // A non-interactive run has nothing to resume by hand: no draft, and no "run it again to resume".
    expect(existsSync(draftPath(file))).toBe(false);
    expect(logs.join('\n')).not.toContain('resume');
  });

  it('reports every problem of an answers file at once, with the question\'s wording, what it takes, and where', async () => {
    const at = (id: string) => ({ kind: 'yaml' as const, file: 'call.yaml', line: Object.keys(SAL).indexOf(id) + 1, col: 1, path: [id] });
    const { solution: _s, ...rest } = SAL;
    const e = await call(copy(), {
      lead: 'PL-0008',
      answersMap: { ...rest, source: { a: 1 }, timeline: 'soon', budjet: 1 },
      answersAt: (id) => (id in SAL ? at(id) : { kind: 'yaml', file: 'call.yaml', line: 12, col: 1, path: [id] }),
    }).catch((x: unknown) => x);
    expect(e).toMatchObject({ name: 'QualifyErrors' });
    const errors = (e as { errors: { code: string; message: string; at?: { line?: number } }[] }).errors;
    expect(errors.map((x) => [x.code, x.at?.line, x.message])).toEqual([
      ['ANSWERS_INVALID', 12, expect.stringContaining('"budjet" is not a question of needs-assessment')],
      // A map is named as such, with what the question takes (not "[object Object]").
      ['ANSWERS_INVALID', 1, expect.stringMatching(/^answer to "source" \(Source: How did you first hear about .*\): a map \(\{"a":1\}\) is not an answer to "source": it takes one option; allowed: one of: /)],
      ['ANSWERS_INVALID', 6, expect.stringContaining('answer to "timeline" (Timeline: When would you want a solution in place?): "soon" is not a valid answer')],
      ['ANSWERS_INVALID', 4, 'no answer to "solution" (How we would help: How do you see a tool like ours solving that for your team?), which needs one; allowed: any text, not empty'],
    ]);
    expect(errors.every((x) => !x.message.includes('[object Object]'))).toBe(true);
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

  it('starts afresh, the draft discarded, when the salesperson chooses to start over', async () => {
    const file = copy();
    await expect(call(file, { lead: 'PL-0008', prompter: interrupted(SAL, 'crm') })).rejects.toMatchObject({ name: 'ExitPromptError' });
    const p = createScriptedPrompter({ ...SAL, $resume: 'discard' });
    await call(file, { lead: 'PL-0008', prompter: p });
    expect(p.asked[1]).toBe('source');
  });

  it('keeps the draft when the salesperson cancels at the resume prompt, or presses Ctrl-C there', async () => {
    const file = copy();
    await expect(call(file, { lead: 'PL-0008', prompter: interrupted(SAL, 'crm') })).rejects.toMatchObject({ name: 'ExitPromptError' });
    const kept = readFileSync(draftPath(file), 'utf8');
    const logs: string[] = [];
    const r = await call(file, { lead: 'PL-0008', prompter: createScriptedPrompter({ $resume: 'cancel' }), log: (l) => logs.push(l) });
    expect(r.status).toBe('cancelled');
    expect(readFileSync(draftPath(file), 'utf8')).toBe(kept);
    expect(logs).toEqual([`Nothing was written to ${file}; the answers so far stay in ${draftPath(file)} for the next run.`]);
    // Ctrl-C at the resume prompt itself keeps them too.
    await expect(call(file, { lead: 'PL-0008', prompter: interrupted(SAL, '$resume') })).rejects.toMatchObject({ name: 'ExitPromptError' });
    expect(readFileSync(draftPath(file), 'utf8')).toBe(kept);
  });

  it('shows how long ago the call was interrupted, at which question, and the answers so far', async () => {
    const file = copy();
    await expect(call(file, { lead: 'PL-0008', prompter: interrupted(SAL, 'crm') })).rejects.toMatchObject({ name: 'ExitPromptError' });
    const inner = createScriptedPrompter({ ...SAL, $resume: 'resume' });
    let message = '';
    const p: Prompter = {
      ...inner,
      select: (spec) => {
        if (spec.id === '$resume') message = spec.message;
        return inner.select(spec);
      },
    };
    await call(file, { lead: 'PL-0008', prompter: p, clock: () => new Date(NOW.getTime() + 20 * 60_000) });
    expect(message).toBe('The call with PL-0008 was interrupted 20 minutes ago at question 6 of 11. Resume it?');
    expect(inner.said[0]).toBe(
      [
        'Source: Referral from a customer or partner',
        'Need: More accurate forecasts',
        'Why now: (left blank)',
        'Product interest: Forecasting',
        'How we would help: One forecast for the board',
      ].join('\n'),
    );
  });
});

describe('how long ago a call was interrupted', () => {
  it.each([
    ['2026-11-02T09:59:40Z', 'moments ago'],
    ['2026-11-02T09:59:00Z', '1 minute ago'],
    ['2026-11-02T09:40:00Z', '20 minutes ago'],
    ['2026-11-02T08:00:00Z', '2 hours ago'],
    ['2026-10-31T16:37:18Z', '2 days ago (2026-10-31 16:37 UTC)'],
    ['not a date', 'at an unknown time'],
  ])('saved at %s, now 2026-11-02T10:00:00Z: %s', (savedAt, expected) => {
    expect(ago(savedAt, NOW)).toBe(expected);
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

describe('the picker and the file\'s own scores', () => {
  /** The labels the picker offers, and the prompter that answers the call. */
  function watching(answers: Record<string, unknown>): { prompter: Prompter; offered: () => string[] } {
    const inner = createScriptedPrompter(answers);
    let offered: string[] = [];
    return {
      offered: () => offered,
      prompter: {
        ...inner,
        select: (spec) => {
          if (spec.id === '$lead') offered = spec.choices.map((c) => c.label);
          return inner.select(spec);
        },
      },
    };
  }

  it('lists the leads with the score and stage the file was scored with (--as-of 2026-11-01), not re-scored as of today', async () => {
    const { csv } = scoredLeads(); // qualify score --as-of 2026-11-01: PL-0008 and PL-0069 are MQLs of score 80
    const w = watching({ ...SAL, $lead: '8' });
    await call(csv, { prompter: w.prompter });
    expect(w.offered().slice(0, 2)).toEqual([expect.stringMatching(/\(MQL, score 80\) · PL-0008$/), expect.stringMatching(/\(MQL, score 80\) · PL-0069$/)]);
  });

  it('scores a file without score columns as of asOfDay (--as-of)', async () => {
    const w = watching({ ...SAL, $lead: '8' });
    await call(copy(), { prompter: w.prompter, asOfDay: Date.UTC(2026, 10, 1) / 86_400_000 });
    expect(w.offered()[0]).toMatch(/\(MQL, score 80\) · PL-0008$/);
  });
});

describe('timestamps', () => {
  it('stamps each step when its outcome is saved, and keeps the earlier steps\' times', async () => {
    const file = copy();
    const started = new Date('2026-11-02T10:00:00Z');
    // The needs assessment starts at 10:00 and is saved at 10:25; the discovery call is saved a week later.
    await call(file, { lead: 'PL-0008', answersMap: SAL, now: started, clock: () => new Date('2026-11-02T10:25:30.123Z') });
    let doc = await readCsvDocument(file);
    let row = Object.fromEntries(doc.header.map((h, i) => [h, doc.rows[7]![i]]));
    expect(row).toMatchObject({ stage: 'SAL', qualified_at: '2026-11-02T10:25:30Z', sal_at: '2026-11-02T10:25:30Z', sql_at: '', opportunity_at: '', disqualified_at: '' });
    // Every other row has the step columns too, empty.
    expect(doc.rows[0]!.slice(doc.header.indexOf('sal_at'))).toEqual(['', '', '', '']);

    await call(file, { step: 'discover', lead: 'PL-0008', answersMap: OPPORTUNITY, now: new Date('2026-11-09T09:00:00Z'), clock: () => new Date('2026-11-09T09:30:00Z') });
    doc = await readCsvDocument(file);
    row = Object.fromEntries(doc.header.map((h, i) => [h, doc.rows[7]![i]]));
    expect(row).toMatchObject({
      stage: 'opportunity',
      qualified_at: '2026-11-09T09:30:00Z',
      sal_at: '2026-11-02T10:25:30Z',
      sql_at: '2026-11-09T09:30:00Z',
      opportunity_at: '2026-11-09T09:30:00Z',
      disqualified_at: '',
    });
  });

  it('stamps disqualified_at when the call disqualifies the lead', async () => {
    const file = copy();
    await call(file, { lead: 'PL-0008', answersMap: { ...SAL, need: ['none'], follow_up_agreed: false }, clock: () => new Date('2026-11-02T10:40:00Z') });
    const doc = await readCsvDocument(file);
    const row = Object.fromEntries(doc.header.map((h, i) => [h, doc.rows[7]![i]]));
    expect(row).toMatchObject({ stage: 'disqualified', qualified_at: '2026-11-02T10:40:00Z', sal_at: '', disqualified_at: '2026-11-02T10:40:00Z' });
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
      expect(existsSync(draftPath(file))).toBe(false);
    } finally {
      child.kill();
    }
  });
});
