// Answers files through the built CLI, as a script or a salesperson runs them: stdin ("-"),
// every problem of a file at once with its line:col, the question's wording and what it takes,
// the exit status, and no draft left behind. Needs dist/ (npm run build).
// Most cases run the built CLI in this process (runInProcess, stdin not a terminal); reading the
// answers from stdin and refusing for want of a terminal are a real child's, so those two spawn.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runInProcess } from '../helpers/in-process-cli.js';
import { cliEnv, ROOT, scoredLeads } from '../interactive/setup.js';

const BIN = join(ROOT, 'bin', 'qualify.js');

function run(args: string[], opts: { input?: string; stdin?: 'ignore' | 'pipe' } = {}): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: cliEnv(),
    encoding: 'utf8',
    ...(opts.input !== undefined ? { input: opts.input } : { stdio: [opts.stdin ?? 'ignore', 'pipe', 'pipe'] }),
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The same run inside this process, stdin not a terminal. */
async function runHere(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const r = await runInProcess(args, cliEnv(), ROOT);
  return { status: r.status, stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8') };
}

const SAL = [
  'source: webinar',
  'need: [pipeline_visibility]',
  'product_interest: platform',
  'solution: One view',
  'crm: salesforce',
  'timeline: within_6_months',
  'follow_up_agreed: no',
  '',
].join('\n');

let scored: string;
beforeAll(() => {
  scored = scoredLeads().csv;
});
/** A fresh copy of the scored fixture in its own directory. */
function leads(): { dir: string; csv: string } {
  const dir = mkdtempSync(join(scored, '..', 'case-'));
  const csv = join(dir, 'leads.csv');
  copyFileSync(scored, csv);
  return { dir, csv };
}

// Each test runs the CLI several times: a generous timeout, for a loaded machine.
describe('answers files through the CLI', { timeout: 120_000 }, () => {
  it('--date-format reads a typed date as score reads the file: 04/12/2026 is 4 December with dmy, refused (12 April, past) with mdy', async () => {
    const answers = (dir: string) => {
      const path = join(dir, 'call.yaml');
      writeFileSync(path, SAL.replace('follow_up_agreed: no', 'follow_up_agreed: yes\nfollow_up_date: 04/12/2026\nfollow_up_window: "09:00-11:00"'));
      return path;
    };
    const dmy = leads();
    const ok = await runHere(['assess', dmy.csv, '--lead', 'PL-0008', '--answers', answers(dmy.dir), '--date-format', 'dmy']);
    expect(ok.stderr).toMatch(/^PL-0008: SAL/m);
    expect(ok.status).toBe(0);
    expect(readFileSync(dmy.csv, 'utf8')).toContain('2026-12-04');
    const mdy = leads();
    const refused = await runHere(['assess', mdy.csv, '--lead', 'PL-0008', '--answers', answers(mdy.dir), '--date-format', 'mdy']);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('Appointment day');
  });


  it('--answers - reads the answers from stdin', () => {
    const { csv } = leads();
    const r = run(['assess', csv, '--lead', 'PL-0008', '--answers', '-'], { input: SAL });
    expect(r.stderr).toMatch(/^PL-0008: SAL \(qualified, \d+ points\)\. Wrote/m);
    expect(r.status).toBe(0);
    expect(readFileSync(csv, 'utf8')).toContain('One view');
  });

  it('reports every problem at once, each with line:col, the question\'s wording and what is allowed; writes nothing, leaves no draft', async () => {
    const { dir, csv } = leads();
    const before = readFileSync(csv);
    const answers = join(dir, 'call.yaml');
    writeFileSync(answers, ['source: {a: 1}', 'need: [pipeline_visibility]', 'product_interest: platform', 'crm: salesforce', 'timeline: soon', 'follow_up_agreed: no', 'budjet: 1', ''].join('\n'));
    const r = await runHere(['assess', csv, '--lead', 'PL-0008', '--answers', answers]);
    expect(r.status).toBe(2);
    const lines = r.stderr.split('\n').filter((l) => l.includes(' error: '));
    expect(lines).toEqual([
      expect.stringMatching(/^.*call\.yaml:7:9: error: "budjet" is not a question of needs-assessment; questions: source, need, .* \[ANSWERS_INVALID\]$/),
      expect.stringMatching(/^.*call\.yaml:1:9: error: answer to "source" \(Source: How did you first hear about Pipewise\?\): a map \(\{"a":1\}\) is not an answer to "source": it takes one option; allowed: one of: referral, .* \[ANSWERS_INVALID\]$/),
      expect.stringMatching(/^.*call\.yaml:5:11: error: answer to "timeline" \(Timeline: When would you want a solution in place\?\): "soon" is not a valid answer to "Timeline"; allowed: one of: this_quarter, .* \[ANSWERS_INVALID\]$/),
      expect.stringMatching(/^.*call\.yaml:8:1: error: no answer to "solution" \(How we would help: How do you see a tool like ours solving that for your team\?\), which needs one; allowed: any text, not empty \[ANSWERS_INVALID\]$/),
    ]);
    expect(r.stderr).not.toContain('[object Object]');
    expect(r.stderr).not.toContain('resume');
    expect(readFileSync(csv)).toEqual(before);
    expect(existsSync(`${csv}.draft.json`)).toBe(false);
  });

  it('a YAML syntax error in an answers file is ANSWERS_SYNTAX, with its position', async () => {
    const { dir, csv } = leads();
    const answers = join(dir, 'broken.yaml');
    writeFileSync(answers, 'source: webinar\nneed: [pipeline_visibility\n');
    const r = await runHere(['assess', csv, '--lead', 'PL-0008', '--answers', answers]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/broken\.yaml:\d+:\d+: error: .*\[ANSWERS_SYNTAX\]/);
    expect(r.stderr).not.toContain('RULES_SYNTAX');
  });

  it('an unknown lead is LEAD_NOT_FOUND, even without a terminal (not NO_TTY)', async () => {
    const { csv } = leads();
    const r = await runHere(['discover', csv, '--lead', 'PL-9999']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('no lead "PL-9999"');
    expect(r.stderr).toContain('[LEAD_NOT_FOUND]');
    expect(r.stderr).not.toContain('NO_TTY');
  });

  it('a known lead without a terminal and without --answers is still NO_TTY', () => {
    const { csv } = leads();
    const r = run(['assess', csv, '--lead', 'PL-0008']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('[NO_TTY]');
  });
});
