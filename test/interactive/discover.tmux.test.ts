// `qualify discover` in a real terminal (tmux): keys in with send-keys, screen out with
// capture-pane. (a) A whole BANT call from the opening script to the row written into the CSV;
// (b) a call whose terminal is closed mid-call; (c) a call interrupted with Ctrl-C at question 3,
// then resumed from question 3 on the next run; (d) the resume prompt's recap, and a draft that
// survives Ctrl-C at that prompt and "Cancel".
// The lead is prepared without a terminal: the fixture scored, then its needs assessment taken
// from an answers file, so PL-0001 is a sales-accepted lead. Needs the built CLI (npm test builds).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';
import { TmuxSession, tmuxAvailable } from './tmux.js';
import { expectOnlyLeadChanged, qualifyCommand, ROOT, rowOf, salLeads, terminalFixture } from './setup.js';

const haveTmux = tmuxAvailable();

describe.skipIf(!haveTmux)('qualify discover in a terminal (tmux)', () => {
  const term = terminalFixture(salLeads);

  /** A fresh copy of the SAL leads file for one test. */
  const leadsCopy = (): string => term.leadsCopy();

  function discover(csv: string): TmuxSession {
    return term.open(qualifyCommand('discover', csv, '--lead', 'PL-0001', '--rep', 'Kim'), { cwd: ROOT, width: 120, height: 40 });
  }

  it('runs a whole discovery call, from the opening to the row written into the CSV', { timeout: 60_000 }, async () => {
    const csv = leadsCopy();
    const before = readFileSync(csv);
    const leadBefore = rowOf(before, 'PL-0001');
    const t = discover(csv);

    // The opening, with the lead's row and the needs assessment filled in.
    const opening = await t.waitFor('? What gets in the way of hitting your revenue number today?');
    expect(opening).toContain('Opening and introduction');
    // Reflowed to the terminal's width (script.tmux.test.ts checks the lines): compare the words.
    const flat = opening.replace(/\s+/g, ' ');
    expect(flat).toContain("Hi José, it's Kim from Pipewise.");
    expect(flat).toContain('I was reading up on Contoso Ltd before the call: as vp marketing in Software');
    expect(flat).toContain('you said you were looking for one view of the pipeline that the board trusts.');
    expect(opening).toContain('Agenda');
    expect(opening).not.toMatch(/\{\{|\}\}/);

    // Need: a multi-select (space ticks, arrows move), then the impact asked because of it.
    t.keys('Space', 'Down', 'Space', 'Enter');
    await t.answer('What does that cost you?', 'Two missed quarters, 40 hours a month in spreadsheets');
    // Budget: yes/no, then a number with a unit that reads "60k".
    await t.answer('Is there budget set aside for solving this, this year?', 'y');
    await t.answer('Roughly how much per year? (EUR)', '60k');
    // Authority: a select, second option; "who signs" follows because they don't sign themselves.
    await t.answer('Besides you, who is involved in deciding', null, 'Down', 'Enter');
    await t.answer('Who signs off on a purchase like this?', 'Maria Chen, CRO');
    // Timeline: a date typed in words, shown resolved once answered.
    await t.answer('By when do you need a solution in place?', 'in 3 months');
    const afterTimeline = await t.answer('Are you looking at other solutions as well?', null, 'Down', 'Down', 'Enter');
    expect(afterTimeline).toContain('✔ By when do you need a solution in place? in 3 months → 2027-02-02');

    // Qualified: the close plays back the answers, then the opportunity.
    const close = await t.answer('Do they agree that something must change', 'y');
    expect(close.replace(/\s+/g, ' ')).toContain('Let me play back what I heard: forecasts miss by a wide margin, no clear view of pipeline health, budget of about 60,000 EUR');
    await t.answer('Your estimate of the first-year deal value (EUR)', '48000');
    await t.answer('Pipeline stage for the new opportunity', null, 'Down', 'Enter');
    await t.answer('What is the agreed next step?', null, 'Enter');
    await t.answer('Expected close date', 'end of quarter');
    // The demo's day and time, booked on the call (bant_follow_up, an event of followups --ics).
    await t.answer('When do we meet for the', 'in 10 days');
    await t.answer('And at what time?', null, 'Down', 'Enter');
    await t.answer('Notes from the call', 'Contract with the current vendor ends in March');

    // The summary before saving.
    const summary = await t.waitFor('? Save this outcome?');
    expect(summary).toContain('Discovery call (BANT): qualified, stage opportunity (85 points)');
    expect(summary).toContain('Opportunity: 48,000 EUR, stage Demo, next step Product demo, close 2026-12-31');
    expect(summary).toMatch(/Who signs +Maria Chen, CRO/);
    expect(readFileSync(csv)).toEqual(before); // nothing written before "Save it"
    t.keys('Enter');

    expect(await t.exitCode()).toBe(0);
    expect(t.screen()).toContain(`PL-0001: opportunity (qualified, 85 points). Wrote 29 columns (21 new) to ${csv}.`);

    const after = readFileSync(csv);
    const added = expectOnlyLeadChanged(before, after, 'PL-0001');
    expect(added).toEqual(expect.arrayContaining(['bant_pain', 'bant_budget', 'bant_authority', 'bant_timeline', 'opp_amount', 'opp_stage', 'opp_next_step', 'opp_close_date', 'bant_outcome']));
    const lead = rowOf(after, 'PL-0001');
    expect(lead).toMatchObject({
      stage: 'opportunity',
      bant_pain: 'forecast_misses; no_pipeline_visibility',
      bant_pain_impact: 'Two missed quarters, 40 hours a month in spreadsheets',
      bant_budget_set: 'yes',
      bant_budget: '60000',
      bant_authority: 'champion',
      bant_decision_maker: 'Maria Chen, CRO',
      bant_timeline: '2027-02-02',
      bant_competitors: 'clari',
      bant_agrees_to_explore: 'yes',
      opp_amount: '48000',
      opp_stage: 'demo',
      opp_next_step: 'demo',
      opp_close_date: '2026-12-31',
      bant_meeting_date: '2026-11-12',
      bant_meeting_time: '10:00-11:00',
      bant_follow_up: '2026-11-12 10:00-11:00',
      bant_notes: 'Contract with the current vendor ends in March',
      bant_outcome: 'qualified',
      bant_points: '85',
      qualified_at: '2026-11-02T10:00:00Z',
      // The needs assessment (answers file in setup) and this call ran at the pinned QUALIFY_NOW.
      sal_at: '2026-11-02T10:00:00Z',
      sql_at: '2026-11-02T10:00:00Z',
      opportunity_at: '2026-11-02T10:00:00Z',
      disqualified_at: '',
    });
    // The lead's own cells and its needs assessment are untouched.
    for (const col of ['Lead ID', 'FIRST NAME', 'Company / Account', 'score', 'na_solution', 'na_outcome']) expect(lead[col], col).toBe(leadBefore[col]);
    expect(existsSync(`${csv}.draft.json`)).toBe(false);
  });

  it('keeps the answers when the terminal is closed mid-call, and leaves the CSV alone', { timeout: 60_000 }, async () => {
    const csv = leadsCopy();
    const before = readFileSync(csv);
    const t = discover(csv);
    await t.answer('What gets in the way of hitting your revenue number today?', null, 'Down', 'Space', 'Enter');
    await t.answer('What does that cost you?', 'Reporting eats two days a month');
    await t.waitFor('? Is there budget set aside for solving this, this year?');
    t.kill(); // the terminal goes away: the process gets SIGHUP
    await new Promise((r) => setTimeout(r, 300));
    expect(readFileSync(csv)).toEqual(before);
    const draft = JSON.parse(readFileSync(`${csv}.draft.json`, 'utf8')) as { drafts: Record<string, { answers: Record<string, unknown> }> };
    expect(draft.drafts['discovery-bant PL-0001']?.answers).toEqual({ pain: ['no_pipeline_visibility'], pain_impact: 'Reporting eats two days a month' });
  });

  it('keeps the answers of a call cut off with Ctrl-C, leaves the CSV alone, and resumes at question 3', { timeout: 60_000 }, async () => {
    const csv = leadsCopy();
    const before = readFileSync(csv);

    // First run: two answers, then Ctrl-C at question 3.
    let t = discover(csv);
    await t.answer('What gets in the way of hitting your revenue number today?', null, 'Space', 'Enter');
    await t.answer('What does that cost you?', 'Surprises at quarter end');
    await t.waitFor('? Is there budget set aside for solving this, this year?');
    t.keys('C-c');
    expect(await t.exitCode()).toBe(130);
    expect(t.screen()).toContain(`The answers so far are kept in ${csv}.draft.json; run the same command again to resume.`);
    expect(readFileSync(csv)).toEqual(before);
    const draft = JSON.parse(readFileSync(`${csv}.draft.json`, 'utf8')) as { drafts: Record<string, { answers: Record<string, unknown> }> };
    expect(draft.drafts['discovery-bant PL-0001']?.answers).toEqual({ pain: ['forecast_misses'], pain_impact: 'Surprises at quarter end' });

    // Second run: offered to resume; the next question is question 3, not question 1.
    t = discover(csv);
    await t.answer('The call with PL-0001 was interrupted moments ago at question 3 of', null, 'Enter'); // Resume
    const resumed = await t.waitFor('? Is there budget set aside for solving this, this year?');
    expect(resumed).not.toContain('What gets in the way of hitting your revenue number today?');
    expect(resumed).not.toContain('What does that cost you?');
    t.type('y');
    t.keys('Enter');
    await t.answer('Roughly how much per year? (EUR)', '25000');
    await t.answer('Besides you, who is involved in deciding', null, 'Enter'); // they sign off themselves
    await t.answer('By when do you need a solution in place?', 'in 2 months');
    await t.answer('Are you looking at other solutions as well?', null, 'Enter');
    await t.answer('Do they agree that something must change', 'n');
    await t.answer('Notes from the call', null, 'Enter');
    const summary = await t.waitFor('? Save this outcome?');
    expect(summary).toContain('Discovery call (BANT): qualified, stage SQL');
    expect(summary).toMatch(/Impact +Surprises at quarter end/);
    t.keys('Enter');
    expect(await t.exitCode()).toBe(0);

    const after = readFileSync(csv);
    expectOnlyLeadChanged(before, after, 'PL-0001');
    expect(rowOf(after, 'PL-0001')).toMatchObject({
      stage: 'SQL',
      bant_pain: 'forecast_misses',
      bant_pain_impact: 'Surprises at quarter end',
      bant_budget_set: 'yes',
      bant_budget: '25000',
      bant_authority: 'decision_maker',
      bant_decision_maker: '',
      bant_timeline: '2027-01-02',
      bant_agrees_to_explore: 'no',
      opp_amount: '',
      bant_outcome: 'qualified',
    });
    expect(existsSync(`${csv}.draft.json`)).toBe(false);
  });

  it('says when and where the call was interrupted, recaps the answers, and keeps the draft on Ctrl-C or Cancel at the resume prompt', { timeout: 60_000 }, async () => {
    const csv = leadsCopy();
    const before = readFileSync(csv);
    let t = discover(csv);
    await t.answer('What gets in the way of hitting your revenue number today?', null, 'Space', 'Enter');
    await t.answer('What does that cost you?', 'Surprises at quarter end');
    await t.waitFor('? Is there budget set aside for solving this, this year?');
    t.keys('C-c');
    expect(await t.exitCode()).toBe(130);
    // Twenty minutes pass before the next run (the CLI's clock is pinned by QUALIFY_NOW).
    const path = `${csv}.draft.json`;
    const data = JSON.parse(readFileSync(path, 'utf8')) as { drafts: Record<string, { saved_at: string }> };
    data.drafts['discovery-bant PL-0001']!.saved_at = '2026-11-02T09:40:00Z';
    writeFileSync(path, JSON.stringify(data, null, 2) + '\n');
    const kept = readFileSync(path, 'utf8');

    // The prompt: how long ago, at which question, and the answers so far; Ctrl-C there keeps them.
    t = discover(csv);
    const prompt = await t.waitFor('? The call with PL-0001 was interrupted 20 minutes ago at question 3 of 17. Resume it?');
    expect(prompt).toMatch(/Answers so far \(2\)\n\s*Need \(pain\): Forecasts miss by a wide margin\n\s*Impact: Surprises at quarter end/);
    expect(prompt).not.toContain('2026-11-02T09:40:00');
    expect(prompt).toContain('Resume the call from there');
    expect(prompt).toContain('Start over (discard these answers)');
    expect(prompt).toContain('Cancel (keep the answers for later)');
    t.keys('C-c');
    expect(await t.exitCode()).toBe(130);
    expect(t.screen()).toContain(`The answers so far stay in ${path}; run the same command again to resume.`);
    expect(readFileSync(path, 'utf8')).toBe(kept);

    // Cancel: nothing written, the draft kept, exit 0.
    t = discover(csv);
    await t.answer('The call with PL-0001 was interrupted 20 minutes ago', null, 'Down', 'Down', 'Enter');
    expect(await t.exitCode()).toBe(0);
    expect(t.screen()).toContain(`Nothing was written to ${csv}; the answers so far stay in ${path} for the next run.`);
    expect(readFileSync(path, 'utf8')).toBe(kept);
    expect(readFileSync(csv)).toEqual(before);
  });
});

if (!haveTmux) it.skip('qualify discover in a terminal: skipped, tmux is not on PATH (it provides the terminal)', () => {});
