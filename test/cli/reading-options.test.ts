// Every command that reads a lead file reads it the same way: one declaration of the reading
// options (--rules, --as-of, --encoding, --delimiter, --date-format, --decimal), one merge into the
// rules, so `explain` gives exactly the row `score` gives. And one meaning per short flag.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, type Option } from 'commander';
import { describe, expect, it } from 'vitest';
import { runInProcess } from '../helpers/in-process-cli.js';
import { register as registerScore } from '../../src/commands/score.js';
import { register as registerExplain } from '../../src/commands/explain.js';
import { register as registerRules } from '../../src/commands/rules.js';
import { register as registerAssess } from '../../src/commands/assess.js';
import { register as registerDiscover } from '../../src/commands/discover.js';
import { otherDecimalFits } from '../../src/core/scoring/decimal-hint.js';
import { addReadingOptions, readingOptions, type ReadingCliOptions } from '../../src/commands/shared.js';
import { loadReadingRules } from '../../src/pipeline/reading-options.js';
import { scoreFile } from '../../src/pipeline/score-file.js';
import { findLead } from '../../src/pipeline/find-lead.js';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';

const root = fileURLToPath(new URL('../..', import.meta.url));

function program(): Command {
  const p = new Command();
  for (const register of [registerScore, registerExplain, registerRules, registerAssess, registerDiscover]) register(p, async () => {});
  return p;
}

function allCommands(c: Command): Command[] {
  return [c, ...c.commands.flatMap(allCommands)];
}

const READING = ['--rules', '--as-of', '--encoding', '--delimiter', '--date-format', '--decimal'];

describe('options', () => {
  it('a short flag means the same option in every command (-q is --quiet)', () => {
    const meaning = new Map<string, Set<string>>();
    for (const cmd of allCommands(program()))
      for (const o of cmd.options) if (o.short) meaning.set(o.short, (meaning.get(o.short) ?? new Set()).add(o.long ?? ''));
    const clashes = [...meaning].filter(([, longs]) => longs.size > 1).map(([short, longs]) => `${short}: ${[...longs].join(', ')}`);
    expect(clashes).toEqual([]);
    expect([...(meaning.get('-q') ?? [])]).toEqual(['--quiet']);
  });

  it.each(['score', 'explain', 'assess', 'discover'])('%s declares the six reading options, with the same flags and words as score', (name) => {
    const cmds = program().commands;
    const pick = (cmd: Command) => READING.map((long) => cmd.options.find((o: Option) => o.long === long)).map((o) => (o ? `${o.flags} :: ${o.description}` : undefined));
    const score = pick(cmds.find((c) => c.name() === 'score')!);
    expect(score.every((x) => x !== undefined)).toBe(true);
    expect(pick(cmds.find((c) => c.name() === name)!)).toEqual(score);
  });

  it('every command that reads a lead file declares the reading options once, as score does (diff: not --rules, its rules are arguments)', async () => {
    const p = new Command();
    // Every command the CLI registers (src/cli.ts), so that a new one is held to this too.
    const cli = readFileSync(join(root, 'src', 'cli.ts'), 'utf8');
    const modules = [...cli.matchAll(/import\('\.\/commands\/([\w-]+)\.js'\)\)\.register\(program/g)].map((m) => m[1]!);
    expect(modules.length).toBeGreaterThanOrEqual(15);
    for (const m of modules) ((await import(/* @vite-ignore */ new URL(`../../src/commands/${m}.ts`, import.meta.url).href)) as { register: (p: Command, a: unknown) => void }).register(p, async () => {});
    const words = (cmd: Command, long: string) => {
      const o = cmd.options.find((x: Option) => x.long === long);
      return o ? `${o.flags} :: ${o.description}` : undefined;
    };
    const score = p.commands.find((c) => c.name() === 'score')!;
    const all = [...READING, '--max-record-size'];
    // A command reads lead files when it declares any of these but --as-of (rules check's date
    // for its examples) and --rules; init reads only the header of --from (its own words say so).
    const readers = allCommands(p).filter((c) => c !== p && c.name() !== 'init' && all.slice(2).some((long) => words(c, long) !== undefined));
    expect(readers.map((c) => c.name()).sort()).toEqual(
      expect.arrayContaining(['assess', 'calibrate', 'diff', 'discover', 'explain', 'export', 'followups', 'log', 'report', 'score', 'split', 'sql', 'work']),
    );
    for (const cmd of readers) {
      const want = all.filter((long) => !(cmd.name() === 'diff' && long === '--rules'));
      expect(want.map((long) => words(cmd, long)), cmd.name()).toEqual(want.map((long) => words(score, long)));
    }
    expect(words(p.commands.find((c) => c.name() === 'diff')!, '--rules')).toBeUndefined();
  });
});

/** The built CLI (dist/), run in this process (test/helpers/in-process-cli.ts): one node
 * start-up per explain of every lead would be most of this file's time. */
