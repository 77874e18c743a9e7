// Script text in a real terminal (issue 11 item 15): reflowed to the terminal's width, breaking
// only between words, at 80 and 120 columns; and the rep's name asked once when neither --rep nor
// QUALIFY_REP gives it, then saved in $XDG_CONFIG_HOME/qualify/config.yaml for the next call.
// Needs the built CLI (npm run build).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tmuxAvailable } from './tmux.js';
import { qualifyCommand, qualifyCommandIn, ROOT, salLeads, terminalFixture } from './setup.js';

const haveTmux = tmuxAvailable();

describe.skipIf(!haveTmux)('discovery script text in a terminal (tmux)', () => {
  const term = terminalFixture(salLeads);

  const leadsCopy = (): string => term.leadsCopy();

  // The words of the opening as the script file has them, for comparing what the screen shows.
  const OPENING = [
    "Hi José, it's Kim from Pipewise. Thanks for making the time.",
    'I was reading up on Contoso Ltd before the call: as vp marketing in Software, you must be',
    'close to the forecast every week. When we first spoke, you said you were looking for',
    'one view of the pipeline that the board trusts.',
  ].join(' ');

  it.each([80, 120])('reflows the opening to %i columns, never inside a word', { timeout: 60_000 }, async (width) => {
    const t = (term.open(qualifyCommand('discover', leadsCopy(), '--lead', 'PL-0001', '--rep', 'Kim'), { cwd: ROOT, width, height: 50 }));
    await t.waitFor('? What gets in the way of hitting your revenue number today?');
    // Lines as the terminal shows them, not joined where the terminal wrapped (capture without -J).
    const lines = t.visible().split('\n');
    const start = lines.findIndex((l) => l.startsWith('Hi José'));
    const end = lines.findIndex((l, i) => i > start && l.trim() === '');
    const opening = lines.slice(start, end);
    expect(start).toBeGreaterThanOrEqual(0);
    // Every line fits (so the terminal never wraps one itself, as in "Purcha / sed List"), none
    // is a lone punctuation mark, and together they are the script's words in order.
    for (const line of opening) {
      expect([...line].length).toBeLessThanOrEqual(Math.min(width, 100));
      expect(line.trim()).toMatch(/\w/);
    }
    expect(opening.join(' ').split(/\s+/)).toEqual(OPENING.split(/\s+/));
    // Filled at the full width: each line but the last could not take the next word.
    for (let i = 0; i < opening.length - 1; i++) {
      const nextWord = opening[i + 1]!.trim().split(' ')[0]!;
      expect([...opening[i]!].length + 1 + [...nextWord].length).toBeGreaterThan(Math.min(width, 100));
    }
  });

  it('asks the rep\'s name once without --rep, and remembers it for the next call', { timeout: 60_000 }, async () => {
    const configHome = mkdtempSync(join(tmpdir(), 'qualify-config-'));
    try {
      const csv = leadsCopy();
      let t = (term.open(qualifyCommandIn(configHome, 'discover', csv, '--lead', 'PL-0001'), { cwd: ROOT, width: 100, height: 50 }));
      const asked = await t.answer('Your name, as the script introduces you', 'Kim Lee');
      expect(asked).toContain(`saved in ${join(configHome, 'qualify', 'config.yaml')}`);
      const opening = await t.waitFor('? What gets in the way of hitting your revenue number today?');
      expect(opening).toContain("Hi José, it's Kim Lee from Pipewise.");
      expect(opening).not.toContain('[your name]');
      expect(readFileSync(join(configHome, 'qualify', 'config.yaml'), 'utf8')).toBe('rep: Kim Lee\n');
      t.keys('C-c');
      await t.exitCode();

      // The next call does not ask again.
      t = term.open(qualifyCommandIn(configHome, 'discover', leadsCopy(), '--lead', 'PL-0001'), { cwd: ROOT, width: 100, height: 50 });
      const second = await t.waitFor('? What gets in the way of hitting your revenue number today?');
      expect(second).toContain("Hi José, it's Kim Lee from Pipewise.");
      expect(second).not.toContain('Your name, as the script introduces you');
    } finally {
      rmSync(configHome, { recursive: true, force: true });
    }
  });
});
