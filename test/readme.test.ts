// Keeps the README true to the code: every operator of the registry is documented in the
// operator table, every option of `qualify score` appears in its options table, and every
// command of its sh blocks runs and prints what the README says it prints.
import { readFileSync, writeFileSync } from 'node:fs';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { operators } from '../src/core/conditions/registry.js';
import { OPERATOR_TABLE_END, OPERATOR_TABLE_START, operatorTable } from '../src/core/conditions/reference.js';
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
import { spawnSync } from 'node:child_process';
import { existsSync, symlinkSync } from 'node:fs';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const root = fileURLToPath(new URL('..', import.meta.url));

describe('README', () => {
  it.each([...operators.keys()])('documents the operator %s', (name) => {
    expect(readme).toMatch(new RegExp('^\\| `' + name + '`|^\\| [^|]*`' + name + '`', 'm'));
  });

  it('has the operator table rendered from the registry (UPDATE_README=1 rewrites it)', () => {
    const start = readme.indexOf(OPERATOR_TABLE_START);
    const end = readme.indexOf(OPERATOR_TABLE_END);
    expect(start, 'the README marks where the operator table goes').toBeGreaterThan(0);
    expect(end).toBeGreaterThan(start);
    const shown = readme.slice(start + OPERATOR_TABLE_START.length, end).trim();
    const table = operatorTable();
    if (process.env['UPDATE_README'] === '1' && shown !== table) {
      writeFileSync(new URL('../README.md', import.meta.url), readme.slice(0, start + OPERATOR_TABLE_START.length) + '\n' + table + '\n' + readme.slice(end));
      return;
    }
    expect(shown).toBe(table);
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
    // An absolute input path (no process.chdir: it would move every other test of this worker).
    const input = join(root, 'fixtures', 'purchased-list.csv');
    const stats = await scoreFile({ input, rules, asOfDay: parseDate('2026-11-01', 'ymd')!, format: 'csv', output: out, inPlace: false, sanitize: true });
    const tierOrder = [...rules.thresholds].sort((a, b) => b.min - a.min).map((t) => t.tier);
    const shown = summaryTable(stats, tierOrder).split(out).join('scored.csv').split(input).join('fixtures/purchased-list.csv');
    const start = readme.indexOf('Scored 200 leads from fixtures/purchased-list.csv');
    expect(readme.slice(start, readme.indexOf('```', start)).trimEnd()).toBe(shown);
  });
});

// Every command line of the README's sh blocks, run as a reader would from a clone: `npx qualify`
// is the package's bin (bin/qualify.js, run with this node), in a scratch directory that sees the
// repository's fixtures/ and rules/, so `--output scored.csv` lands there. Each line needs an entry
// here saying what it prints; a new example without one fails the test.
const commandLines = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)]
  .flatMap((m) => m[1]!.split('\n'))
  .map((l) => l.trim())
  .filter((l) => l !== '' && !l.startsWith('#'));

/** Lines not run here, with the reason. */
const NOT_RUN: Record<string, string> = {
  'npm ci': 'installs the project: this test runs inside the installed checkout',
  'npm test': 'runs every test, this one included',
  'npm run bench -- --quick': 'a benchmark of minutes; bench/ has its own checks',
};

interface Expect {
  stdout?: string;
  stderr?: RegExp;
  files?: Record<string, RegExp>;
}
const EXPECT: Record<string, Expect> = {
  'npx qualify score fixtures/purchased-list.csv --output scored.csv': { stderr: /200 rows read, 200 written to scored\.csv/, files: { 'scored.csv': /^Lead ID,[^\n]*,fit,engagement,score,tier,grade,stage,class,action,reasons\r?\n/ } },
  'npx qualify explain fixtures/purchased-list.csv --lead PL-0003': { stderr: /^Lead PL-0003 \(record 3\), as of \d{4}-\d{2}-\d{2}\n[\s\S]*email="gokafor@wideworldimporters"/ },
  'npx qualify rules check': { stderr: /rules\/default\.yaml: "[^"]+" is valid/ },
  'npx qualify score fixtures/purchased-list.csv --as-of 2026-11-01 --format ndjson | jq -r \'select(.tier == "hot") | ."Lead ID"\'': { stdout: 'PL-0008\nPL-0069\n' },
};

const hasJq = spawnSync('sh', ['-c', 'command -v jq'], { encoding: 'utf8' }).status === 0;

describe('README examples', () => {
  it('has examples to run', () => expect(commandLines.filter((l) => !(l.replace(/\s+#.*$/, '') in NOT_RUN)).length).toBeGreaterThanOrEqual(4));
  it.each(commandLines.map((l) => [l.replace(/\s+#.*$/, '')]))('%s', (command) => {
    if (command in NOT_RUN) return;
    const expected = EXPECT[command];
    expect(expected, `no expectation for the README example: ${command}`).toBeDefined();
    if (/\|\s*jq\b/.test(command) && !hasJq) {
      console.warn(`skipped, jq is not installed: ${command}`);
      return;
    }
    const dir = mkdtempSync(join(tmpdir(), 'qualify-readme-run-'));
    for (const d of ['fixtures', 'rules']) if (!existsSync(join(dir, d))) symlinkSync(join(root, d), join(dir, d));
    const line = command.replace(/\bnpx qualify\b/g, `"${process.execPath}" "${join(root, 'bin', 'qualify.js')}"`);
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
    delete env['COLUMNS'];
    const r = spawnSync('bash', ['-o', 'pipefail', '-c', line], { cwd: dir, env, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    if (expected!.stdout !== undefined) expect(r.stdout).toBe(expected!.stdout);
    if (expected!.stderr) expect(r.stderr).toMatch(expected!.stderr);
    for (const [file, re] of Object.entries(expected!.files ?? {})) expect(readFileSync(join(dir, file), 'utf8')).toMatch(re);
  });
});
