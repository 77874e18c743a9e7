// `explain`'s table wraps its cells to the terminal and never cuts them: the evidence that made a
// lead bad (an email without a top-level domain) and the rule ids stay whole at any width.
// The built CLI runs in this process (runInProcess): the width comes from COLUMNS, as when
// stderr is not a terminal; a real terminal's width is the tmux tests' (test/interactive/).
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runInProcess } from '../helpers/in-process-cli.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The table's text with borders and whitespace removed: what a person can read off it. */
const squeeze = (s: string): string => s.replace(/[\s│┌┐└┘├┤┬┴┼─]/g, '');

describe('explain table', () => {
  it.each([60, 80, 120, 200])('at %i columns: every line fits, nothing cut, the evidence and rule ids whole', async (columns) => {
    const out = await runInProcess(['explain', 'fixtures/purchased-list.csv', '--lead', 'PL-0003', '--as-of', '2026-11-01'], { ...process.env, NO_COLOR: '1', COLUMNS: String(columns) }, root);
    const r = { status: out.status, stderr: out.stderr.toString('utf8') };
    expect(r.status).toBe(0);
    const table = r.stderr.split('\n').filter((l) => /^[│┌└]/.test(l));
    expect(table.length).toBeGreaterThan(3);
    for (const line of table) expect(line.length, line).toBeLessThanOrEqual(columns);
    expect(r.stderr).not.toContain('…');
    // Each column read top to bottom (a wrapped cell continues on the next line of its column).
    const columnsText = [1, 2, 3, 4].map((i) => table.map((l) => l.split('│')[i] ?? '').join(' '));
    const text = columnsText.map(squeeze).join('|');
    expect(text).toContain(squeeze('email="gokafor@wideworldimporters"'));
    expect(text).toContain('title:revenue-function');
    expect(text).toContain(squeeze('Placeholder contact data (test@test.com, asdf, 555-0100)'));
  });
});
