// `qualify work` in a real terminal (tmux): work three leads from the queue (the rep's name asked
// once), quit with q, come back: the queue has moved on (SALs waiting for discovery first), an
// interrupted call is marked unfinished. A one-question needs assessment named in qualify.yaml
// keeps the calls short. Needs the built CLI (npm test builds).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { TmuxSession, tmuxAvailable } from '../interactive/tmux.js';
import { qualifyCommand, rowOf, scoredLeads, terminalFixture } from '../interactive/setup.js';

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
qualification:
  rules:
    - if: { need: true }
      reason: Has a need we serve
      otherwise: No need we serve
`;

describe.skipIf(!haveTmux)('qualify work in a terminal (tmux)', () => {
  const term = terminalFixture(scoredLeads);
  beforeAll(() => {
    writeFileSync(join(term.base.dir, 'quick.yaml'), QUICK);
    writeFileSync(join(term.base.dir, 'qualify.yaml'), 'questionnaires:\n  assess: quick.yaml\n');
  });

  const work = (): TmuxSession => (term.open(qualifyCommand('work', term.base.csv, '--as-of', '2026-11-02'), { cwd: term.base.dir, width: 120, height: 40 }));

  /** Answers the quick assessment and saves it. */
  async function quickCall(t: TmuxSession, need: 'y' | 'n'): Promise<void> {
    await t.answer('Do they have a need we serve?', need);
    await t.waitFor('? Save this outcome?');
    t.keys('Enter');
  }

  it('works three leads, quits with q, comes back to a queue that moved on', { timeout: 120_000 }, async () => {
    let t = work();
    const first = await t.waitFor('? Next lead? 141 in the queue (type q to quit)');
    expect(first).toMatch(/❯ assess {3}Sam Costa, Blue Yonder Airlines \(MQL, score 80\) · PL-0008/);
    t.keys('Enter');
    await t.answer('Your name, as the script introduces you', 'Kim');
    const card = await t.waitFor('? Do they have a need we serve?');
    expect(card).toMatch(/┌─ Sam Costa · PL-0008 ─+┐/);
    await quickCall(t, 'y');

    // PL-0008 is now a SAL waiting for discovery: first; the next lead is PL-0069.
    const second = await t.waitFor(/PL-0008: SAL[\s\S]*\? Next lead\? 141 in the queue/);
    expect(second).toMatch(/❯ discover Sam Costa, Blue Yonder Airlines \(SAL, score 80\) · PL-0008\n {2}assess {3}Hana Silva, Tailspin Toys \(MQL, score 80\) · PL-0069/);
    t.keys('Down', 'Enter');
    await quickCall(t, 'n');
    await t.waitFor(/PL-0069: disqualified[\s\S]*\? Next lead\? 140 in the queue/);
    t.keys('Down', 'Enter');
    await quickCall(t, 'y');
    await t.waitFor(/PL-0020: SAL[\s\S]*\? Next lead\? 140 in the queue/);
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
    const back = await t.waitFor('? Next lead? 140 in the queue');
    expect(back).toMatch(/❯ discover Sam Costa[^\n]*PL-0008\n {2}discover Grace Costa[^\n]*PL-0020\n {2}assess {3}Diego Kowalski[^\n]*PL-0116/);
    t.keys('Down', 'Down', 'Enter');
    await t.waitFor('? Do they have a need we serve?');
    t.type('y');
    t.keys('Enter');
    await t.waitFor('? Save this outcome?');
    t.keys('C-c');
    expect(await t.exitCode()).toBe(130);
    expect(t.screen()).not.toContain('Your name, as the script introduces you');
    expect(existsSync(`${term.base.csv}.draft.json`)).toBe(true);
    t.kill();

    t = work();
    const marked = await t.waitFor('? Next lead?');
    expect(marked).toMatch(/Diego Kowalski[^\n]*PL-0116 \[unfinished call\]/);
    t.type('q');
    t.keys('Enter');
    expect(await t.exitCode()).toBe(0);
  });
});
