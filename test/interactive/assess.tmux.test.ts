// `qualify assess` in a real terminal (tmux): no --lead, so the salesperson picks from the best
// next leads, then the whole needs assessment to a SAL with a follow-up appointment, written into
// that lead's row. Needs the built CLI (npm test builds).
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tmuxAvailable } from './tmux.js';
import { expectOnlyLeadChanged, qualifyCommand, ROOT, rowOf, scoredLeads, terminalFixture } from './setup.js';

const haveTmux = tmuxAvailable();

describe.skipIf(!haveTmux)('qualify assess in a terminal (tmux)', () => {
  const term = terminalFixture(scoredLeads);

  it('picks the best next lead and takes the needs assessment to a SAL with an appointment', { timeout: 60_000 }, async () => {
    const csv = join(term.base.dir, 'assess.csv');
    copyFileSync(term.base.csv, csv);
    const before = readFileSync(csv);
    const t = (term.open(qualifyCommand('assess', csv, '--rep', 'Kim'), { cwd: ROOT, width: 120, height: 40 }));

    // The picker: highest score first, stage and score shown.
    const picker = await t.waitFor('? Which lead? (best for a needs assessment first)');
    const first = /❯ (\S+) [^,]+, (.+?) \((lead|sales lead|MQL), score (\d+)\)/.exec(picker);
    expect(first, picker).not.toBeNull();
    t.keys('Enter');

    const opening = await t.answer('How did you first hear about Pipewise?', null, 'Enter'); // referral
    expect(opening).toContain(`Hi ${first![1]}, this is Kim from Pipewise.`);
    expect(opening).toContain(`I'd like to understand what ${first![2]} is working on`);
    await t.answer("What are your team's top revenue priorities this year?", null, 'Space', 'Enter'); // forecast accuracy
    await t.answer('What is making that a priority right now?', 'The board wants a number it can trust');
    await t.answer('Which part of Pipewise Revenue Analytics caught your eye?', null, 'Enter'); // forecasting
    await t.answer('How do you see a tool like ours solving that for your team?', 'A forecast that updates itself');
    await t.answer('Which CRM does your team work in?', null, 'Enter'); // salesforce
    await t.answer('When would you want a solution in place?', null, 'Enter'); // this quarter
    const next = await t.answer('Can we put the discovery call in the calendar now?', 'y');
    expect(next).toContain('The next step is a 30-minute discovery call');
    await t.answer('Which day suits you?', 'in 3 days');
    const window = await t.answer('And what time of day?', null, 'Down', 'Enter');
    expect(window).toContain('✔ Which day suits you? in 3 days → 2026-11-05');
    await t.answer('Notes from the call', 'Prefers video calls');

    const summary = await t.waitFor('? Save this outcome?');
    expect(summary).toMatch(/Needs assessment.*: qualified, stage SAL/);
    t.keys('Enter');
    expect(await t.exitCode()).toBe(0);
    const done = /^(\S+): SAL \(qualified, \d+ points\)\. Wrote \d+ columns \(\d+ new\) to /m.exec(t.screen());
    expect(done, t.screen()).not.toBeNull();

    const after = readFileSync(csv);
    expectOnlyLeadChanged(before, after, done![1]!);
    expect(rowOf(after, done![1]!)).toMatchObject({
      stage: 'SAL',
      na_source: 'referral',
      na_need: 'forecast_accuracy',
      na_need_detail: 'The board wants a number it can trust',
      na_product_interest: 'forecasting',
      na_solution: 'A forecast that updates itself',
      na_crm: 'salesforce',
      na_timeline: 'this_quarter',
      na_follow_up_agreed: 'yes',
      na_follow_up_date: '2026-11-05',
      na_follow_up_window: '11:00-13:00',
      na_notes: 'Prefers video calls',
      na_outcome: 'qualified',
      qualified_at: '2026-11-02T10:00:00Z',
    });
  });
});

if (!haveTmux) it.skip('qualify assess in a terminal: skipped, tmux is not on PATH (it provides the terminal)', () => {});