async function qualify(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const r = await runInProcess(args, { ...process.env, NO_COLOR: '1' }, root);
  return { status: r.status, stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8') };
}

// Each fixture with the reading options it is scored with; explain must agree on every lead.
const RUNS: [string, string[]][] = [
  ['fixtures/european/leads-semicolon.csv', ['--date-format', 'dmy', '--decimal', ',']],
  ['fixtures/european/leads-semicolon.csv', ['--decimal', ',']],
  ['fixtures/european/leads-semicolon.csv', []],
  ['fixtures/purchased-list.csv', []],
  ['fixtures/purchased-list.csv', ['--date-format', 'dmy', '--decimal', ',']],
  ['fixtures/webinar-export.csv', []],
  ['fixtures/webinar-export.csv', ['--date-format', 'dmy']],
];

const pick = (o: Record<string, unknown>) => ({ score: o['score'], fit: o['fit'], engagement: o['engagement'], tier: o['tier'], stage: o['stage'], grade: o['grade'] ?? '' });

/** Commander's parse of the reading options, as the commands get them. */
function parsed(opts: string[]): ReadingCliOptions {
  const cmd = addReadingOptions(new Command()).exitOverride();
  cmd.parse(['--as-of', '2026-11-01', ...opts], { from: 'user' });
  return cmd.opts();
}

describe('explain gives the row score gives', () => {
  it.each(RUNS)('every lead of %s %j (the pipeline both commands call)', async (file, opts) => {
    const reading = readingOptions(parsed(opts));
    const { rules } = loadReadingRules(reading.rules, reading.overrides);
    const out = join(mkdtempSync(join(tmpdir(), 'qualify-explain-')), 'scored.ndjson');
    await scoreFile({ input: join(root, file), rules, asOfDay: reading.asOfDay, format: 'ndjson', output: out, inPlace: false, sanitize: true, ...reading.csv });
    const rows = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows.length).toBeGreaterThan(1);
    for (let i = 0; i < rows.length; i++) {
      const { result } = await findLead(join(root, file), `#${i + 1}`, rules, reading.asOfDay, reading.csv);
      expect(pick({ ...result }), `record ${i + 1}`).toEqual(pick(rows[i]!));
    }
  });

  it.each(RUNS.filter(([file]) => file.includes('european')))('the built CLI, %s %j: explain --format json = the score row, for each lead', async (file, opts) => {
    const args = [file, '--as-of', '2026-11-01', ...opts];
    const scored = await qualify(['score', ...args, '--format', 'ndjson', '--quiet']);
    expect(scored.status).toBe(0);
    const rows = scored.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    for (const [i, row] of rows.entries()) {
      const ex = await qualify(['explain', ...args, '--lead', `#${i + 1}`, '--format', 'json']);
      expect(ex.status, ex.stderr).toBe(0);
      expect(pick(JSON.parse(ex.stdout) as Record<string, unknown>), `record ${i + 1}`).toEqual(pick(row));
    }
  });

  it('anna in the European file: 40 points from explain with --decimal , --date-format dmy', async () => {
    const args = ['fixtures/european/leads-semicolon.csv', '--as-of', '2026-11-01', '--decimal', ',', '--date-format', 'dmy'];
    const ex = JSON.parse((await qualify(['explain', ...args, '--lead', 'anna@beispiel.de', '--format', 'json'])).stdout) as { score: number };
    expect(ex.score).toBe(40);
  });
});

describe('the decimal-mark note', () => {
  it('score and explain say when a number column fits "," better, and not once --decimal is given', async () => {
    const file = 'fixtures/european/leads-semicolon.csv';
    const note = 'fixtures/european/leads-semicolon.csv: column "No. of Employees" looks written with "," as the decimal mark: 1.200 reads as 1.2 with ".", and as 1200 with "," (give --decimal , if so)';
    expect((await qualify(['score', file, '--as-of', '2026-11-01'])).stderr).toContain(`note: ${note}\n`);
    expect((await qualify(['explain', file, '--lead', '#1', '--as-of', '2026-11-01'])).stderr).toContain(`note: ${note}\n`);
    expect((await qualify(['score', file, '--as-of', '2026-11-01', '--decimal', ','])).stderr).not.toContain('decimal mark');
    expect((await qualify(['score', 'fixtures/purchased-list.csv', '--as-of', '2026-11-01'])).stderr).not.toContain('decimal mark');
  });

  it.each([
    [['1.200', '80'], '.', '1.200'],
    [['12.500.000,00'], '.', '12.500.000,00'],
    [['1,5', '2'], '.', '1,5'],
    [['1,200', '3'], ',', '1,200'],
    [['1.200', '1,200.50'], '.', null],
    [['1.200', '3.5'], '.', null],
    [['1.200', '1,200'], '.', null],
    [['42', '3.5', ''], '.', null],
    [['1.200,50'], ',', null],
  ] as const)('%j with decimal %s: hint %s', (values, decimal, example) => {
    expect(otherDecimalFits(values, decimal)?.example ?? null).toBe(example);
  });
});
