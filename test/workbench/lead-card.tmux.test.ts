// The lead card in a real terminal (tmux), before the discovery call of a sales-accepted lead:
// at 120 and 80 columns a box with what the salesperson needs (contact, score and top reasons,
// stage and since when, the file's notes, the needs assessment's answers); at 50 columns the
// same without a box. Ctrl-C before the first answer leaves the file untouched. Needs the built CLI.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tmuxAvailable } from '../interactive/tmux.js';
import { qualifyCommand, ROOT, salLeads, terminalFixture } from '../interactive/setup.js';

const haveTmux = tmuxAvailable();

describe.skipIf(!haveTmux)('the lead card before a call (tmux)', () => {
  const term = terminalFixture(salLeads);

  it.each([120, 80])('at %i columns: a box with contact, score, stage, notes and the assessment', { timeout: 60_000 }, async (width) => {
    const before = readFileSync(term.base.csv);
    const t = (term.open(qualifyCommand('discover', term.base.csv, '--lead', 'PL-0001', '--rep', 'Kim'), { cwd: ROOT, width, height: 50 }));
    const screen = await t.waitFor('? ');
    const box = screen.split('\n').filter((l) => /^[┌│└]/.test(l));
    expect(box[0]).toMatch(/^┌─ José O'Brien · PL-0001 ─+┐$/);
    for (const l of box) expect([...l].length, l).toBe(Math.min(width, 100));
    const card = box.join('\n');
    expect(card).toContain('│ company       Contoso Ltd');
    expect(card).toContain('│ title         vp marketing');
    expect(card).toContain('│ email         jobrien@contoso.com');
    expect(card).toContain('│ phone         +1 415 555 2671');
    expect(card).toMatch(/│ score {9}\d+ \(\w+\): title:exec \+20/);
    // salLeads saved the needs assessment at the pinned clock (QUALIFY_NOW): SAL since then.
    expect(card).toContain('│ stage         SAL, for just now (since 2026-11-02)');
    expect(card).toContain('│ notes         Uses a competitor, contract ends in March');
    expect(card).toMatch(/│ assessment {4}source: webinar; need: forecast_accuracy/);
    // The card comes before the call's first words.
    expect(screen.indexOf('┌─')).toBeLessThan(screen.indexOf('Hi José'));
    t.keys('C-c');
    expect(await t.exitCode()).toBe(130);
    expect(readFileSync(term.base.csv).equals(before)).toBe(true);
  });

  it('at 50 columns: no box, each label on its own line, nothing cut', { timeout: 60_000 }, async () => {
    const t = (term.open(qualifyCommand('discover', term.base.csv, '--lead', 'PL-0001', '--rep', 'Kim'), { cwd: ROOT, width: 50, height: 60 }));
    const screen = await t.waitFor('? ');
    expect(screen).not.toContain('┌');
    expect(screen).toContain("José O'Brien · PL-0001\n");
    expect(screen).toContain('\nphone:\n  +1 415 555 2671\n');
    expect(screen).toContain('\nnotes:\n  Uses a competitor, contract ends in March\n');
    t.keys('C-c');
    expect(await t.exitCode()).toBe(130);
  });
});
