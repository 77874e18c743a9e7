// Keeps the README true to the code: every operator of the registry is documented in the
// operator table, and every option of `qualify score` appears in its options table.
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { operators } from '../src/core/conditions/registry.js';
import { register } from '../src/commands/score.js';
import { loadQuestionnaire } from '../src/core/questionnaire/load.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadRules } from '../src/io/rules-file.js';
import { scoreFile } from '../src/pipeline/score-file.js';
import { summaryTable } from '../src/ui/summary.js';
import { parseDate } from '../src/core/values.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it.each([...operators.keys()])('documents the operator %s', (name) => {
    expect(readme).toMatch(new RegExp('^\\| `' + name + '`|^\\| [^|]*`' + name + '`', 'm'));
  });

  it('documents every option of qualify score', () => {
    const program = new Command();
    register(program, async () => {});
    const score = program.commands.find((c) => c.name() === 'score')!;
    const longs = score.options.map((o) => o.long!).filter(Boolean);
    expect(longs.length).toBeGreaterThan(5);
    for (const long of longs) expect(readme, long).toMatch(new RegExp('`[^`\n]*' + long + '(?![a-z-])'));
  });

  it('has the two-command quick start', () => {
    expect(readme).toContain('npm ci\nnpx qualify score fixtures/purchased-list.csv --output scored.csv');
  });

  it('shows a questionnaire example that is valid and uses all six question kinds', () => {
    const start = readme.indexOf('id: discovery-bant\ntitle');
    const yaml = readme.slice(start, readme.indexOf('```', start));
    const { questionnaire, errors } = loadQuestionnaire('README.md', yaml);
    expect(errors.map((e) => e.message)).toEqual([]);
    expect(questionnaire).toBeDefined();
    for (const kind of ['select', 'multi-select', 'text', 'number', 'yes-no', 'date']) expect(yaml).toContain(`type: ${kind}\n`);
  });

  it('shows the summary the quick start prints (with --as-of 2026-11-01)', async () => {
    const { rules } = loadRules(undefined);
    const out = join(mkdtempSync(join(tmpdir(), 'qualify-readme-')), 'scored.csv');
    process.chdir(fileURLToPath(new URL('..', import.meta.url)));
    const stats = await scoreFile({ input: 'fixtures/purchased-list.csv', rules, asOfDay: parseDate('2026-11-01', 'ymd')!, format: 'csv', output: out, inPlace: false, sanitize: true });
    const tierOrder = [...rules.thresholds].sort((a, b) => b.min - a.min).map((t) => t.tier);
    const shown = summaryTable(stats, tierOrder).split(out).join('scored.csv');
    const start = readme.indexOf('Scored 200 leads from fixtures/purchased-list.csv');
    expect(readme.slice(start, readme.indexOf('```', start)).trimEnd()).toBe(shown);
  });
});
