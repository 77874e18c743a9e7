// `qualify work` in a real terminal (tmux): work three leads from the queue (the rep's name asked
// once), quit with q, come back: the queue has moved on (SALs waiting for discovery first), an
// interrupted call is marked unfinished. Then the rest of the workbench on a fresh copy: search the
// queue by typing, log a follow-up attempt from it, go back a question with Esc, see the card
// again with Ctrl-O. A two-question needs assessment named in qualify.yaml keeps the calls short.
// Needs the built CLI (npm test builds).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { copyFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { TmuxSession, tmuxAvailable } from '../interactive/tmux.js';
import { qualifyCommand, qualifyCommandIn, rowOf, scoredLeads, terminalFixture } from '../interactive/setup.js';

const haveTmux = tmuxAvailable();

const QUICK = `id: quick-assessment
title: Quick needs assessment
kind: needs-assessment
prefix: na
steps:
  - say: Quick check.
  - id: need
    ask: Do they have a need we serve?
    type: yes-no
  - id: start
    ask: When could they start?
    type: text
    required: false
qualification:
  rules:
    - if: { need: true }
      reason: Has a need we serve
      otherwise: No need we serve
`;

describe.skipIf(!haveTmux)('qualify work in a terminal (tmux)', () => {
  const term = terminalFixture(scoredLeads);
  /** The scored leads as made, before the first test works them. */
  let pristine = '';
  beforeAll(() => {
    writeFileSync(join(term.base.dir, 'quick.yaml'), QUICK);
    writeFileSync(join(term.base.dir, 'qualify.yaml'), 'questionnaires:\n  assess: quick.yaml\n');
    pristine = join(term.base.dir, 'pristine.csv');
    copyFileSync(term.base.csv, pristine);
  });

  const work = (): TmuxSession => (term.open(qualifyCommand('work', term.base.csv, '--as-of', '2026-11-02'), { cwd: term.base.dir, width: 120, height: 40 }));

  /** Runs the call on the lead just picked (the first action), answers it and saves it. */
  async function quickCall(t: TmuxSession, need: 'y' | 'n'): Promise<void> {
    await t.answer('PL-', null); // "PL-0008: what now?": the call, the default
    await t.answer('Do they have a need we serve?', need);
    await t.answer('When could they start?', null);
    await t.waitFor('? Save this outcome?');
    t.keys('Enter');
  }

  it('works three leads, quits with q, comes back to a queue that moved on', { timeout: 120_000 }, async () => {
    let t = work();
    const first = await t.waitFor(/\? Next lead\? 141 in the queue \(type to search, q to quit\)\n❯ assess/);
    expect(first).toMatch(/❯ assess {3}Sam Costa, Blue Yonder Airlines \(MQL, score 80\) · PL-0008/);
    t.keys('Enter');
    // The card, then what to do with the lead.
    const card = await t.waitFor('? PL-0008: what now?');
    expect(card).toMatch(/┌─ Sam Costa · PL-0008 ─+┐/);
    t.keys('Enter');
    await t.answer('Your name, as the script introduces you', 'Kim');
    await t.answer('Do they have a need we serve?', 'y');
    await t.answer('When could they start?', null);
    await t.waitFor('? Save this outcome?');
    t.keys('Enter');

    // PL-0008 is now a SAL waiting for discovery: first; the next lead is PL-0069.
    const second = await t.waitFor(/PL-0008: SAL[\s\S]*\? Next lead\? 141 in the queue.*\n❯/);
    expect(second).toMatch(/❯ discover Sam Costa, Blue Yonder Airlines \(SAL, score 80\) · PL-0008\n {2}assess {3}Hana Silva, Tailspin Toys \(MQL, score 80\) · PL-0069/);
    t.keys('Down', 'Enter');
    await quickCall(t, 'n');
    await t.waitFor(/PL-0069: disqualified[\s\S]*\? Next lead\? 140 in the queue.*\n❯/);
    t.keys('Down', 'Enter');
    await quickCall(t, 'y');
    await t.waitFor(/PL-0020: SAL[\s\S]*\? Next lead\? 140 in the queue.*\n❯/);
    t.type('q');
    t.keys('Enter');
    expect(await t.exitCode()).toBe(0);
    const screen = t.screen();
    expect(screen).toContain('Done: 3 leads worked this session; every saved outcome is in');
    expect(screen.split('Your name, as the script introduces you').length - 1).toBe(1);
    const csv = readFileSync(term.base.csv);
    expect(rowOf(csv, 'PL-0008')['stage']).toBe('SAL');
    expect(rowOf(csv, 'PL-0069')['stage']).toBe('disqualified');
    expect(rowOf(csv, 'PL-0020')['stage']).toBe('SAL');
    t.kill();

    // Come back: SALs first, no name asked; Ctrl-C in a call keeps a draft.
    t = work();
    const back = await t.waitFor(/\? Next lead\? 140 in the queue.*\n❯/);
    expect(back).toMatch(/❯ discover Sam Costa[^\n]*PL-0008\n {2}discover Grace Costa[^\n]*PL-0020\n {2}assess {3}Diego Kowalski[^\n]*PL-0116/);
    t.keys('Down', 'Down', 'Enter');
    await t.answer('PL-0116: what now?', null);
    await t.answer('Do they have a need we serve?', 'y');
    await t.answer('When could they start?', null);
    await t.waitFor('? Save this outcome?');
    t.keys('C-c');
    expect(await t.exitCode()).toBe(130);
    expect(t.screen()).not.toContain('Your name, as the script introduces you');
    expect(existsSync(`${term.base.csv}.draft.json`)).toBe(true);
    t.kill();

    t = work();
    const marked = await t.waitFor(/\? Next lead\?.*, 1 unfinished .*\n❯/);
    expect(marked).toMatch(/Diego Kowalski[^\n]*PL-0116 \[unfinished call\]/);
    t.type('q');
    t.keys('Enter');
    expect(await t.exitCode()).toBe(0);
  });

  it('searches as you type, logs an attempt from the queue, goes back a question (Esc), shows the card again (Ctrl-O)', { timeout: 120_000 }, async () => {
    const csv = join(term.base.dir, 'leads-search.csv');
    copyFileSync(pristine, csv);
    // A config home of its own: the rep's name is asked here, and left blank.
    const configHome = mkdtempSync(join(tmpdir(), 'qualify-config-'));
    const t = term.open(qualifyCommandIn(configHome, 'work', csv, '--as-of', '2026-11-02'), { cwd: term.base.dir, width: 110, height: 45 });
    await t.waitFor(/\? Next lead\? 141 in the queue.*\n❯ assess/);
    t.type('kowalski north');
    await t.waitFor(/kowalski north\n❯ assess {3}Diego Kowalski, Northwind Analytics \(lead, score 79\) · PL-0116\n/);
    // Only the lead typed for is left on screen.
    expect(t.visible()).not.toContain('PL-0008');
    t.keys('Enter');

    // Log a follow-up attempt: call, voicemail, a note.
    await t.waitFor(/┌─ Diego Kowalski · PL-0116 ─+┐[\s\S]*\? PL-0116: what now\?/);
    t.keys('Down', 'Enter');
    await t.answer('How did you try to reach them?', null);
    await t.answer('How did it go?', null, 'Down', 'Enter');
    await t.answer('A note for the file (optional)', 'call back Tuesday');
    const logged = await t.waitFor(/PL-0116: attempt 1 \(call, voicemail\) logged\.[\s\S]*\? Next lead\?.*\n❯/);
    expect(logged).toMatch(/Diego Kowalski[^\n]*PL-0116 \[1 attempt\]/);
    expect(rowOf(readFileSync(csv), 'PL-0116')).toMatchObject({ fu_attempts: '1', fu_last_channel: 'call', fu_last_result: 'voicemail' });
    expect(rowOf(readFileSync(csv), 'PL-0116')['fu_notes']).toContain('call back Tuesday');

    // Then the call, with a step back and the card again.
    t.type('PL-0116');
    await t.waitFor(/PL-0116\n❯ assess {3}Diego Kowalski[^\n]*\[1 attempt\]\n/);
    t.keys('Enter');
    await t.answer('PL-0116: what now?', null);
    await t.answer('Your name, as the script introduces you', null);
    const keys = await t.answer('Do they have a need we serve?', 'y');
    expect(keys).toContain('Keys: Esc goes back to the previous question · Ctrl-O shows the lead card again');
    await t.waitFor('? When could they start?');
    t.keys('Escape');
    // Back at the first question, the earlier answer (yes) offered.
    await t.waitFor(/↩ back to the previous question\n[\s\S]*\? Do they have a need we serve\? \(Y\/n\)/);
    t.keys('C-o');
    const again = await t.waitFor(/↩ back to the previous question\n[\s\S]*┌─ Diego Kowalski · PL-0116 ─+┐[\s\S]*\? Do they have a need we serve\?/);
    expect(again.slice(again.lastIndexOf('┌─'))).toMatch(/│ follow-ups +fu_attempts: 1/);
    t.type('n');
    t.keys('Enter');
    await t.answer('When could they start?', null);
    // The summary says how to change an answer.
    const summary = await t.waitFor('? Save this outcome?');
    expect(summary).toContain('Something wrong above? Choose "Change an answer" to correct any answer');
    t.keys('Enter');
    await t.waitFor(/PL-0116: disqualified[\s\S]*\? Next lead\? 140 in the queue.*\n❯/);
    // The next call of the session does not ask the name again, though it was left blank.
    t.type('PL-0069');
    await t.waitFor(/PL-0069\n❯ assess {3}Hana Silva/);
    t.keys('Enter');
    await t.answer('PL-0069: what now?', null);
    const second = await t.waitFor(/✔ PL-0069: what now\?[\s\S]*\? Do they have a need we serve\?/);
    expect(second.split('Your name, as the script introduces you').length - 1).toBe(1);
    t.keys('C-c');
    expect(await t.exitCode()).toBe(130);
    const row = rowOf(readFileSync(csv), 'PL-0116');
    expect(row).toMatchObject({ stage: 'disqualified', na_need: 'no', fu_attempts: '1' });
    rmSync(configHome, { recursive: true, force: true });
  });
});
